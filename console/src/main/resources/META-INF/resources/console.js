// Clipstream console: what every page shares. Plain browser JavaScript, no framework, nothing from elsewhere.
// The token comes in the URL's fragment (#token=...), which the browser never sends to a server; it is kept in
// sessionStorage for this tab only and taken out of the address bar at once, so it is neither shown nor bookmarked.
'use strict';

const Console = (() => {
  const TOKEN_KEY = 'clipstream.token';

  function takeTokenFromFragment() {
    const hash = location.hash.replace(/^#/, '');
    if (!hash) return;
    const params = new URLSearchParams(hash);
    const token = params.get('token');
    if (token) {
      sessionStorage.setItem(TOKEN_KEY, token.trim());
      params.delete('token');
      const rest = params.toString();
      history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
    }
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function headers(extra) {
    const h = Object.assign({}, extra || {});
    const t = token();
    if (t) h['Authorization'] = 'Bearer ' + t;
    return h;
  }

  /** A service's API through the console's proxy: /api/<service><path>. Resolves to parsed JSON (or null). */
  async function api(service, path, options) {
    const opts = Object.assign({}, options || {});
    opts.headers = headers(opts.headers);
    const response = await fetch('api/' + service + path, opts);
    const text = await response.text();
    let body = null;
    if (text) {
      try { body = JSON.parse(text); } catch (e) { body = { error: text }; }
    }
    if (!response.ok) {
      const message = body && body.error ? body.error : response.status + ' ' + response.statusText;
      const error = new Error(service + ': ' + message);
      error.status = response.status;
      error.body = body;
      throw error;
    }
    return { body: body, etag: response.headers.get('ETag'), status: response.status };
  }

  /**
   * Server-sent events read with fetch (EventSource cannot send an Authorization header, and the token must not go
   * into a query string). Calls onOpen() once connected, onEvent(json) for each event; resolves when the stream ends; abort with signal.
   */
  async function events(service, path, onEvent, signal, onOpen) {
    const response = await fetch('api/' + service + path, {
      headers: headers({ 'Accept': 'text/event-stream' }), signal: signal, cache: 'no-store' });
    if (!response.ok) {
      let message = response.status + ' ' + response.statusText;
      try { message = (await response.json()).error || message; } catch (e) { /* not JSON */ }
      const error = new Error(service + ': ' + message);
      error.status = response.status;
      throw error;
    }
    if (onOpen) onOpen();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).replace(/^ /, ''))
          .join('\n');
        if (data) {
          try { onEvent(JSON.parse(data)); } catch (e) { console.warn('unreadable event', data); }
        }
      }
    }
  }

  /** document.createElement with properties and children. */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else node.setAttribute(key, value);
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** A probability bar: label, bar, percentage. */
  function probabilityBar(label, probability) {
    const fill = el('span', { class: 'fill' });
    fill.style.width = Math.max(0, Math.min(100, probability * 100)).toFixed(1) + '%';
    return el('div', { class: 'prob' },
      el('span', { class: 'prob-label', text: label }),
      el('span', { class: 'bar' }, fill),
      el('span', { class: 'prob-value', text: (probability * 100).toFixed(1) + '%' }));
  }

  function number(value, digits) {
    if (value === null || value === undefined || Number.isNaN(value)) return '–';
    return Number(value).toLocaleString('en', { maximumFractionDigits: digits === undefined ? 2 : digits });
  }

  function showError(target, error) {
    target.replaceChildren(el('div', { class: 'error', text: error.message || String(error) }));
  }

  const PAGES = [
    ['index.html', 'Try it'], ['live.html', 'Live'], ['label-sets.html', 'Label sets'],
    ['search.html', 'Search'], ['training.html', 'Training'], ['rollout.html', 'Rollout']];
  const SERVICES = ['ingest', 'trainer', 'embedder', 'classifier', 'search'];

  function header() {
    const here = location.pathname.split('/').pop() || 'index.html';
    const nav = el('nav', {}, PAGES.map(([href, title]) =>
      el('a', { href: href, class: href === here ? 'active' : null, text: title })));
    const health = el('div', { class: 'health', id: 'health' });
    const top = el('header', {},
      el('a', { class: 'brand', href: 'index.html' }, el('img', { src: 'favicon.svg', alt: '' }), 'Clipstream'),
      nav, health);
    document.body.prepend(top);
    if (!token()) {
      top.after(el('div', { class: 'banner', id: 'no-token' },
        'No token: open this console with #token=… after its address (clipstream local up prints the whole URL). ',
        'Pages that read or change the services need a client or operator token.'));
    }
    refreshHealth(health);
    setInterval(() => refreshHealth(health), 5000);
  }

  /** Each service's readiness, as dots in the header (readiness needs no token). */
  async function refreshHealth(target) {
    const dots = await Promise.all(SERVICES.map(async service => {
      let state = 'down';
      let title = service + ': unreachable';
      try {
        const response = await fetch('api/' + service + '/q/health/ready', { cache: 'no-store' });
        state = response.ok ? 'up' : 'down';
        title = service + ': ' + (response.ok ? 'ready' : 'not ready (' + response.status + ')');
        if (!response.ok) {
          try {
            const body = await response.json();
            const failing = (body.checks || []).filter(c => c.status !== 'UP').map(c => c.name);
            if (failing.length) title += ': ' + failing.join(', ');
          } catch (e) { /* not health JSON */ }
        }
      } catch (e) { /* unreachable */ }
      return el('span', { class: 'dot ' + state, title: title, dataset: { service: service } }, service);
    }));
    target.replaceChildren(...dots);
  }

  takeTokenFromFragment();
  document.addEventListener('DOMContentLoaded', header);

  return { api, events, el, probabilityBar, number, showError, token };
})();
