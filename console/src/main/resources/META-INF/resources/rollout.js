// Rollout: what the embedder (GET /model) and the classifier (GET /model) serve, and each version's share of the
// classifications arriving now (the stream, as on the Live page).
'use strict';
(() => {
  const { api, events, el, number } = Console;
  const WINDOW = 500;
  const embedder = document.getElementById('embedder');
  const classifier = document.getElementById('classifier');
  const shares = document.getElementById('shares');
  const shareState = document.getElementById('share-state');
  const services = document.getElementById('services');
  const recent = [];

  function facts(pairs) {
    return el('table', {}, el('tbody', {}, pairs.filter(([, v]) => v !== undefined).map(([k, v]) =>
      el('tr', {}, el('th', { text: k }), el('td', {}, v instanceof Node ? v : el('span', { text: v === null ? '–' : String(v) }))))));
  }

  async function refreshModels() {
    try {
      const m = (await api('embedder', '/model')).body;
      embedder.replaceChildren(facts([
        ['Serving', m.activeVersion ? el('span', { class: 'version', id: 'embedder-version', text: m.activeVersion }) : 'nothing'],
        ['Requested', m.requestedCheckpoint], ['Named by', m.requestedBy], ['Loading', m.loading],
        ['Last load error', m.lastLoadError]]),
        m.activeVersion ? '' : el('p', { class: 'muted', text: m.howToConfigure }));
    } catch (e) {
      embedder.replaceChildren(el('div', { class: 'error', text: e.message }));
    }
    try {
      const m = (await api('classifier', '/model')).body;
      classifier.replaceChildren(facts([
        ['Rolled out', m.rolledOutVersion ? el('span', { class: 'version', id: 'classifier-version', text: m.rolledOutVersion }) : 'nothing'],
        ['Named by', m.origin], ['Loaded versions', (m.loadedVersions || []).join(', ') || 'none'],
        ['Error', m.readError]]),
        m.rolledOutVersion ? '' : el('p', { class: 'muted', text: m.howToRollOut }));
    } catch (e) {
      classifier.replaceChildren(el('div', { class: 'error', text: e.message }));
    }
  }

  async function refreshServices() {
    let known = {};
    try {
      known = (await (await fetch('console/services', { cache: 'no-store' })).json()).services || {};
    } catch (e) { /* shown as unknown */ }
    const rows = await Promise.all(Object.entries(known).map(async ([name, url]) => {
      let ready = false;
      try { ready = (await fetch('api/' + name + '/q/health/ready', { cache: 'no-store' })).ok; } catch (e) { /* down */ }
      return el('tr', {}, el('td', { text: name }), el('td', { class: 'mono', text: url }),
        el('td', {}, el('span', { class: 'badge ' + (ready ? 'up' : 'down'), text: ready ? 'ready' : 'not ready' })));
    }));
    services.replaceChildren(...rows);
  }

  function drawShares() {
    const counts = new Map();
    for (const v of recent) counts.set(v, (counts.get(v) || 0) + 1);
    shares.replaceChildren(...[...counts.entries()].sort((a, b) => b[1] - a[1]).map(([version, n]) => {
      const fill = el('span', { class: 'fill' });
      fill.style.width = (100 * n / recent.length).toFixed(1) + '%';
      return el('div', { class: 'share', dataset: { version: version } },
        el('span', { class: 'version', text: version }), el('span', { class: 'bar' }, fill),
        el('span', { class: 'prob-value', text: number(100 * n / recent.length, 1) + '%' }));
    }), el('p', { class: 'muted', text: 'of the last ' + recent.length + ' classifications' }));
  }

  async function follow(backoff) {
    try {
      await events('classifier', '/classifications/stream', c => {
        recent.push(c.modelVersion);
        if (recent.length > WINDOW) recent.shift();
        drawShares();
      }, undefined, () => { shareState.textContent = 'live'; shareState.className = 'status-pill on'; });
    } catch (e) {
      shareState.textContent = e.message;
      shareState.className = 'status-pill off';
      if (e.status === 401 || e.status === 403) return;
    }
    setTimeout(() => follow(Math.min(backoff * 2, 15000)), backoff);
  }

  refreshModels();
  refreshServices();
  setInterval(refreshModels, 3000);
  setInterval(refreshServices, 10000);
  follow(500);
})();
