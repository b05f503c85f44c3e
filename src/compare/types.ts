/** What `compareVersions` produces and every compare renderer reads. */
import type { BleuScore, ChrfScore } from '../score/index.js';
import type { DiffSpan } from './word-diff.js';

/** A version, or the reference: the file it came from and the name it is shown under. */
export interface ComparedFile {
  /** `A`, `B`, ... unless named (`--labels`); `reference` for the reference. */
  readonly label: string;
  readonly file: string;
}

/** The words that differ between the first version and one other text of the pair. */
export interface PairDiff {
  /** The column (see `columnsOf`) diffed against the first version: another version, or the reference when only one version is compared. */
  readonly to: number;
  /** Spans that rebuild both texts: equal + delete = the first version's, equal + insert = the other's. */
  readonly spans: readonly DiffSpan[];
  /** Words and punctuation marks deleted plus inserted. */
  readonly changedWords: number;
  /** `changedWords` as a share (0-1) of the words and punctuation marks of both texts. */
  readonly share: number;
}

export interface ComparedPair {
  /** 0-based position in the inputs' order. */
  readonly index: number;
  readonly id: string;
  /** The French sentence. */
  readonly source: string;
  /** Each version's English, in the order of `Comparison.versions`. */
  readonly texts: readonly string[];
  readonly reference?: string;
  /**
   * The texts compared are the same, character for character: every version's, or with one
   * version, the version's and the reference's.
   */
  readonly identical: boolean;
  readonly diffs: readonly PairDiff[];
  /**
   * Each version's sentence chrF (sacreBLEU's chrF2, 0-100) against the reference, or against
   * the first version when there is no reference (then the first version's is null).
   */
  readonly chrf: readonly (number | null)[];
  /** How different the pair is: the largest `share` among its diffs (0 = same words). */
  readonly difference: number;
  /** `changedWords` of that diff. */
  readonly changedWords: number;
  /** Position when sorted by difference, most different first (0-based). */
  readonly rank: number;
}

/** Corpus scores of one version against another text of the comparison. */
export interface CorpusScores {
  readonly label: string;
  /** The label of the text used as reference: the first version's, or `reference`. */
  readonly against: string;
  readonly bleu: BleuScore;
  readonly chrf: ChrfScore;
}

/** Against the reference, sentence by sentence: where a version beats the first one. */
export interface SentenceTally {
  readonly label: string;
  /** Pairs where this version's sentence chrF is higher than the first version's. */
  readonly better: number;
  readonly worse: number;
  readonly tied: number;
}

export interface CompareSummary {
  readonly pairs: number;
  /** Pairs whose compared texts are all the same (see `ComparedPair.identical`). */
  readonly identical: number;
  /** Per version, pairs where it is the same as the first version (the first's count is every pair). */
  readonly identicalToFirst: readonly number[];
  /** Each version after the first, scored with the first as reference. */
  readonly between: readonly CorpusScores[];
  /** Each version scored against the reference; empty without one. */
  readonly againstReference: readonly CorpusScores[];
  /** Each version after the first against the first, by sentence chrF; empty without a reference. */
  readonly tallies: readonly SentenceTally[];
  /** Indices of the most different pairs (those not identical), most different first. */
  readonly mostDifferent: readonly number[];
}

export interface Comparison {
  readonly versions: readonly ComparedFile[];
  readonly reference?: ComparedFile;
  /** The file the French comes from (`--source`, else the first version with French). */
  readonly sourceFile: string;
  /** What per-pair chrF is measured against: `reference`, or the first version's label. */
  readonly chrfAgainst: string;
  readonly pairs: readonly ComparedPair[];
  readonly summary: CompareSummary;
  /** The signatures of the corpus scores (BLEU's and chrF's), as sacreBLEU prints them. */
  readonly signatures: { readonly bleu: string; readonly chrf: string };
}
