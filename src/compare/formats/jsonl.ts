import { cleanText } from '../../write/escape.js';
import { columnsOf } from '../columns.js';
import type { DiffOp } from '../word-diff.js';
import type { CompareRenderer } from './types.js';

/**
 * One JSON record per pair, in the inputs' order, keys always in this order (`reference` only
 * when there is one). Spans rebuild both texts of a diff: `equal` + `delete` = `from`'s text,
 * `equal` + `insert` = `to`'s.
 */
export interface CompareJsonlRecord {
  id: string;
  source: string;
  /** Each version's text and sentence chrF (null: the first version, when chrF is against it). */
  versions: Array<{ label: string; text: string; chrf: number | null }>;
  reference?: string;
  /** `reference`, or the first version's label. */
  chrfAgainst: string;
  identical: boolean;
  /** Share of words changed (0-1), the largest over `diffs`. */
  difference: number;
  /** 0 = the most different pair. */
  rank: number;
  diffs: Array<{ from: string; to: string; changedWords: number; share: number; spans: Array<{ op: DiffOp; text: string }> }>;
}

export const jsonl: CompareRenderer = {
  name: 'jsonl',
  fileName: 'compare.jsonl',
  description: 'one JSON record per pair: texts, differences as spans, scores',
  render(comparison) {
    const columns = columnsOf(comparison);
    let out = '';
    for (const pair of comparison.pairs) {
      const record: CompareJsonlRecord = {
        id: cleanText(pair.id),
        source: cleanText(pair.source),
        versions: comparison.versions.map((version, v) => ({ label: cleanText(version.label), text: cleanText(pair.texts[v]), chrf: pair.chrf[v] })),
        ...(pair.reference !== undefined ? { reference: cleanText(pair.reference) } : {}),
        chrfAgainst: cleanText(comparison.chrfAgainst),
        identical: pair.identical,
        difference: pair.difference,
        rank: pair.rank,
        diffs: pair.diffs.map((diff) => ({
          from: cleanText(columns[0].label),
          to: cleanText(columns[diff.to].label),
          changedWords: diff.changedWords,
          share: diff.share,
          // cleanText keeps lengths, so cleaned spans still rebuild the cleaned texts.
          spans: diff.spans.map((span) => ({ op: span.op, text: cleanText(span.text) })),
        })),
      };
      out += `${JSON.stringify(record)}\n`;
    }
    return out;
  },
};
