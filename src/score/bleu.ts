/**
 * BLEU (Papineni et al., 2002) as sacreBLEU 2.6.0 computes it (`sacrebleu/metrics/bleu.py`):
 * per segment the hypothesis length, the closest reference length and the clipped n-gram matches
 * and totals for n = 1..4; a corpus sums those statistics, then applies the brevity penalty, the
 * smoothing and the geometric mean once.
 */
import { clippedMatches, SegmentNgrams, raiseToCountsIn } from './ngrams.js';
import { pyRstrip, pySplit } from './python-text.js';
import { TOKENIZERS, type TokenizerName } from './tokenizers.js';

export const MAX_NGRAM_ORDER = 4;

/**
 * Smoothing (Chen and Cherry, 2014): `exp` halves the credit of each successive zero-match order
 * (NIST, mteval-v13a; sacreBLEU's default), `floor` replaces zero matches by `value` (0.1),
 * `add-k` adds `value` (1) to matches and totals for n > 1, `none` leaves zeros (score 0).
 */
export const SMOOTH_DEFAULTS = { exp: undefined, floor: 0.1, 'add-k': 1, none: undefined } as const;
export type SmoothMethod = keyof typeof SMOOTH_DEFAULTS;

export function isSmoothMethod(name: string): name is SmoothMethod {
  return Object.hasOwn(SMOOTH_DEFAULTS, name);
}

export interface BleuSettings {
  readonly tokenize: TokenizerName;
  readonly lowercase: boolean;
  readonly smooth: SmoothMethod;
  /** For `floor` and `add-k`; undefined takes the method's default. */
  readonly smoothValue: number | undefined;
  /** Average only over the orders the hypothesis has n-grams of (sentence BLEU). */
  readonly effectiveOrder: boolean;
}

/** One segment's sufficient statistics: `[hypLen, refLen, matches 1..4, totals 1..4]`. */
export type BleuStats = number[];

export interface BleuNumbers {
  score: number;
  /** Matched n-grams per order (with `add-k`, smoothed as sacreBLEU reports them). */
  counts: number[];
  /** Hypothesis n-grams per order. */
  totals: number[];
  /** Percent, per order. */
  precisions: number[];
  /** Brevity penalty. */
  bp: number;
  sysLen: number;
  refLen: number;
  /** sysLen / refLen, 0 without reference words. */
  ratio: number;
}

/** What BLEU sees of a line: optionally lowercased, trailing whitespace dropped, tokenized, split. */
export function bleuWords(line: string, settings: Pick<BleuSettings, 'tokenize' | 'lowercase'>): string[] {
  const text = settings.lowercase ? line.toLowerCase() : line;
  return pySplit(TOKENIZERS[settings.tokenize](pyRstrip(text)));
}

/** sacreBLEU's `_get_closest_ref_len`: the reference length nearest the hypothesis, the shorter on a tie. */
function closestRefLength(hypLength: number, refLengths: readonly number[]): number {
  let closestDiff = -1;
  let closest = -1;
  for (const length of refLengths) {
    const diff = Math.abs(hypLength - length);
    if (closestDiff === -1 || diff < closestDiff) {
      closestDiff = diff;
      closest = length;
    } else if (diff === closestDiff && length < closest) {
      closest = length;
    }
  }
  return closest;
}

/** Statistics of one hypothesis (already split into words) against its references. */
export function bleuSegmentStats(hypWords: readonly string[], refWords: readonly (readonly string[])[]): BleuStats {
  const ngrams = new SegmentNgrams();
  const hypIds = ngrams.ids(hypWords);
  const refIds = refWords.map((words) => ngrams.ids(words));
  const stats: BleuStats = [hypWords.length, closestRefLength(hypWords.length, refWords.map((w) => w.length))];
  const matches: number[] = [];
  const totals: number[] = [];
  const hypTables = ngrams.tables(hypIds, MAX_NGRAM_ORDER);
  const refTables = refIds.map((ids) => ngrams.tables(ids, MAX_NGRAM_ORDER));
  hypTables.forEach((hyp, order) => {
    // Each hypothesis n-gram is clipped to its highest count in any one reference.
    const clip = new Int32Array(hyp.end - hyp.start);
    for (const tables of refTables) raiseToCountsIn(hyp, tables[order], clip);
    matches.push(clippedMatches(hyp, clip));
    totals.push(hyp.total);
  });
  stats.push(...matches, ...totals);
  return stats;
}

/** sacreBLEU's `my_log`: log, with log(0) floored to a huge negative number instead of -Infinity. */
function flooredLog(value: number): number {
  return value === 0 ? -9999999999 : Math.log(value);
}

/** sacreBLEU's `compute_bleu`, statement for statement, so that every float comes out the same. */
export function bleuFromStats(stats: readonly number[], settings: Pick<BleuSettings, 'smooth' | 'smoothValue' | 'effectiveOrder'>): BleuNumbers {
  const sysLen = stats[0];
  const refLen = stats[1];
  const counts = stats.slice(2, 2 + MAX_NGRAM_ORDER);
  const totals = stats.slice(2 + MAX_NGRAM_ORDER, 2 + 2 * MAX_NGRAM_ORDER);
  const smoothValue = settings.smoothValue ?? SMOOTH_DEFAULTS[settings.smooth] ?? 0;
  let bp = 1.0;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0.0;
  const precisions = new Array<number>(MAX_NGRAM_ORDER).fill(0);
  const ratio = refLen ? sysLen / refLen : 0;
  const result = (score: number): BleuNumbers => ({ score, counts, totals, precisions, bp, sysLen, refLen, ratio });

  // No match at all: 0, whatever the smoothing (sacreBLEU issue #141).
  if (!counts.some((count) => count !== 0)) return result(0.0);

  let smoothMteval = 1.0;
  let effectiveOrder = MAX_NGRAM_ORDER;
  for (let n = 1; n <= MAX_NGRAM_ORDER; n++) {
    if (settings.smooth === 'add-k' && n > 1) {
      counts[n - 1] += smoothValue;
      totals[n - 1] += smoothValue;
    }
    if (totals[n - 1] === 0) break;
    if (settings.effectiveOrder) effectiveOrder = n;
    if (counts[n - 1] === 0) {
      if (settings.smooth === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100.0 / (smoothMteval * totals[n - 1]);
      } else if (settings.smooth === 'floor') {
        precisions[n - 1] = (100.0 * smoothValue) / totals[n - 1];
      }
    } else {
      precisions[n - 1] = (100.0 * counts[n - 1]) / totals[n - 1];
    }
  }
  let logSum = 0;
  for (let n = 0; n < effectiveOrder; n++) logSum += flooredLog(precisions[n]);
  return result(bp * Math.exp(logSum / effectiveOrder));
}
