import { escapeMarkdownCell } from '../../write/escape.js';
import { columnChrf, columnRuns, columnsOf } from '../columns.js';
import type { ComparedPair, Comparison, CorpusScores } from '../types.js';
import { differenceText, HOW_DIFFERENCE_IS_MEASURED, identicalWhere, percent, score1 } from './summary-text.js';
import type { CompareRenderer } from './types.js';

/**
 * A summary (corpus scores as a table, identical share, most different pairs), then a GitHub
 * Markdown table with one row per pair: number, id, French, each version, the reference.
 * Differences are `<del>` (words only in the first version) and `<ins>` (words the first version
 * lacks): GitHub and most renderers show them struck and underlined, where `~~`/`**` would fail
 * next to punctuation. Text goes through `escapeMarkdownCell`; only these two tags are added.
 */
const e = escapeMarkdownCell;

function cell(pair: ComparedPair, column: number): string {
  const text = columnRuns(pair, column)
    .map((run) => (run.mark === 'deleted' ? `<del>${e(run.text)}</del>` : run.mark === 'inserted' ? `<ins>${e(run.text)}</ins>` : e(run.text)))
    .join('');
  const chrf = columnChrf(pair, column);
  return chrf === null ? text : `${text} <sub>chrF ${score1(chrf)}</sub>`;
}

const scoreRow = (scores: CorpusScores): string =>
  `| ${e(scores.label)} against ${e(scores.against)} | ${score1(scores.bleu.score)} | ${score1(scores.chrf.score)} |`;

function summary(comparison: Comparison): string {
  const { summary: s } = comparison;
  const lines = [
    ...comparison.versions.map((version) => `- **${e(version.label)}**: ${e(version.file)}`),
    ...(comparison.reference ? [`- **reference**: ${e(comparison.reference.file)}`] : []),
    `- French from ${e(comparison.sourceFile)}`,
    '',
    `${s.identical} of ${s.pairs} pairs are ${identicalWhere(comparison)} (${percent(s.identical, s.pairs)}).`,
    '',
    '| corpus scores | BLEU | chrF2 |',
    '| --- | --: | --: |',
    ...s.between.map(scoreRow),
    ...s.againstReference.map(scoreRow),
    '',
  ];
  for (const tally of s.tallies) {
    lines.push(`By sentence chrF against the reference, ${e(tally.label)} beats ${e(comparison.versions[0].label)} on ${tally.better} pairs, loses on ${tally.worse}, ties on ${tally.tied}.`, '');
  }
  const most = s.mostDifferent.map((index) => comparison.pairs[index]);
  lines.push(
    s.identical === s.pairs ? 'No pair differs.' : `Most different pairs, by share of words: ${most.map((pair) => `${e(pair.id)} (${differenceText(pair)})`).join(', ')}.`,
    `(${e(HOW_DIFFERENCE_IS_MEASURED)}.)`,
    '',
    `Signatures: \`BLEU|${comparison.signatures.bleu}\`, \`chrF2|${comparison.signatures.chrf}\`.`,
    '',
  );
  return lines.join('\n');
}

export const md: CompareRenderer = {
  name: 'md',
  fileName: 'compare.md',
  description: 'Markdown: summary, then a table of pairs with <del>/<ins> differences',
  render(comparison, options) {
    const columns = columnsOf(comparison);
    const first = e(columns[0].label);
    const head = `| # | id | Français | ${columns.map((column) => e(column.label)).join(' | ')} |\n| --: | --- | --- | ${columns.map(() => '---').join(' | ')} |\n`;
    const rows = comparison.pairs
      .map((pair) => `| ${pair.index + 1} | ${e(pair.id)} | ${e(pair.source)} | ${columns.map((_, c) => cell(pair, c)).join(' | ')} |\n`)
      .join('');
    return (
      `# Comparison of ${comparison.versions.length} translations (fr2en ${e(options.toolVersion)})\n\n` +
      summary(comparison) +
      `\n<del>Struck</del>: in ${first} only. <ins>Underlined</ins>: not in ${first}. ` +
      `chrF: sentence chrF against ${comparison.chrfAgainst === 'reference' ? 'the reference' : first}.\n\n` +
      head +
      rows
    );
  },
};
