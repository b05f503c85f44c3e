/**
 * The English columns every renderer shows: each version, then the reference. Within a column's
 * text, the marked runs are what differs: in the first version, words that some other version (or
 * the reference, when it is the other side of the diff) does not have; in any other diffed
 * column, words that the first version does not have.
 */
import type { ComparedFile, ComparedPair, Comparison } from './types.js';
import { changedRanges, markRuns, type TextRange } from './word-diff.js';

export interface Column extends ComparedFile {
  readonly role: 'version' | 'reference';
}

export interface TextRun {
  readonly text: string;
  /** `deleted`: in the first version only; `inserted`: in this text, not in the first version. */
  readonly mark?: 'deleted' | 'inserted';
}

export function columnsOf(comparison: Comparison): Column[] {
  const versions = comparison.versions.map((file): Column => ({ ...file, role: 'version' }));
  return comparison.reference ? [...versions, { ...comparison.reference, role: 'reference' }] : versions;
}

/** Column `column`'s text in `pair`. */
export function columnText(pair: ComparedPair, column: number): string {
  return column < pair.texts.length ? pair.texts[column] : (pair.reference ?? '');
}

/** Column `column`'s text in `pair`, cut into runs with the differences marked. */
export function columnRuns(pair: ComparedPair, column: number): TextRun[] {
  const text = columnText(pair, column);
  let ranges: TextRange[];
  if (column === 0) ranges = pair.diffs.flatMap((diff) => changedRanges(diff.spans, 'from'));
  else ranges = pair.diffs.filter((diff) => diff.to === column).flatMap((diff) => changedRanges(diff.spans, 'to'));
  const mark = column === 0 ? 'deleted' : 'inserted';
  return markRuns(text, ranges).flatMap((run): TextRun[] => {
    if (!run.marked) return [{ text: run.text }];
    // A deleted "word " reads as a struck word and a space: spaces at the edges are shown unmarked.
    const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(run.text)!;
    if (core === '') return [{ text: run.text, mark }]; // a change of spacing only: keep it visible
    return [...(lead ? [{ text: lead }] : []), { text: core, mark }, ...(trail ? [{ text: trail }] : [])];
  });
}

/** Column `column`'s sentence chrF in `pair` (null for the first version without a reference, and for the reference). */
export function columnChrf(pair: ComparedPair, column: number): number | null {
  return column < pair.chrf.length ? pair.chrf[column] : null;
}
