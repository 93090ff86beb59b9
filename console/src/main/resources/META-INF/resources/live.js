// Live: the classifier's server-sent events (GET /classifications/stream), filtered as the endpoint allows.
'use strict';
(() => {
  const { api, events, el, probabilityBar, number } = Console;
  const MAX_ROWS = 200;
  const rows = document.getElementById('rows');
  const state = document.getElementById('stream-state');
  const counter = document.getElementById('counter');
  const setFilter = document.getElementById('f-label-set');
  const labelFilter = document.getElementById('f-label');
  const minFilter = document.getElementById('f-min');
  const pauseButton = document.getElementById('pause');
  let controller = null;
  let paused = false;
  let received = 0;
  const arrivals = [];
  let backoff = 500;

  function setState(text, kind) {
    state.textContent = text;
    state.className = 'status-pill ' + (kind || '');
  }

  function thumbnail(c) {
    const src = c.attributes && c.attributes.thumbnail;
    if (src && /^data:image\/(png|jpeg|gif|webp);base64,/.test(src)) {
      return el('img', { class: 'thumb', src: src, alt: '' });
    }
    return el('span', { class: 'thumb none' });
  }

  function latency(c) {
    const from = Date.parse(c.eventTime);
    const to = Date.parse(c.classifiedTime);
    return Number.isFinite(from) && Number.isFinite(to) ? Math.max(0, to - from) : null;
  }

  function add(c) {
    received++;
    const now = Date.now();
    arrivals.push(now);
    while (arrivals.length && arrivals[0] < now - 10000) arrivals.shift();
    counter.textContent = received + ' received · ' + number(arrivals.length / 10, 1) + '/s';
    if (paused) return;
    const empty = rows.querySelector('tr.empty');
    if (empty) empty.remove();
    const ms = latency(c);
    const row = el('tr', { class: 'fresh classification', dataset: { image: c.imageId, version: c.modelVersion } },
      el('td', {}, thumbnail(c)),
      el('td', { class: 'mono', text: c.imageId }),
      el('td', { text: c.labelSetId + ' r' + c.labelSetRevision }),
      el('td', { class: 'live-labels' }, c.labels.slice(0, 3).map(l => probabilityBar(l.label, l.probability))),
      el('td', {}, el('span', { class: 'version', text: c.modelVersion })),
      el('td', { class: 'num', text: ms === null ? '–' : ms + ' ms' }),
      el('td', { class: 'muted', text: new Date(c.classifiedTime).toLocaleTimeString() }));
    rows.prepend(row);
    while (rows.children.length > MAX_ROWS) rows.lastElementChild.remove();
  }

  function query() {
    const params = new URLSearchParams();
    if (setFilter.value) params.set('labelSet', setFilter.value);
    if (labelFilter.value.trim()) params.set('label', labelFilter.value.trim());
    if (minFilter.value) params.set('minScore', minFilter.value);
    const q = params.toString();
    return '/classifications/stream' + (q ? '?' + q : '');
  }

  async function connect() {
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    setState('connecting');
    try {
      await events('classifier', query(), c => { backoff = 500; add(c); }, mine.signal,
        () => setState('live', 'on'));
      if (mine.signal.aborted) return;
      setState('ended, reconnecting', 'off');
    } catch (e) {
      if (mine.signal.aborted) return;
      setState(e.message, 'off');
      if (e.status === 401 || e.status === 403 || e.status === 400) return; // retrying will not help
    }
    setTimeout(() => { if (controller === mine) connect(); }, backoff);
    backoff = Math.min(backoff * 2, 15000);
  }

  // live.html?labelSet=ID opens filtered on one set (the demo's link: its images are classified under many).
  const wanted = new URLSearchParams(location.search).get('labelSet');
  if (wanted) {
    setFilter.append(el('option', { value: wanted, text: wanted }));
    setFilter.value = wanted;
  }

  async function loadLabelSets() {
    try {
      for (const set of (await api('classifier', '/label-sets')).body || []) {
        if (set.id === wanted) continue;
        setFilter.append(el('option', { value: set.id, text: set.id }));
      }
    } catch (e) { /* the stream's own state says what is wrong */ }
  }

  document.getElementById('apply').addEventListener('click', () => {
    rows.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 7, class: 'muted', text: 'Waiting for classifications…' })));
    connect();
  });
  pauseButton.addEventListener('click', () => {
    paused = !paused;
    pauseButton.textContent = paused ? 'Resume' : 'Pause';
  });
  loadLabelSets();
  connect();
})();
