/**
 * What the writers tell a reviewer, decided once for every format: which pairs are not
 * translations, which need a person's look, and the short marker that says why.
 */
import { QA_CHECKS, type AlignedParagraph, type PairFlag, type QaCheck, type SentencePair } from '../document.js';

/**
 * Flags whose target is the untranslated source. Such a pair is no translation: TMX leaves it
 * out (a translation memory would import it as French -> French), XLIFF makes it an untranslated
 * segment.
 */
export const UNTRANSLATED_FLAGS = ['failed', 'skipped'] as const satisfies readonly PairFlag[];

export function isTranslation(pair: SentencePair): boolean {
  return !UNTRANSLATED_FLAGS.some((flag) => pair.flags.includes(flag));
}

/**
 * A pair a person should look at: a quality finding, or a sentence the model failed on (its
 * French is still in the English text). `skipped` pairs were left in French on request.
 */
export function needsReview(pair: SentencePair): boolean {
  return pair.qa.length > 0 || pair.flags.includes('failed');
}

/** The checks that flagged a pair, each once, in the order of their first finding. */
export function qaChecks(pair: SentencePair): QaCheck[] {
  return [...new Set(pair.qa.map((finding) => finding.check))];
}

export const QA_MARK = '⚠';

/** `⚠ numbers, length` for a pair with findings, '' otherwise. Check names are plain `[a-z-]`. */
export function qaMarker(pair: SentencePair): string {
  const checks = qaChecks(pair);
  return checks.length > 0 ? `${QA_MARK} ${checks.join(', ')}` : '';
}

/** Counts over a whole document, known only once its last paragraph has been seen. */
export interface DocumentTotals {
  /** Sentence pairs in the document. */
  readonly pairs: number;
  /** Pairs that `needsReview`. */
  readonly toReview: number;
  /** Pairs per flag. */
  readonly flags: Readonly<Record<PairFlag, number>>;
  /** Pairs per QA check (a pair with two findings of one check counts once). */
  readonly checks: Readonly<Record<QaCheck, number>>;
  /** Pairs that are not translations (see UNTRANSLATED_FLAGS), each counted once. */
  readonly untranslated: number;
}

/** Adds paragraphs up as they stream past; `totals()` may be read at any point. */
export class TotalsCounter {
  #pairs = 0;
  #toReview = 0;
  #untranslated = 0;
  readonly #flags: Record<PairFlag, number> = { failed: 0, verbatim: 0, 'not-french': 0, skipped: 0, split: 0 };
  readonly #checks = Object.fromEntries(QA_CHECKS.map((check) => [check, 0])) as Record<QaCheck, number>;

  add(paragraph: AlignedParagraph): void {
    for (const pair of paragraph.pairs) {
      this.#pairs++;
      if (needsReview(pair)) this.#toReview++;
      if (!isTranslation(pair)) this.#untranslated++;
      for (const flag of new Set(pair.flags)) this.#flags[flag]++;
      for (const check of qaChecks(pair)) this.#checks[check]++;
    }
  }

  totals(): DocumentTotals {
    return Object.freeze({
      pairs: this.#pairs,
      toReview: this.#toReview,
      untranslated: this.#untranslated,
      flags: Object.freeze({ ...this.#flags }),
      checks: Object.freeze({ ...this.#checks }),
    });
  }
}

export function documentTotals(paragraphs: Iterable<AlignedParagraph>): DocumentTotals {
  const counter = new TotalsCounter();
  for (const paragraph of paragraphs) counter.add(paragraph);
  return counter.totals();
}

/**
 * Why the pairs to review were flagged, most frequent first: `[['numbers', 5], ['failed', 1]]`.
 * A pair flagged by two checks counts under both. Ties keep QA_CHECKS order, `failed` last.
 */
export function reviewReasons(totals: DocumentTotals): Array<[reason: QaCheck | 'failed', pairs: number]> {
  const reasons: Array<[QaCheck | 'failed', number]> = [...QA_CHECKS.map((check) => [check, totals.checks[check]] as [QaCheck, number]), ['failed', totals.flags.failed]];
  return reasons.filter(([, pairs]) => pairs > 0).sort((a, b) => b[1] - a[1]);
}

/** `12 of 340 pairs to review: 5 numbers, 4 repetition, 3 failed` (or that none is). */
export function reviewSummary(totals: DocumentTotals): string {
  const of = `${totals.pairs} ${totals.pairs === 1 ? 'pair' : 'pairs'}`;
  if (totals.toReview === 0) return `No pair to review among ${of}.`;
  const reasons = reviewReasons(totals).map(([reason, pairs]) => `${pairs} ${reason}`);
  return `${totals.toReview} of ${of} to review: ${reasons.join(', ')}.`;
}
