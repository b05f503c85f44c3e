import { escapeHtml } from '../../write/escape.js';
import { hashedInlinePolicy } from '../../write/formats/html.js';
import { columnChrf, columnRuns, columnsOf, type Column } from '../columns.js';
import type { ComparedPair, Comparison, CorpusScores } from '../types.js';
import { differenceText, HOW_DIFFERENCE_IS_MEASURED, identicalWhere, percent, score1 } from './summary-text.js';
import type { CompareRenderer } from './types.js';

/**
 * One self-contained page: a summary, then one grid row per pair with the French, each version
 * and the reference side by side. Differences are `<del>` (only in the first version) and `<ins>`
 * (not in it), coloured and also struck or underlined, so they do not rest on colour alone.
 *
 * Two checkboxes, reachable with Tab and toggled with Space:
 * - "Only different pairs" hides the pairs whose versions are all the same. It is CSS
 *   (`:has(:checked)`), so it works without the script.
 * - "Sort by difference" puts the rows in order of difference, most different first, and back.
 *   The order must change in the document, not only on screen (CSS `order`), or Tab would jump
 *   around the page; so the one inline script moves the rows. The rank of each row is written in
 *   the page (`data-rank`); the script only sorts by it. Its control stays hidden until the
 *   script runs, so a page whose script cannot run shows no dead control.
 *
 * The grid has as many columns as the comparison has texts without per-page CSS: after the
 * number column, each cell is an implicit column (`grid-auto-flow: column`). Below 40rem (a phone)
 * cells stack, each headed by its column's name.
 *
 * Safety is the HTML view's: every text from the inputs (sentences, file names, labels, ids) goes
 * through `escapeHtml`, and the Content-Security-Policy allows only this page's own script and
 * stylesheet, by hash, so no text can run even if some were to slip through.
 */

