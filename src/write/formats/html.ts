import { createHash } from 'node:crypto';
import type { AlignedParagraph, SentencePair } from '../../document.js';
import { escapeHtml } from '../escape.js';
import { needsReview, QA_MARK, reviewSummary, type DocumentTotals } from '../review.js';
import { pairId, paragraphId, type WriteMeta, type Writer } from './types.js';

/**
 * One self-contained page: French and English columns, one grid row per paragraph, one focusable
 * `<span class="s">` per sentence. Hovering or focusing a sentence highlights its counterpart
 * (`data-pair` names it; `aria-describedby` lets a screen reader read it). Layout is CSS only;
 * the one inline script handles highlighting with four delegated listeners on `<main>`, so a
 * 500-paragraph page has no per-sentence listeners. `content-visibility: auto` lets the browser
 * skip rendering rows off screen.
 *
 * Review: each pair that `needsReview` carries `data-review` on its sentences, badges and row,
 * and each quality finding is a badge (`⚠ numbers`, its message shown in review mode, in print
 * and on hover). The header, written once the document's totals are known, sums them up
 * (`3 of 14 pairs to review: 2 numbers, 1 failed.`) beside a "Show only pairs to review"
 * checkbox. The filter is CSS (`:has(:checked)`: Chromium 105, Firefox 121, Safari 15.4), so it
 * needs no script and no change to the CSP, and the checkbox's own checked state is what
 * assistive technology reads.
 *
 * Safety: all document text is escaped (`escapeHtml`), and the Content-Security-Policy allows
 * only this file's own script and stylesheet, by sha256 hash: no other script, style attribute,
 * image, font or connection, even if some text were to slip through.
 */

