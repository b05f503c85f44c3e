/**
 * The web page at `/`: paste French or drop a .txt file, translate with progress, read the result
 * in the HTML output's side-by-side view, download it in any format. One self-contained page: its
 * one stylesheet and one script are inline and allowed by hash; nothing is fetched from elsewhere.
 *
 * The view is the `html` writer's own page, shown in an `<iframe srcdoc>` sandboxed without
 * same-origin (so its script can run but cannot reach this page). A srcdoc frame inherits this
 * page's Content-Security-Policy, so the policy also allows the view's script and stylesheet, by
 * the hashes the writer's own policy names (HTML_CSP): nothing else.
 */
import { escapeHtml } from '../../write/escape.js';
import { HTML_CSP } from '../../write/formats/html.js';
import { createHash } from 'node:crypto';
import { PAGE_SCRIPT } from './script.js';
import { PAGE_STYLE } from './style.js';

/** The formats the page offers as downloads. */
export const PAGE_DOWNLOADS = ['txt', 'html', 'jsonl', 'tmx', 'xliff'] as const;

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The sources one directive of the HTML view's policy allows. */
function viewSources(directive: string): string {
  const found = HTML_CSP.split(';').map((part) => part.trim()).find((part) => part.startsWith(`${directive} `));
  if (!found) throw new Error(`HTML_CSP has no ${directive}`);
  return found.slice(directive.length + 1);
}

export const PAGE_CSP = [
  "default-src 'none'",
  `script-src ${hash(PAGE_SCRIPT)} ${viewSources('script-src')}`,
  `style-src ${hash(PAGE_STYLE)} ${viewSources('style-src')}`,
  "connect-src 'self'",
  // No frame-src: the view is a srcdoc frame, which loads nothing. Downloads from blob: URLs are
  // link navigations, which no directive here governs.
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface PageSettings {
  model: string;
  maxChars: number;
  keyRequired: boolean;
  version: string;
}

export function renderPage(settings: PageSettings): string {
  const downloads = PAGE_DOWNLOADS.map((format) => `<button type="button" data-format="${format}">${format}</button>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>fr2en: French to English</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>fr2en <span>French → English</span></h1>
<p class="meta">Translated on this machine by fr2en ${escapeHtml(settings.version)}, model ${escapeHtml(settings.model)}.</p>
</header>
<main id="app" data-max-chars="${settings.maxChars}" data-key-required="${settings.keyRequired}">
<form id="form" novalidate>
<label for="source">French text</label>
<textarea id="source" lang="fr" spellcheck="false" aria-describedby="count source-hint" placeholder="Collez un texte en français, ou déposez un fichier .txt ici."></textarea>
<p class="hint" id="source-hint">Paste text or drop a .txt file on this box. Ctrl+Enter translates; Escape cancels.</p>
<div class="bar">
<label class="file">Open a .txt file: <input type="file" id="file" accept=".txt,text/plain"></label>
<span id="count"></span>
</div>
<div class="bar" id="key-row" hidden><label for="key">API key</label><input id="key" type="password" autocomplete="off"></div>
<div class="bar"><button type="submit" class="primary" id="translate">Translate</button><button type="button" id="cancel" hidden>Cancel</button></div>
</form>
<div id="status" role="status"><progress id="progress" max="1" value="0" hidden aria-label="Translation progress"></progress><span id="status-text"></span></div>
<p id="error" role="alert" hidden></p>
<section id="result" hidden aria-labelledby="result-title">
<h2 id="result-title">Translation</h2>
<div class="controls">
<fieldset><legend>View</legend>
<label><input type="radio" name="view" value="sbs" checked> Side by side</label>
<label><input type="radio" name="view" value="en"> English only</label>
</fieldset>
<div class="downloads" role="group" aria-label="Download"><span aria-hidden="true">Download</span>
${downloads}
</div>
</div>
<iframe id="view" title="French and English side by side" sandbox="allow-scripts"></iframe>
<div id="english" lang="en" tabindex="0" role="region" aria-label="English translation" hidden></div>
</section>
</main>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
