/**
 * The page's script (inline, allowed by its hash). Plain DOM, no framework. It reads its
 * settings from data attributes on <main>, so the script (and its hash) is the same whatever
 * the server's settings. No `</` appears in it, so it cannot end its <script> element.
 *
 * Translation: POST v1/translate with Accept: application/x-ndjson, reading progress lines as
 * they come; then the HTML rendering goes into a sandboxed iframe (scripts allowed, no same
 * origin) as the side-by-side view, and downloads are POST v1/render, saved from a blob.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var app = document.getElementById('app');
  var settings = {
    maxChars: Number(app.getAttribute('data-max-chars')),
    keyRequired: app.getAttribute('data-key-required') === 'true'
  };
  var $ = function (id) { return document.getElementById(id); };
  var form = $('form'), source = $('source'), fileInput = $('file'), count = $('count');
  var keyRow = $('key-row'), keyInput = $('key'), button = $('translate'), cancel = $('cancel');
  var progress = $('progress'), statusText = $('status-text'), error = $('error');
  var result = $('result'), frame = $('view'), english = $('english');
  var fileName = '';
  var current = null;
  var controller = null;
  var numbers = new Intl.NumberFormat('en');

  keyRow.hidden = !settings.keyRequired;

  function length(text) { return Array.from(text).length; }

  function updateCount() {
    var n = length(source.value);
    count.textContent = numbers.format(n) + ' / ' + numbers.format(settings.maxChars) + ' characters';
    count.classList.toggle('over', n > settings.maxChars);
  }

  function showError(message) {
    error.textContent = message;
    error.hidden = false;
  }

  function setStatus(text, fraction) {
    statusText.textContent = text;
    if (fraction === null) {
      progress.hidden = true;
    } else {
      progress.hidden = false;
      progress.value = fraction;
      progress.setAttribute('aria-valuetext', Math.round(fraction * 100) + '%');
    }
  }

  function headers(json) {
    var h = {};
    if (json) h['Content-Type'] = 'application/json';
    if (settings.keyRequired) h.Authorization = 'Bearer ' + keyInput.value.trim();
    return h;
  }

  async function failure(response) {
    var message = response.status + ' ' + response.statusText;
    try {
      var body = await response.json();
      if (body && typeof body.error === 'string') message = body.error;
    } catch (ignored) { /* not JSON */ }
    return new Error(message);
  }

  function setBusy(busy) {
    button.disabled = busy;
    cancel.hidden = !busy;
    source.readOnly = busy;
    form.setAttribute('aria-busy', String(busy));
  }

  async function readFile(file) {
    var bytes = await file.arrayBuffer();
    var text;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (notUtf8) {
      text = new TextDecoder('windows-1252').decode(bytes);
    }
    source.value = text;
    fileName = file.name;
    updateCount();
    setStatus('Opened ' + file.name + '.', null);
  }

  async function translate() {
    if (controller) return;
    error.hidden = true;
    var text = source.value;
    if (text.trim() === '') { showError('Paste some French text first, or open a .txt file.'); source.focus(); return; }
    if (length(text) > settings.maxChars) { showError('The text is longer than this server takes (' + numbers.format(settings.maxChars) + ' characters).'); return; }
    if (settings.keyRequired && keyInput.value.trim() === '') { showError('This server needs an API key.'); keyInput.focus(); return; }
    controller = new AbortController();
    setBusy(true);
    setStatus('Translating…', 0);
    try {
      var response = await fetch('v1/translate', {
        method: 'POST',
        headers: Object.assign(headers(true), { Accept: 'application/x-ndjson' }),
        body: JSON.stringify({ text: text, file: fileName || 'pasted text' }),
        signal: controller.signal
      });
      if (!response.ok) throw await failure(response);
      var document_ = await readStream(response);
      current = { document: document_ };
      await show();
      var pairs = document_.paragraphs.reduce(function (n, p) { return n + p.pairs.length; }, 0);
      setStatus('Done: ' + numbers.format(document_.paragraphs.length) + ' paragraphs, ' + numbers.format(pairs) + ' sentences.', null);
    } catch (problem) {
      if (problem && problem.name === 'AbortError') setStatus('Cancelled.', null);
      else { setStatus('', null); showError(problem.message || String(problem)); }
    } finally {
      controller = null;
      setBusy(false);
    }
  }

  async function readStream(response) {
    var reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    var buffer = '';
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) break;
      buffer += chunk.value;
      var lines = buffer.split('\n');
      buffer = lines.pop();
      for (var i = 0; i !== lines.length; i++) {
        if (lines[i] === '') continue;
        var message = JSON.parse(lines[i]);
        if (message.progress) {
          var total = message.progress.total;
          var fraction = total > 0 ? message.progress.done / total : 1;
          setStatus('Translating… ' + Math.round(fraction * 100) + '% (' + numbers.format(message.progress.done) + ' of ' + numbers.format(total) + ' words)', fraction);
        } else if (message.document) {
          return message.document;
        } else if (message.error) {
          throw new Error(message.error);
        }
      }
    }
    throw new Error('The server closed the connection before the translation was done.');
  }

  async function render(format) {
    var response = await fetch('v1/render', {
      method: 'POST',
      headers: headers(true),
      body: JSON.stringify({ document: current.document, format: format })
    });
    if (!response.ok) throw await failure(response);
    return response;
  }

  async function show() {
    var html = await (await render('html')).text();
    // "Done" is said once the side-by-side view shows this translation, not the previous one.
    await new Promise(function (resolve) {
      frame.addEventListener('load', resolve, { once: true });
      frame.srcdoc = html;
    });
    english.textContent = current.document.paragraphs.map(function (p) { return p.target; }).join('\n\n');
    result.hidden = false;
    applyView();
  }

  function applyView() {
    var chosen = document.querySelector('input[name=view]:checked').value;
    frame.hidden = chosen !== 'sbs';
    english.hidden = chosen !== 'en';
  }

  async function download(format) {
    error.hidden = true;
    try {
      var response = await render(format);
      var name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '');
      var blob = await response.blob();
      var link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = name ? name[1] : 'translation.' + format;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
    } catch (problem) {
      showError('Download failed: ' + (problem.message || String(problem)));
    }
  }

  form.addEventListener('submit', function (event) { event.preventDefault(); translate(); });
  source.addEventListener('input', function () { fileName = ''; updateCount(); });
  source.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); translate(); }
  });
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && controller) controller.abort();
  });
  cancel.addEventListener('click', function () { if (controller) controller.abort(); });
  fileInput.addEventListener('change', function () {
    if (fileInput.files.length > 0) readFile(fileInput.files[0]);
  });
  form.addEventListener('dragover', function (event) { event.preventDefault(); form.classList.add('dragging'); });
  form.addEventListener('dragleave', function () { form.classList.remove('dragging'); });
  form.addEventListener('drop', function (event) {
    event.preventDefault();
    form.classList.remove('dragging');
    var files = event.dataTransfer ? event.dataTransfer.files : [];
    if (files.length > 0) readFile(files[0]);
  });
  result.addEventListener('change', function (event) {
    if (event.target.name === 'view') applyView();
  });
  result.addEventListener('click', function (event) {
    var target = event.target.closest('button[data-format]');
    if (target) download(target.getAttribute('data-format'));
  });
  updateCount();
})();
`.trim();
