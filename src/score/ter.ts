/**
 * TER, translation edit rate (Snover et al., 2006), as sacreBLEU 2.6.0 computes it with its
 * defaults (`sacrebleu/metrics/ter.py`, `lib_ter.py`, `tokenizers/tokenizer_ter.py`): words are
 * split on whitespace after lowercasing (no normalization, punctuation kept, no Asian-script
 * handling), then block shifts are applied greedily, Tercom's way, while they lower the edit
 * distance; TER = (shifts + edits) / average reference length, in percent. The shift search keeps
 * sacreBLEU's limits (blocks of up to 10 words moved up to 50 positions, at most 1,000 candidate
 * shifts per segment) and its ranking of candidates, so the same shifts win.
 */
import { pyRstrip, pySplit } from './python-text.js';
import { BeamEditDistance, OP_DELETE, OP_INSERT, OP_MATCH, OP_SUBSTITUTE } from './ter-edit-distance.js';

const MAX_SHIFT_SIZE = 10;
const MAX_SHIFT_DIST = 50;
const MAX_SHIFT_CANDIDATES = 1000;

/** One segment's statistics: `[edits of the best reference, average reference length]`. */
export type TerStats = [edits: number, averageRefLength: number];

/** sacreBLEU's default Tercom tokenization: lowercase, split on whitespace. */
export function terWords(line: string): string[] {
  return pySplit(pyRstrip(line).toLowerCase());
}

export function terSegmentStats(hypWords: readonly string[], refWords: readonly (readonly string[])[]): TerStats {
  // Integer ids make the many comparisons and shifted copies cheap.
  const vocabulary = new Map<string, number>();
  const ids = (words: readonly string[]) =>
    Int32Array.from(words, (word) => {
      let id = vocabulary.get(word);
      if (id === undefined) {
        id = vocabulary.size;
        vocabulary.set(word, id);
      }
      return id;
    });
  const hyp = ids(hypWords);
  let bestEdits = 1e16;
  let refLengths = 0;
  for (const words of refWords) {
    const [edits, refLength] = translationEditRate(hyp, ids(words));
    refLengths += refLength;
    if (edits < bestEdits) bestEdits = edits;
  }
  return [bestEdits, refLengths / refWords.length];
}

/** `[total edits, sum of average reference lengths]` -> TER in percent. */
export function terFromStats(stats: readonly number[]): number {
  const [edits, refLength] = stats;
  if (refLength > 0) return 100 * (edits / refLength);
  // An empty reference: any hypothesis word is an error, and nothing against nothing is none.
  return edits > 0 ? 100 : 0;
}

/** Shifts plus edit distance, and the reference length. */
function translationEditRate(hyp: Int32Array, ref: Int32Array): [edits: number, refLength: number] {
  if (ref.length === 0) return [hyp.length, 0];
  const editDistance = new BeamEditDistance(ref);
  let shifts = 0;
  let words = hyp;
  let checked = 0;
  for (;;) {
    const shift = bestShift(words, ref, editDistance, checked);
    checked = shift.checked;
    // As in sacreBLEU: past the candidate limit even an improving shift is not applied.
    if (checked >= MAX_SHIFT_CANDIDATES || shift.gain <= 0) break;
    shifts++;
    words = shift.words;
  }
  return [shifts + editDistance.compute(words, false).distance, ref.length];
}

interface ShiftResult {
  /** How much the best shift lowers the edit distance (0 without candidates). */
  gain: number;
  words: Int32Array;
  /** Candidates evaluated so far in this segment, this call included. */
  checked: number;
}

/**
 * sacreBLEU's `_shift`: tries moving each block of the hypothesis that also occurs in the
 * reference to where the reference has it, and returns the best move. Candidates are ranked by
 * gain, then longer block, then earlier block, then earlier destination (Tercom's order).
 */