const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--rule:#d1d9e0;--hl:#fff0a8;--focus:#0969da;--flag:#9a6700;--failed:#cf222e;--qa:#bc4c00}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--rule:#3d444d;--hl:#574500;--focus:#4493f8;--flag:#d29922;--failed:#f85149;--qa:#f0883e}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
header,main{max-width:84rem;margin:0 auto;padding:0 1.5rem}
header{padding-top:1.25rem;padding-bottom:.5rem}
h1{font-size:1.35rem;margin:0 0 .25rem;overflow-wrap:anywhere}
.meta,.hint{color:var(--muted);margin:0;font-size:.875rem}
main{padding-bottom:3rem}
.row{display:grid;grid-template-columns:2.5rem minmax(0,1fr) minmax(0,1fr);gap:0 1.5rem;padding:.6rem 0;border-top:1px solid var(--rule);content-visibility:auto;contain-intrinsic-size:auto 5rem}
.cols{position:sticky;top:0;z-index:1;background:var(--bg);font-weight:600;color:var(--muted);border-top:0;border-bottom:1px solid var(--rule);content-visibility:visible}
.cols+.row{border-top:0}
.num{color:var(--muted);text-align:right;font-variant-numeric:tabular-nums;font-size:.8rem;padding-top:.2rem;user-select:none}
.fr,.en{white-space:pre-wrap;overflow-wrap:anywhere}
.s{border-radius:3px;box-decoration-break:clone;-webkit-box-decoration-break:clone;transition:background-color .08s}
.s:hover,.s.is-active{background:var(--hl)}
.s:focus-visible{outline:2px solid var(--focus);outline-offset:1px}
.kind-heading .fr,.kind-heading .en{font-weight:700;font-size:1.15rem}
.kind-header{color:var(--muted);font-size:.875rem}
.flag{font-size:.75em;color:var(--flag);border:1px solid currentColor;border-radius:3px;padding:0 .3em;margin-left:.3em;white-space:nowrap}
.flag-failed{color:var(--failed)}
.review{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1.25rem;margin-top:.5rem;font-size:.875rem}
.review-summary{margin:0;font-weight:600}
.review-toggle{display:inline-flex;align-items:center;gap:.4em;cursor:pointer}
#review-only{margin:0;width:1rem;height:1rem;accent-color:var(--focus)}
#review-only:focus-visible{outline:2px solid var(--focus);outline-offset:2px}
.qa{font-size:.75em;color:var(--qa);border:1px solid currentColor;border-radius:3px;padding:0 .3em;margin-left:.3em}
.qa-check{white-space:nowrap}
.qa-msg{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
body:has(#review-only:checked) .row:not(.cols):not([data-review]),body:has(#review-only:checked) :is(.fr,.en)>:not([data-review]){display:none}
body:has(#review-only:checked) .qa-msg{position:static;width:auto;height:auto;overflow:visible;clip-path:none;white-space:normal}
@media (prefers-reduced-motion:reduce){.s{transition:none}}
@media (max-width:40rem){.row{grid-template-columns:2rem minmax(0,1fr)}.en{grid-column:2;margin-top:.4rem}.cols .en{display:none}}
@media print{:root{--bg:#fff;--fg:#000;--muted:#555;--rule:#bbb}body{font-size:10pt}header,main{max-width:none;padding:0}.hint{display:none}.cols{position:static}.row{content-visibility:visible;break-inside:avoid}.s:hover,.s.is-active{background:none}.flag,.qa{border-color:#000;color:#000}.review-toggle{display:none}.qa-msg{position:static;width:auto;height:auto;overflow:visible;clip-path:none;white-space:normal}}
`.trim();

// Plain DOM, no `<` or `&` in the source, no document text inside: text is never evaluated.
const SCRIPT = `
(function () {
  'use strict';
  var main = document.querySelector('main');
  var active = [];
  function clear() {
    active.forEach(function (el) { el.classList.remove('is-active'); });
    active = [];
  }
  function show(event) {
    clear();
    var sentence = event.target instanceof Element ? event.target.closest('.s') : null;
    if (!sentence) return;
    var pair = document.getElementById(sentence.getAttribute('data-pair'));
    active = pair ? [sentence, pair] : [sentence];
    active.forEach(function (el) { el.classList.add('is-active'); });
  }
  main.addEventListener('mouseover', show);
  main.addEventListener('mouseleave', clear);
  main.addEventListener('focusin', show);
  main.addEventListener('focusout', clear);
})();
`.trim();

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * A Content-Security-Policy that allows one inline script and one inline stylesheet, by hash, and
 * nothing else. Shared with `fr2en compare`'s page.
 */
export function hashedInlinePolicy(script: string, style: string): string {
  return ["default-src 'none'", `script-src ${sha256(script)}`, `style-src ${sha256(style)}`, "base-uri 'none'", "form-action 'none'"].join('; ');
}

/** The page's policy: exported so tests can check it. */
export const HTML_CSP = hashedInlinePolicy(SCRIPT, STYLE);

/** One badge per quality finding: the check name always, the message in review mode and print. */
function qaBadges(pair: SentencePair): string {
  return pair.qa
    .map(
      (finding) =>
        `<span class="qa" data-review title="${escapeHtml(finding.message)}"><span class="qa-check"><span aria-hidden="true">${QA_MARK}</span> ` +
        `${escapeHtml(finding.check)}</span><span class="qa-msg">: ${escapeHtml(finding.message)}</span></span>`,
    )
    .join('');
}

function sentences(paragraph: AlignedParagraph, side: 'fr' | 'en'): string {
  if (paragraph.pairs.length === 0) return escapeHtml(side === 'fr' ? paragraph.source : paragraph.target);
  const other = side === 'fr' ? 'en' : 'fr';
  const inReview = paragraph.pairs.some(needsReview);
  return paragraph.pairs
    .map((pair) => {
      const id = pairId(paragraph, pair.index);
      const failed = pair.flags.includes('failed');
      const review = needsReview(pair) ? ' data-review' : '';
      const span =
        `<span class="s${side === 'en' && failed ? ' failed' : ''}" id="${side}-${id}" data-pair="${other}-${id}" ` +
        `aria-describedby="${other}-${id}" tabindex="0"${review}>${escapeHtml(side === 'fr' ? pair.source : pair.target)}</span>`;
      // In a row that review mode keeps, the space before a sentence is an element of its own, so
      // that it is hidden with the sentence instead of leaving a run of spaces (cells keep white
      // space as written). Other rows are hidden whole and keep plain spaces.
      const gap = pair.index === 0 ? '' : inReview ? `<span class="gap"${review}> </span>` : ' ';
      if (side === 'fr') return gap + span;
      const flags =
        pair.flags.length > 0 ? `<span class="flag${failed ? ' flag-failed' : ''}"${review}>${escapeHtml(pair.flags.join(', '))}</span>` : '';
      return gap + span + flags + qaBadges(pair);
    })
    .join('');
}

/** The review summary, and the filter when there is something to filter. */
function reviewBlock(totals: DocumentTotals): string {
  const summary = `<p class="review-summary" id="review-summary">${escapeHtml(reviewSummary(totals))}</p>`;
  const toggle =
    totals.toReview > 0
      ? `\n<label class="review-toggle"><input type="checkbox" id="review-only" aria-describedby="review-summary"> Show only pairs to review</label>`
      : '';
  return `<div class="review">\n${summary}${toggle}\n</div>`;
}

export const html: Writer = {
  name: 'html',
  extension: '.fr-en.html',
  description: 'self-contained web page, two aligned columns, linked highlighting, pairs to review',
  headerNeedsTotals: true,
  header: (meta: WriteMeta, totals: DocumentTotals) => `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="fr2en ${escapeHtml(meta.toolVersion)}">
<title>${escapeHtml(meta.file)} (French / English)</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(meta.file)}</h1>
<p class="meta">French source and English translation by fr2en ${escapeHtml(meta.toolVersion)}, model ${escapeHtml(meta.model)}.</p>
<p class="hint">Hover over a sentence, or move to it with Tab, to highlight its counterpart.</p>
${reviewBlock(totals)}
</header>
<main>
<div class="row cols" aria-hidden="true"><span class="num">¶</span><span class="fr">Français</span><span class="en">English</span></div>
`,
  paragraph: (paragraph) =>
    `<div class="row kind-${paragraph.kind}" id="${paragraphId(paragraph)}"${paragraph.pairs.some(needsReview) ? ' data-review' : ''}>` +
    `<span class="num">${paragraph.index + 1}</span>` +
    `<div class="fr" lang="fr">${sentences(paragraph, 'fr')}</div>` +
    `<div class="en" lang="en">${sentences(paragraph, 'en')}</div></div>\n`,
  footer: () => `</main>
<script>${SCRIPT}</script>
</body>
</html>
`,
};
