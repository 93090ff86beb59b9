// Search: text → image (GET /search) and image → image (POST /search/image) on the search service.
'use strict';
(() => {
  const { api, el, number, showError } = Console;
  const form = document.getElementById('search-form');
  const text = document.getElementById('search-text');
  const k = document.getElementById('search-k');
  const version = document.getElementById('search-version');
  const filter = document.getElementById('search-filter');
  const drop = document.getElementById('search-drop');
  const file = document.getElementById('search-file');
  const results = document.getElementById('search-results');
  const answered = document.getElementById('search-answered');
  const indexState = document.getElementById('search-index');

  /** k, version and filters as the API's query string; filters are typed "name:value, name:value". */
  function params() {
    const p = new URLSearchParams();
    if (k.value) p.set('k', k.value);
    if (version.value) p.set('version', version.value);
    for (const f of filter.value.split(',').map(s => s.trim()).filter(Boolean)) p.append('filter', f);
    return p;
  }

  async function loadVersions() {
    try {
      const v = (await api('search', '/search/versions')).body;
      const byVersion = v.versions || [];
      for (const stats of byVersion) {
        version.append(el('option', { value: stats.version, text: stats.version + ' (' + number(stats.documents, 0) + ')' }));
      }
      indexState.textContent = number(v.documents, 0) + ' images indexed under ' + byVersion.length + ' version'
        + (byVersion.length === 1 ? '' : 's') + (v.defaultVersion ? '; queries naming none go to ' + v.defaultVersion : '')
        + (v.indexer ? ' · indexer ' + v.indexer.state : '');
    } catch (e) {
      showError(indexState, e);
    }
  }

  async function byText(event) {
    if (event) event.preventDefault();
    const query = text.value.trim();
    if (!query) {
      showError(results, new Error('Type what to find, e.g. "a photo of a cat".'));
      return;
    }
    const p = params();
    p.set('text', query);
    await run('"' + query + '"', () => api('search', '/search?' + p.toString()));
  }

  async function byImage(chosen) {
    if (!chosen) return;
    const form = new FormData();
    form.append('image', chosen, chosen.name || 'image');
    await run('images like ' + (chosen.name || 'the image'),
      () => api('search', '/search/image?' + params().toString(), { method: 'POST', body: form }));
  }

  async function run(what, call) {
    answered.textContent = '';
    results.replaceChildren(el('p', { class: 'muted', text: 'Searching ' + what + '…' }));
    try {
      render(what, (await call()).body);
    } catch (e) {
      showError(results, e);
    }
  }

  function thumbnail(hit) {
    const src = hit.attributes && hit.attributes.thumbnail;
    if (src && /^data:image\/(png|jpeg|gif|webp);base64,/.test(src)) {
      return el('img', { class: 'hit-thumb', src: src, alt: hit.imageId });
    }
    return el('div', { class: 'hit-thumb none', text: 'no thumbnail' });
  }

  function render(what, answer) {
    answered.replaceChildren('Answered by model version ',
      el('span', { class: 'version', id: 'search-answered-version', text: answer.modelVersion }),
      ' · ' + answer.results.length + ' of k=' + answer.k + ' for ' + what + ' · ' + answer.tookMs + ' ms');
    if (!answer.results.length) {
      results.replaceChildren(el('p', { class: 'muted', text: 'Nothing indexed under this version matches.' }));
      return;
    }
    results.replaceChildren(...answer.results.map((hit, i) => {
      const attributes = Object.entries(hit.attributes || {}).filter(([name]) => name !== 'thumbnail')
        .map(([name, value]) => name + '=' + value).join(' · ');
      return el('figure', { class: 'hit', dataset: { image: hit.imageId, rank: i + 1 } },
        thumbnail(hit),
        el('figcaption', {},
          el('div', { class: 'mono hit-id', text: (i + 1) + '. ' + hit.imageId }),
          el('div', { class: 'hit-score', text: 'cosine ' + hit.score.toFixed(3) }),
          attributes ? el('div', { class: 'muted hit-attrs', text: attributes }) : null));
    }));
  }

  form.addEventListener('submit', byText);
  drop.addEventListener('click', () => file.click());
  file.addEventListener('change', () => byImage(file.files[0]));
  drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', e => {
    e.preventDefault();
    drop.classList.remove('over');
    byImage(e.dataTransfer.files[0]);
  });
  // search.html?text=... runs that query at once (a link from elsewhere).
  const wanted = new URLSearchParams(location.search).get('text');
  if (wanted) {
    text.value = wanted;
    byText();
  }
  loadVersions();
})();