function bestShift(hyp: Int32Array, ref: Int32Array, editDistance: BeamEditDistance, checkedBefore: number): ShiftResult {
  const { distance: before, trace } = editDistance.compute(hyp);
  const { align, refErrors, hypErrors } = alignmentOf(flipTrace(trace), ref.length);
  let checked = checkedBefore;
  let best: { gain: number; length: number; start: number; target: number; words: Int32Array } | undefined;

  search: for (let startH = 0; startH < hyp.length; startH++) {
    for (let startR = 0; startR < ref.length; startR++) {
      if (Math.abs(startR - startH) > MAX_SHIFT_DIST) continue;
      // Each length of the common run starting here is a candidate block.
      for (let length = 1; length <= MAX_SHIFT_SIZE && hyp[startH + length - 1] === ref[startR + length - 1]; length++) {
        // Only move words that are wrong, to a place where the reference is not yet matched,
        // and not inside the block itself.
        const worthTrying =
          sum(hypErrors, startH, startH + length) > 0 &&
          sum(refErrors, startR, startR + length) > 0 &&
          !(startH <= align[startR] && align[startR] < startH + length);
        if (worthTrying) {
          let previousTarget = -1;
          for (let offset = -1; offset < length; offset++) {
            let target: number;
            if (startR + offset === -1) target = 0;
            else if (startR + offset < ref.length) target = align[startR + offset] + 1;
            else break;
            if (target === previousTarget) continue;
            previousTarget = target;
            const words = performShift(hyp, startH, length, target);
            const gain = before - editDistance.compute(words, false).distance;
            checked++;
            if (
              best === undefined ||
              gain > best.gain ||
              (gain === best.gain &&
                (length > best.length || (length === best.length && (startH < best.start || (startH === best.start && target < best.target)))))
            ) {
              best = { gain, length, start: startH, target, words };
            }
          }
          // sacreBLEU checks the limit only after a block it did not skip.
          if (checked >= MAX_SHIFT_CANDIDATES) break search;
        }
        // Stop when either side is used up.
        if (startH + length === hyp.length || startR + length === ref.length) break;
      }
    }
  }
  return best === undefined ? { gain: 0, words: hyp, checked } : { gain: best.gain, words: best.words, checked };
}

function sum(values: Uint8Array, from: number, to: number): number {
  let total = 0;
  for (let i = from; i < Math.min(to, values.length); i++) total += values[i];
  return total;
}

/** Rewriting the reference into the hypothesis instead: insertions and deletions swap. */
function flipTrace(trace: string): string {
  let flipped = '';
  for (const op of trace) flipped += op === OP_INSERT ? OP_DELETE : op === OP_DELETE ? OP_INSERT : op;
  return flipped;
}

/**
 * sacreBLEU's `trace_to_alignment`: for each reference position the hypothesis position it is
 * aligned to (-1 before the first), and which positions on each side are errors.
 */
function alignmentOf(trace: string, refLength: number): { align: Int32Array; refErrors: Uint8Array; hypErrors: Uint8Array } {
  const align = new Int32Array(refLength);
  const refErrors: number[] = [];
  const hypErrors: number[] = [];
  let posHyp = -1;
  let posRef = -1;
  for (const op of trace) {
    if (op === OP_MATCH || op === OP_SUBSTITUTE) {
      const error = op === OP_SUBSTITUTE ? 1 : 0;
      posHyp++;
      posRef++;
      align[posRef] = posHyp;
      hypErrors.push(error);
      refErrors.push(error);
    } else if (op === OP_INSERT) {
      posHyp++;
      hypErrors.push(1);
    } else {
      posRef++;
      align[posRef] = posHyp;
      refErrors.push(1);
    }
  }
  return { align, refErrors: Uint8Array.from(refErrors), hypErrors: Uint8Array.from(hypErrors) };
}

/** sacreBLEU's `_perform_shift`: moves `length` words at `start` to before position `target`. */
function performShift(words: Int32Array, start: number, length: number, target: number): Int32Array {
  const parts =
    target < start
      ? [words.subarray(0, target), words.subarray(start, start + length), words.subarray(target, start), words.subarray(start + length)]
      : target > start + length
        ? [words.subarray(0, start), words.subarray(start + length, target), words.subarray(start, start + length), words.subarray(target)]
        : [words.subarray(0, start), words.subarray(start + length, length + target), words.subarray(start, start + length), words.subarray(length + target)];
  const shifted = new Int32Array(words.length);
  let at = 0;
  for (const part of parts) {
    shifted.set(part, at);
    at += part.length;
  }
  return shifted;
}
