// Try it: one image → POST /classify on the classifier, through the console's proxy.
'use strict';
(() => {
  const { api, el, probabilityBar, showError } = Console;
  const drop = document.getElementById('drop');
  const file = document.getElementById('file');
  const labelSet = document.getElementById('label-set');
  const labels = document.getElementById('labels');
  const template = document.getElementById('template');
  const topK = document.getElementById('top-k');
  const button = document.getElementById('classify');
  const result = document.getElementById('result');
  let image = null;
  let previewUrl = null;

  async function loadLabelSets() {
    try {
      const sets = (await api('classifier', '/label-sets')).body || [];
      for (const set of sets) {
        labelSet.append(el('option', { value: set.id, text: set.id + ' (' + set.labels.length + ' labels)' }));
      }
      if (sets.length && !labels.value) labelSet.value = sets[0].id;
    } catch (e) {
      showError(result, e);
    }
  }

  function take(chosen) {
    if (!chosen) return;
    if (!chosen.type.startsWith('image/') && chosen.type !== '') {
      showError(result, new Error(chosen.name + ' is not an image (' + chosen.type + ')'));
      return;
    }
    image = chosen;
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = URL.createObjectURL(chosen);
    button.disabled = false;
    classify();
  }

  async function classify() {
    if (!image) return;
    const form = new FormData();
    form.append('image', image, image.name || 'image');
    if (labelSet.value && !labels.value.trim()) {
      form.append('labelSet', labelSet.value);
    } else if (labels.value.trim()) {
      form.append('labels', labels.value);
      if (template.value.trim()) form.append('template', template.value.trim());
    } else {
      showError(result, new Error('Choose a label set or type some labels.'));
      return;
    }
    if (topK.value) form.append('topK', topK.value);
    button.disabled = true;
    result.replaceChildren(el('p', { class: 'muted', text: 'Classifying ' + (image.name || 'the image') + '…' }));
    try {
      const answer = (await api('classifier', '/classify', { method: 'POST', body: form })).body;
      render(answer);
    } catch (e) {
      showError(result, e);
    } finally {
      button.disabled = false;
    }
  }

  function render(answer) {
    const bars = el('div', { class: 'labels', id: 'labels-out' },
      answer.labels.map(l => probabilityBar(l.label, l.probability)));
    result.replaceChildren(
      el('div', { class: 'preview' }, el('img', { src: previewUrl, alt: image.name || 'the image' }), bars),
      el('p', { class: 'answered', id: 'answered' },
        'Answered by model version ', el('span', { class: 'version', id: 'answered-version', text: answer.modelVersion }),
        answer.rolledOut ? ' (rolled out)' : ' (named, not the rolled-out one)',
        answer.labelSetId ? ' · label set ' + answer.labelSetId + ' rev. ' + answer.labelSetRevision : ' · typed labels',
        ' · ' + answer.width + '×' + answer.height + ' px · decode ' + answer.decodeMillis + ' ms, model '
          + answer.modelMillis + ' ms'));
  }

  drop.addEventListener('click', () => file.click());
  file.addEventListener('change', () => take(file.files[0]));
  drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', e => {
    e.preventDefault();
    drop.classList.remove('over');
    take(e.dataTransfer.files[0]);
  });
  button.addEventListener('click', classify);
  labels.addEventListener('input', () => { if (labels.value.trim()) labelSet.value = ''; });
  loadLabelSets();
})();
