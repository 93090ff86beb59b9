// Training: GET /trainer/status (every 2 s) and GET /trainer/checkpoints, with each metric charted against steps.
'use strict';
(() => {
  const { api, el, number, showError } = Console;
  const SVG = 'http://www.w3.org/2000/svg'; // the SVG namespace: a name, nothing is fetched
  const status = document.getElementById('status');
  const statusError = document.getElementById('status-error');
  const charts = document.getElementById('charts');
  const table = document.getElementById('checkpoints');
  const losses = []; // [step, loss] seen by this page's polls

  function card(key, value, id) {
    return el('div', { class: 'card', id: id }, el('div', { class: 'k', text: key }),
      value instanceof Node ? el('div', { class: 'v' }, value) : el('div', { class: 'v', text: value }));
  }

  // The learning curve first; the guardrail's statistics (changes, intervals, p-values) stay in the table's tooltip.
  const PREFERRED = ['train_loss', 'eval_loss', 'image_to_text_recall_at_1', 'image_to_text_recall_at_5',
    'text_to_image_recall_at_1', 'text_to_image_recall_at_5', 'logit_scale'];
  const DETAIL = /(_change|_ci_low|_ci_high|_p_value|_pool_size)$|^guardrail_/;

  function charted(name) {
    return !DETAIL.test(name);
  }

  function rank(name) {
    if (name.startsWith('training')) return -1;
    const i = PREFERRED.indexOf(name);
    return i < 0 ? PREFERRED.length : i;
  }

  function lastCheckpoint(c) {
    if (!c) return 'none';
    return el('span', {}, c.version + ' ', el('span', { class: 'badge ' + (c.status || 'other'), text: c.status || '?' }));
  }

  async function refreshStatus() {
    try {
      const s = (await api('trainer', '/trainer/status')).body;
      statusError.replaceChildren();
      if (s.loss !== null && s.loss !== undefined && (!losses.length || losses[losses.length - 1][0] !== s.step)) {
        losses.push([s.step, s.loss]);
        if (losses.length > 2000) losses.shift();
      }
      status.replaceChildren(
        card('State', s.state + (s.failure ? ': ' + s.failure : ''), 'trainer-state'),
        card('Step', number(s.step, 0), 'trainer-step'),
        card('Samples/s', number(s.samplesPerSecond, 1)),
        card('MFU', s.modelFlopsUtilization === null ? '–' : number(s.modelFlopsUtilization * 100, 2) + '%'),
        card('Lag (pairs)', s.consumerLag < 0 ? 'unknown' : number(s.consumerLag, 0)),
        card('Loss', number(s.loss, 4)),
        card('Learning rate', s.learningRate === null ? '–' : Number(s.learningRate).toExponential(2)),
        card('Pairs seen', number(s.samplesSeen, 0)),
        card('Device', s.device ? String(s.device).replace(/\(\)$/, '') : '–'), // DJL's "cpu()", "gpu(0)"
        card('Precision', s.precision || '–', 'trainer-precision'),
        card('Last checkpoint', lastCheckpoint(s.lastCheckpoint), 'trainer-last'));
    } catch (e) {
      showError(statusError, e);
    }
  }

  async function refreshCheckpoints() {
    let list;
    try {
      list = (await api('trainer', '/trainer/checkpoints?limit=200')).body || [];
    } catch (e) {
      table.replaceChildren(el('tr', {}, el('td', { colspan: 7 }, el('div', { class: 'error', text: e.message }))));
      return;
    }
    table.replaceChildren(...(list.length ? list.map(c => el('tr', { class: 'checkpoint', dataset: { version: c.version } },
      el('td', { class: 'mono', text: c.version }),
      el('td', { class: 'num', text: number(c.step, 0) }),
      el('td', { class: 'num', text: number(c.samplesSeen, 0) }),
      el('td', {}, el('span', { class: 'badge ' + (c.status || 'other'), text: c.status || 'unreadable' })),
      el('td', { class: 'muted', text: c.reason || c.error || '' }),
      el('td', { class: 'muted', text: c.created ? new Date(c.created).toLocaleString() : '' }),
      el('td', { class: 'mono', title: Object.entries(c.metrics || {}).sort().map(([k, v]) => k + '=' + v).join('\n'),
        text: Object.entries(c.metrics || {}).filter(([k]) => charted(k)).sort(([a], [b]) => rank(a) - rank(b))
          .slice(0, 3).map(([k, v]) => k + '=' + number(v, 3)).join('  ') })))
      : [el('tr', {}, el('td', { colspan: 7, class: 'muted', text: 'No checkpoints yet.' }))]));
    drawCharts(list.filter(c => !c.error).slice().reverse());
  }

  function drawCharts(ordered) {
    const series = new Map();
    if (losses.length > 1) series.set('training loss (this page)', losses.map(([step, v]) => ({ step, v, status: null })));
    for (const c of ordered) {
      for (const [name, value] of Object.entries(c.metrics || {})) {
        if (!Number.isFinite(value) || !charted(name)) continue;
        if (!series.has(name)) series.set(name, []);
        series.get(name).push({ step: c.step, v: value, status: c.status });
      }
    }
    if (!series.size) {
      charts.replaceChildren(el('p', { class: 'muted', text: 'No checkpoints with metrics yet.' }));
      return;
    }
    const names = [...series.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).slice(0, 9);
    charts.replaceChildren(...names.map(name => chart(name, series.get(name))));
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** A line chart of one series against steps, in plain SVG. */
  function chart(name, points) {
    const W = 360, H = 200, L = 48, R = 10, T = 10, B = 26;
    const xs = points.map(p => p.step), ys = points.map(p => p.v);
    let x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    if (x0 === x1) { x0 -= 1; x1 += 1; }
    if (y0 === y1) { const d = Math.abs(y0) * 0.1 || 1; y0 -= d; y1 += d; }
    const pad = (y1 - y0) * 0.08; y0 -= pad; y1 += pad;
    const X = s => L + (s - x0) / (x1 - x0) * (W - L - R);
    const Y = v => T + (1 - (v - y0) / (y1 - y0)) * (H - T - B);
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': name + ' against steps' });
    for (let i = 0; i <= 4; i++) {
      const v = y0 + (y1 - y0) * i / 4;
      root.append(svg('line', { class: 'gridline', x1: L, x2: W - R, y1: Y(v), y2: Y(v) }));
      root.append(svg('text', { x: L - 6, y: Y(v) + 4, 'text-anchor': 'end' }, formatTick(v)));
    }
    root.append(svg('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }));
    root.append(svg('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B }));
    for (const s of [x0, (x0 + x1) / 2, x1]) {
      root.append(svg('text', { x: X(s), y: H - B + 16, 'text-anchor': 'middle' }, number(Math.round(s), 0)));
    }
    root.append(svg('polyline', { class: 'line', points: points.map(p => X(p.step) + ',' + Y(p.v)).join(' ') }));
    if (points.length <= 200) {
      for (const p of points) {
        const dot = svg('circle', { cx: X(p.step), cy: Y(p.v), r: 3.5, class: 'pt-' + (p.status || 'other') });
        dot.append(svg('title', {}, 'step ' + p.step + ': ' + p.v + (p.status ? ' (' + p.status + ')' : '')));
        root.append(dot);
      }
    }
    return el('div', { class: 'chart panel', dataset: { metric: name } },
      el('h2', { text: name }), root, el('div', { class: 'muted' }, 'against step · ' + points.length + ' points',
        points.some(p => p.status) ? [' · ', el('span', { class: 'key PASSED', text: 'passed' }), ' ',
          el('span', { class: 'key REJECTED', text: 'rejected' })] : []));
  }

  function formatTick(v) {
    const a = Math.abs(v);
    return a !== 0 && (a < 0.01 || a >= 10000) ? v.toExponential(1) : Number(v.toFixed(a < 1 ? 3 : 2)).toString();
  }

  refreshStatus();
  refreshCheckpoints();
  setInterval(refreshStatus, 2000);
  setInterval(refreshCheckpoints, 10000);
})();
