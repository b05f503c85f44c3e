/**
 * Word-level differences between two versions of a sentence, as spans that rebuild both texts
 * exactly: the `equal` and `delete` spans, in order, are the first text; `equal` and `insert`,
 * the second.
 *
 * jsdiff's `diffWords` reads best (it joins "The big cat" -> "A small dog" into one change), but
 * it drops whitespace differences from the first text, so its spans do not rebuild it.
 * `diffWordsWithSpace` is exact, treating each run of spaces as a token, and so it cuts changes
 * at every space they share ("[-The-]{+A+} [-big-]{+small+}"). Here the exact diff is taken and a
 * space between two changes is folded into them, which gives diffWords' reading and exact spans.
 */
import { diffWordsWithSpace } from 'diff';

export const DIFF_OPS = ['equal', 'delete', 'insert'] as const;
export type DiffOp = (typeof DIFF_OPS)[number];

export interface DiffSpan {
  readonly op: DiffOp;
  readonly text: string;
}

/** A `[start, end)` range of UTF-16 code units in one text. */
export type TextRange = readonly [start: number, end: number];

/** Words (letters, marks and digits) and single punctuation marks: what the diff counts. */
const WORD = /[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]/gu;

export function wordCount(text: string): number {
  let count = 0;
  for (const _ of text.matchAll(WORD)) count++;
  return count;
}

export function wordDiff(from: string, to: string): DiffSpan[] {
  if (from === to) return from === '' ? [] : [{ op: 'equal', text: from }];
  const changes = diffWordsWithSpace(from, to);
  const spans: DiffSpan[] = [];
  let deleted = '';
  let inserted = '';
  const flush = (): void => {
    // Spaces both sides of a change share at its edges belong to the text around it.
    const lead = sharedSpace(deleted, inserted, 'start');
    const trail = sharedSpace(deleted.slice(lead.length), inserted.slice(lead.length), 'end');
    push(spans, 'equal', lead);
    push(spans, 'delete', deleted.slice(lead.length, deleted.length - trail.length));
    push(spans, 'insert', inserted.slice(lead.length, inserted.length - trail.length));
    push(spans, 'equal', trail);
    deleted = '';
    inserted = '';
  };
  changes.forEach((change, i) => {
    if (change.added) inserted += change.value;
    else if (change.removed) deleted += change.value;
    else if (/^\s+$/.test(change.value) && (deleted || inserted) && i + 1 < changes.length) {
      // Only spaces between this change and the next: one change on both sides.
      deleted += change.value;
      inserted += change.value;
    } else {
      flush();
      push(spans, 'equal', change.value);
    }
  });
  flush();
  return spans;
}

/** The longest run of whitespace at the start (or end) of both texts. */
function sharedSpace(a: string, b: string, side: 'start' | 'end'): string {
  const pattern = side === 'start' ? /^\s*/ : /\s*$/;
  const x = pattern.exec(a)![0];
  const y = pattern.exec(b)![0];
  let n = 0;
  const max = Math.min(x.length, y.length);
  if (side === 'start') {
    while (n < max && x[n] === y[n]) n++;
    return x.slice(0, n);
  }
  while (n < max && x[x.length - 1 - n] === y[y.length - 1 - n]) n++;
  return x.slice(x.length - n);
}

/** Appends a span, merging it into the last one when they have the same op. */
function push(spans: DiffSpan[], op: DiffOp, text: string): void {
  if (text === '') return;
  const last = spans[spans.length - 1];
  if (last?.op === op) spans[spans.length - 1] = { op, text: last.text + text };
  else spans.push({ op, text });
}

/** The text a side of the diff rebuilds: `from` (equal + delete) or `to` (equal + insert). */
export function sideText(spans: readonly DiffSpan[], side: 'from' | 'to'): string {
  const skip: DiffOp = side === 'from' ? 'insert' : 'delete';
  return spans.filter((span) => span.op !== skip).map((span) => span.text).join('');
}

/** Where the changes lie in one side's text: deletions in `from`, insertions in `to`. */
export function changedRanges(spans: readonly DiffSpan[], side: 'from' | 'to'): TextRange[] {
  const changed: DiffOp = side === 'from' ? 'delete' : 'insert';
  const skip: DiffOp = side === 'from' ? 'insert' : 'delete';
  const ranges: TextRange[] = [];
  let offset = 0;
  for (const span of spans) {
    if (span.op === skip) continue;
    if (span.op === changed) ranges.push([offset, offset + span.text.length]);
    offset += span.text.length;
  }
  return ranges;
}

/** Words changed on both sides, and that count as a share of all the words on both sides (0-1). */
export function changeShare(spans: readonly DiffSpan[]): { changedWords: number; share: number } {
  let changedWords = 0;
  let words = 0;
  for (const span of spans) {
    const count = wordCount(span.text);
    // An equal span is in both texts.
    words += span.op === 'equal' ? 2 * count : count;
    if (span.op !== 'equal') changedWords += count;
  }
  return { changedWords, share: words === 0 ? 0 : changedWords / words };
}

/** Text cut into runs, each marked or not, from (possibly overlapping) ranges to mark. */
export function markRuns(text: string, ranges: readonly TextRange[]): Array<{ text: string; marked: boolean }> {
  const sorted = [...ranges].filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0]);
  const runs: Array<{ text: string; marked: boolean }> = [];
  let offset = 0;
  let i = 0;
  while (i < sorted.length) {
    let [start, end] = sorted[i++];
    while (i < sorted.length && sorted[i][0] <= end) end = Math.max(end, sorted[i++][1]);
    if (start > offset) runs.push({ text: text.slice(offset, start), marked: false });
    runs.push({ text: text.slice(start, end), marked: true });
    offset = end;
  }
  if (offset < text.length || runs.length === 0) runs.push({ text: text.slice(offset), marked: false });
  return runs;
}
