/**
 * The summary as plain lines, for the terminal (`sbs`, and what `fr2en compare` prints after
 * writing files) and as the facts the Markdown and HTML summaries are laid out from.
 */
import { pyFixed } from '../../score/index.js';
import { cleanText } from '../../write/escape.js';
import type { ComparedPair, Comparison, CorpusScores } from '../types.js';

/** A score as sacreBLEU prints it (one decimal). */
export const score1 = (score: number): string => pyFixed(score, 1);

/** `72.5%`; `0%` of nothing. */
export function percent(part: number, whole: number): string {
  return `${pyFixed(whole === 0 ? 0 : (100 * part) / whole, 1)}%`;
}

/** `62%`: a pair's difference, as a share of words. */
export const differenceText = (pair: ComparedPair): string => `${Math.round(100 * pair.difference)}%`;

/** What `identical` means for this comparison, in words. */
export const identicalWhere = (comparison: Comparison): string =>
  comparison.versions.length > 1 ? 'identical in every version' : 'identical to the reference';

/** `B against A: BLEU = 83.4 chrF2 = 90.1` */
export const corpusLine = (scores: CorpusScores): string =>
  `${scores.label} against ${scores.against}: BLEU = ${score1(scores.bleu.score)} ${scores.chrf.name} = ${score1(scores.chrf.score)}`;

export const HOW_DIFFERENCE_IS_MEASURED =
  'Share of words: the words and punctuation marks deleted or inserted between the first version and another text, over all those in both; the largest share counts';

/** The summary, one fact a line; all text cleaned of control characters. */
export function summaryLines(comparison: Comparison): string[] {
  const { summary } = comparison;
  const files = [
    ...comparison.versions.map((version) => `${version.label} = ${version.file}`),
    ...(comparison.reference ? [`reference = ${comparison.reference.file}`] : []),
  ];
  const lines = [
    `Versions: ${files.join(', ')}; French from ${comparison.sourceFile}`,
    `Pairs: ${summary.pairs}; ${identicalWhere(comparison)}: ${summary.identical} (${percent(summary.identical, summary.pairs)})`,
  ];
  if (comparison.versions.length > 2) {
    summary.identicalToFirst.slice(1).forEach((count, v) => {
      lines.push(`${comparison.versions[v + 1].label} identical to ${comparison.versions[0].label}: ${count} (${percent(count, summary.pairs)})`);
    });
  }
  lines.push(...summary.between.map(corpusLine), ...summary.againstReference.map(corpusLine));
  for (const tally of summary.tallies) {
    lines.push(
      `${tally.label} against ${comparison.versions[0].label}, by sentence chrF against the reference: better on ${tally.better} pairs, worse on ${tally.worse}, tied on ${tally.tied}`,
    );
  }
  const most = summary.mostDifferent.map((index) => comparison.pairs[index]);
  lines.push(summary.identical === summary.pairs ? 'Most different pairs: none, every pair is identical' : `Most different pairs, by share of words: ${most.map((pair) => `${pair.id} (${differenceText(pair)})`).join(', ')}`);
  lines.push(`  (${HOW_DIFFERENCE_IS_MEASURED})`);
  lines.push(`BLEU|${comparison.signatures.bleu}`, `chrF2|${comparison.signatures.chrf}`);
  return lines.map(cleanText);
}
