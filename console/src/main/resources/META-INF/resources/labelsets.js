// Label sets: list, create, edit (conditional on the revision read), delete — the classifier's /label-sets.
'use strict';
(() => {
  const { api, el, showError } = Console;
  const sets = document.getElementById('sets');
  const id = document.getElementById('set-id');
  const json = document.getElementById('set-json');
  const title = document.getElementById('editor-title');
  const editorState = document.getElementById('editor-state');
  const message = document.getElementById('editor-message');
  const EXAMPLE = { labels: ['cat', 'dog', 'bird'], templates: ['a photo of a {}.'], topK: 3 };
  let editing = null; // { id, etag }

  function fresh() {
    editing = null;
    title.textContent = 'New label set';
    id.value = '';
    id.disabled = false;
    json.value = JSON.stringify(EXAMPLE, null, 2);
    editorState.textContent = '';
    message.replaceChildren();
  }

  async function load() {
    try {
      const list = (await api('classifier', '/label-sets')).body || [];
      if (!list.length) {
        sets.replaceChildren(el('tr', {}, el('td', { colspan: 7, class: 'muted', text: 'No label sets yet.' })));
        return;
      }
      sets.replaceChildren(...list.map(set => el('tr', { dataset: { set: set.id } },
        el('td', { class: 'mono', text: set.id }),
        el('td', { class: 'num', text: set.revision }),
        el('td', { text: set.labels.length + ': ' + set.labels.slice(0, 6).map(l => l.name || l).join(', ')
          + (set.labels.length > 6 ? ', …' : '') }),
        el('td', { class: 'mono', text: (set.templates || []).join(' | ') }),
        el('td', { class: 'num', text: set.topK }),
        el('td', {}, el('span', { class: 'badge ' + (set.enabled ? 'up' : 'down'), text: set.enabled ? 'yes' : 'no' })),
        el('td', { class: 'actions' },
          el('button', { text: 'Edit', onclick: () => edit(set.id) }), ' ',
          el('button', { class: 'danger', text: 'Delete', onclick: () => remove(set.id) })))));
    } catch (e) {
      sets.replaceChildren(el('tr', {}, el('td', { colspan: 7 }, el('div', { class: 'error', text: e.message }))));
    }
  }

  async function edit(setId) {
    try {
      const read = await api('classifier', '/label-sets/' + encodeURIComponent(setId));
      const set = read.body;
      editing = { id: setId, etag: read.etag };
      title.textContent = 'Edit ' + setId;
      id.value = setId;
      id.disabled = true;
      // A label without prompts of its own is written as its name, as a person would type it.
      const labels = set.labels.map(l => (l.prompts && l.prompts.length) ? l : l.name);
      const draft = { labels: labels, templates: set.templates, topK: set.topK,
        minProbability: set.minProbability, attributeFilter: set.attributeFilter, enabled: set.enabled };
      json.value = JSON.stringify(draft, null, 2);
      editorState.textContent = 'revision ' + set.revision + ': saved only if nobody changed it since';
      message.replaceChildren();
    } catch (e) {
      showError(message, e);
    }
  }

  async function save() {
    const setId = id.value.trim();
    if (!setId) {
      showError(message, new Error('Give the label set an id.'));
      return;
    }
    let body;
    try {
      body = JSON.stringify(JSON.parse(json.value));
    } catch (e) {
      showError(message, new Error('The definition is not JSON: ' + e.message));
      return;
    }
    const headers = { 'Content-Type': 'application/json' };
    if (editing && editing.id === setId && editing.etag) headers['If-Match'] = editing.etag;
    try {
      const written = await api('classifier', '/label-sets/' + encodeURIComponent(setId),
        { method: 'PUT', headers: headers, body: body });
      message.replaceChildren(el('p', { class: 'ok', text: (written.status === 201 ? 'Created ' : 'Saved ') + setId
        + ' at revision ' + written.body.revision + (written.status === 202 ? ' (not yet visible)' : '') }));
      editing = { id: setId, etag: written.etag };
      if (written.status !== 202) {
        title.textContent = 'Edit ' + setId;
        id.disabled = true;
        editorState.textContent = 'revision ' + written.body.revision + ': saved only if nobody changed it since';
      }
      load();
    } catch (e) {
      showError(message, e);
    }
  }

  async function remove(setId) {
    if (!window.confirm('Delete label set ' + setId + '?')) return;
    try {
      await api('classifier', '/label-sets/' + encodeURIComponent(setId), { method: 'DELETE' });
      if (editing && editing.id === setId) fresh();
      load();
    } catch (e) {
      showError(message, e);
    }
  }

  document.getElementById('new').addEventListener('click', fresh);
  document.getElementById('save').addEventListener('click', save);
  fresh();
  load();
})();
