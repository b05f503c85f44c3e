/**
 * chrF (Popović, 2015) and chrF++ (Popović, 2017) as sacreBLEU 2.6.0 computes them
 * (`sacrebleu/metrics/chrf.py`): character n-grams of orders 1..6 with whitespace removed, plus
 * for chrF++ word unigrams and bigrams, F-beta with beta = 2 over precision and recall averaged
 * across the orders that have n-grams on both sides ("effective order", sacreBLEU's default).
 * Per segment the reference with the best F-score is kept; a corpus sums the statistics of its
 * segments and computes one F-score from the sums.
 */
import { SegmentNgrams, matchCount, type NgramTable } from './ngrams.js';
import { codePointLength, pySplit, removePythonWhitespace } from './python-text.js';

export const CHAR_ORDER = 6;
export const CHRF_BETA = 2;
/** chrF++'s word n-gram order; plain chrF has 0. */
export const CHRF_PLUS_WORD_ORDER = 2;

export interface ChrfSettings {
  readonly wordOrder: number;
  readonly lowercase: boolean;
}

const NO_IDS = new Int32Array(0);

/** `[hyp n-grams, ref n-grams, matches]` for each character order, then each word order. */
export type ChrfStats = number[];

/** sacreBLEU's `string.punctuation`, split off the start or end of words for chrF++. */
const ASCII_PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/**
 * sacreBLEU's `_remove_punctuation`: one punctuation character is split off the end of a word,
 * or failing that off its start (so `(hi)` gives `(hi` and `)`, sacreBLEU issue #124).
 */
export function chrfWords(text: string): string[] {
  const words: string[] = [];
  for (const word of pySplit(text)) {
    // Python's len(): one code point, not one UTF-16 unit (an emoji alone is a word).
    if (codePointLength(word) === 1) {
      words.push(word);
    } else if (ASCII_PUNCTUATION.has(word[word.length - 1])) {
      words.push(word.slice(0, -1), word[word.length - 1]);
    } else if (ASCII_PUNCTUATION.has(word[0])) {
      words.push(word[0], word.slice(1));
    } else {
      words.push(word);
    }
  }
  return words;
}

/** One side's n-gram tables, one per order: characters 1..6, then words 1..wordOrder. */
function tablesOf(chars: SegmentNgrams, charIds: Int32Array, words: SegmentNgrams, wordIds: Int32Array, wordOrder: number): NgramTable[] {
  return wordOrder > 0 ? [...chars.tables(charIds, CHAR_ORDER), ...words.tables(wordIds, wordOrder)] : chars.tables(charIds, CHAR_ORDER);
}

/** Statistics of one hypothesis against its references: those of the best-scoring reference. */
export function chrfSegmentStats(hypothesis: string, references: readonly string[], settings: ChrfSettings): ChrfStats {
  const prepare = (text: string) => (settings.lowercase ? text.toLowerCase() : text);
  const hyp = prepare(hypothesis);
  const refs = references.map(prepare);
  // Characters and words get ids from separate vocabularies: each keeps its base small.
  const chars = new SegmentNgrams();
  const words = new SegmentNgrams();
  const hypChars = chars.codePointIds(removePythonWhitespace(hyp));
  const refChars = refs.map((ref) => chars.codePointIds(removePythonWhitespace(ref)));
  const wordIds = (text: string) => (settings.wordOrder > 0 ? words.ids(chrfWords(text)) : NO_IDS);
  const hypWords = wordIds(hyp);
  const refWords = refs.map(wordIds);

  const order = CHAR_ORDER + settings.wordOrder;
  const hypTables = tablesOf(chars, hypChars, words, hypWords, settings.wordOrder);
  let bestStats: ChrfStats = [];
  let bestF = -1.0;
  for (let r = 0; r < refs.length; r++) {
    const refTables = tablesOf(chars, refChars[r], words, refWords[r], settings.wordOrder);
    const stats: ChrfStats = [];
    for (let i = 0; i < order; i++) {
      const h = hypTables[i];
      const ref = refTables[i];
      // No reference n-gram of this order: the hypothesis's n-grams are not counted either.
      stats.push(ref.total > 0 ? h.total : 0, ref.total, matchCount(h, ref));
    }
    const f = chrfFromStats(stats, settings.wordOrder);
    if (f > bestF) {
      bestF = f;
      bestStats = stats;
    }
  }
  return bestStats;
}

/**
 * sacreBLEU's `_compute_f_score` without epsilon smoothing: precision and recall averaged over
 * the orders with n-grams on both sides, then F-beta, in percent. Statement for statement, so that
 * every float comes out the same.
 */
export function chrfFromStats(stats: readonly number[], wordOrder: number): number {
  const factor = CHRF_BETA ** 2;
  let avgPrec = 0.0;
  let avgRec = 0.0;
  let effectiveOrder = 0;
  for (let i = 0; i < CHAR_ORDER + wordOrder; i++) {
    const nHyp = stats[3 * i];
    const nRef = stats[3 * i + 1];
    const nMatch = stats[3 * i + 2];
    if (nHyp > 0 && nRef > 0) {
      avgPrec += nMatch / nHyp;
      avgRec += nMatch / nRef;
      effectiveOrder += 1;
    }
  }
  if (effectiveOrder === 0) {
    avgPrec = 0.0;
    avgRec = 0.0;
  } else {
    avgPrec /= effectiveOrder;
    avgRec /= effectiveOrder;
  }
  if (avgPrec + avgRec) {
    let score = (1 + factor) * avgPrec * avgRec;
    score /= factor * avgPrec + avgRec;
    return 100 * score;
  }
  return 0.0;
}