const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--rule:#d1d9e0;--hl:#fff0a8;--focus:#0969da;--del:#ffebe9;--del-line:#cf222e;--ins:#dafbe1;--ins-line:#1a7f37}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--rule:#3d444d;--hl:#574500;--focus:#4493f8;--del:#5d1a1d;--del-line:#ff7b72;--ins:#0f3d1f;--ins-line:#56d364}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
header,main{max-width:110rem;margin:0 auto;padding:0 1.5rem}
header{padding-top:1.25rem;padding-bottom:.75rem}
h1{font-size:1.35rem;margin:0 0 .5rem}
.files{display:grid;grid-template-columns:auto minmax(0,1fr);gap:0 .75rem;margin:0 0 .75rem;font-size:.875rem}
.files dt{font-weight:600}
.files dd{margin:0;overflow-wrap:anywhere;color:var(--muted)}
.summary{font-size:.9rem}
.summary p{margin:.4rem 0}
.scores{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:.4rem 0}
.scores th,.scores td{padding:.15rem .75rem .15rem 0;text-align:right;border-bottom:1px solid var(--rule)}
.scores th:first-child,.scores td:first-child{text-align:left}
.note,.legend{color:var(--muted);font-size:.8rem;overflow-wrap:anywhere}
a{color:var(--focus)}
a:focus-visible{outline:2px solid var(--focus);outline-offset:1px}
.controls{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:.75rem 0}
.toggle{display:inline-flex;align-items:center;gap:.4em;cursor:pointer;font-weight:600}
.toggle[hidden]{display:none}
.toggle input{margin:0;width:1rem;height:1rem;accent-color:var(--focus)}
.toggle input:focus-visible{outline:2px solid var(--focus);outline-offset:2px}
main{padding-bottom:3rem}
.row{display:grid;grid-template-columns:3.5rem;grid-auto-columns:minmax(0,1fr);grid-auto-flow:column;gap:0 1.25rem;padding:.6rem 0;border-top:1px solid var(--rule);content-visibility:auto;contain-intrinsic-size:auto 5rem;scroll-margin-top:3rem}
.cols{position:sticky;top:0;z-index:1;background:var(--bg);font-weight:600;color:var(--muted);border-top:0;border-bottom:1px solid var(--rule);content-visibility:visible}
.pairs>.row:first-child{border-top:0}
.row:target{background:var(--hl)}
.num{color:var(--muted);text-align:right;font-variant-numeric:tabular-nums;font-size:.8rem;padding-top:.2rem}
.num .diff{display:block;font-size:.75rem}
.fr,.en{white-space:pre-wrap;overflow-wrap:anywhere}
.fr{color:var(--muted)}
.chrf{display:block;color:var(--muted);font-size:.75rem;font-variant-numeric:tabular-nums}
del{background:var(--del);text-decoration:line-through;text-decoration-color:var(--del-line);border-radius:2px}
ins{background:var(--ins);text-decoration:underline;text-decoration-color:var(--ins-line);text-underline-offset:.15em;border-radius:2px}
body:has(#only-different:checked) .pair[data-same]{display:none}
@media (max-width:40rem){header,main{padding:0 .75rem}.row{grid-auto-flow:row;grid-template-columns:minmax(0,1fr);gap:.35rem}.cols{display:none}.num{text-align:left}.num .diff{display:inline;margin-left:.5em}[data-label]::before{content:attr(data-label);display:block;font-size:.75rem;font-weight:600;color:var(--muted)}}
@media print{:root{--bg:#fff;--fg:#000;--muted:#555;--rule:#bbb;--del:#fff;--ins:#fff}.controls{display:none}.cols{position:static}.row{content-visibility:visible;break-inside:avoid}}
`.trim();

// Plain DOM, no document text inside: nothing from the inputs is ever evaluated.
const SCRIPT = `
(function () {
  'use strict';
  var list = document.querySelector('.pairs');
  var toggle = document.getElementById('sort-difference');
  var rows = Array.prototype.map.call(list.children, function (row) {
    return { row: row, rank: Number(row.dataset.rank), order: Number(row.dataset.order) };
  });
  function arrange() {
    var key = toggle.checked ? 'rank' : 'order';
    var sorted = rows.slice().sort(function (a, b) { return a[key] - b[key]; });
    // Emptied, then refilled at once: moving rows one by one re-checks styles at each move
    // (measured: 8 s for 10,000 rows in Chromium, against 0.25 s this way).
    list.textContent = '';
    var fragment = document.createDocumentFragment();
    sorted.forEach(function (item) { fragment.appendChild(item.row); });
    list.appendChild(fragment);
  }
  toggle.addEventListener('change', arrange);
  document.getElementById('sort-control').hidden = false;
  if (toggle.checked) arrange();
})();
`.trim();

/** The page's policy: exported so tests can check it. */
export const COMPARE_HTML_CSP = hashedInlinePolicy(SCRIPT, STYLE);

const e = escapeHtml;

function englishCell(pair: ComparedPair, column: Column, c: number): string {
  const text = columnRuns(pair, c)
    .map((run) => (run.mark === 'deleted' ? `<del>${e(run.text)}</del>` : run.mark === 'inserted' ? `<ins>${e(run.text)}</ins>` : e(run.text)))
    .join('');
  const chrf = columnChrf(pair, c);
  const score = chrf === null ? '' : `<span class="chrf">chrF ${score1(chrf)}</span>`;
  return `<div class="en" lang="en" data-label="${e(column.label)}">${text}${score}</div>`;
}

function pairRow(pair: ComparedPair, columns: readonly Column[]): string {
  const difference = pair.identical ? 'same' : differenceText(pair);
  return (
    `<div class="row pair" id="pair-${pair.index}" data-order="${pair.index}" data-rank="${pair.rank}"${pair.identical ? ' data-same' : ''}>` +
    `<span class="num" title="${e(pair.id)}">${pair.index + 1}<span class="diff">${difference}</span></span>` +
    `<div class="fr" lang="fr" data-label="Français">${e(pair.source)}</div>` +
    columns.map((column, c) => englishCell(pair, column, c)).join('') +
    '</div>\n'
  );
}

const scoreRow = (scores: CorpusScores): string =>
  `<tr><td>${e(scores.label)} against ${e(scores.against)}</td><td>${score1(scores.bleu.score)}</td><td>${score1(scores.chrf.score)}</td></tr>`;

function summary(comparison: Comparison): string {
  const { summary: s, versions } = comparison;
  const first = e(versions[0].label);
  const tallies = s.tallies
    .map((t) => `<p>By sentence chrF against the reference, ${e(t.label)} beats ${first} on ${t.better} pairs, loses on ${t.worse}, ties on ${t.tied}.</p>`)
    .join('\n');
  const most = s.mostDifferent.map((index) => comparison.pairs[index]);
  const mostText =
    s.identical === s.pairs
      ? 'No pair differs.'
      : `Most different pairs, by share of words: ${most.map((pair) => `<a href="#pair-${pair.index}">${e(pair.id)}</a> (${differenceText(pair)})`).join(', ')}.`;
  return `<section class="summary" aria-label="Summary">
<p>${s.identical} of ${s.pairs} pairs are ${identicalWhere(comparison)} (${percent(s.identical, s.pairs)}).</p>
<table class="scores"><thead><tr><th>corpus scores</th><th>BLEU</th><th>chrF2</th></tr></thead><tbody>
${[...s.between, ...s.againstReference].map(scoreRow).join('\n')}
</tbody></table>
${tallies}
<p>${mostText}</p>
<p class="note">${e(HOW_DIFFERENCE_IS_MEASURED)}. Signatures: BLEU|${e(comparison.signatures.bleu)}; chrF2|${e(comparison.signatures.chrf)}</p>
</section>`;
}

export const html: CompareRenderer = {
  name: 'html',
  fileName: 'compare.html',
  description: 'self-contained page: French and each version in columns, differences highlighted, filter and sort',
  render(comparison, options) {
    const columns = columnsOf(comparison);
    const first = e(columns[0].label);
    const files = [
      ...columns.map((column) => `<dt>${e(column.label)}</dt><dd>${e(column.file)}</dd>`),
      `<dt>Français</dt><dd>${e(comparison.sourceFile)}</dd>`,
    ].join('');
    const against = comparison.chrfAgainst === 'reference' ? 'the reference' : first;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${COMPARE_HTML_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="fr2en ${e(options.toolVersion)}">
<title>Comparison: ${columns.map((column) => e(column.label)).join(', ')}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Comparison of ${comparison.versions.length} ${comparison.versions.length === 1 ? 'translation' : 'translations'}</h1>
<dl class="files">${files}</dl>
<div class="controls">
<label class="toggle"><input type="checkbox" id="only-different"> Only different pairs</label>
<label class="toggle" id="sort-control" hidden><input type="checkbox" id="sort-difference"> Sort by difference</label>
</div>
${summary(comparison)}
<p class="legend"><del>Struck</del>: only in ${first}. <ins>Underlined</ins>: not in ${first}. Under each text, its sentence chrF against ${against}; under each number, the share of words that differ.</p>
</header>
<main>
<div class="row cols" aria-hidden="true"><span class="num">#</span><span>Français</span>${columns.map((column) => `<span>${e(column.label)}</span>`).join('')}</div>
<div class="pairs">
${comparison.pairs.map((pair) => pairRow(pair, columns)).join('')}</div>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
  },
};
