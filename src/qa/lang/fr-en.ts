/**
 * How long an English translation of a French sentence is: the band of the `length` check.
 *
 * The model is Gale & Church's (1993, "A Program for Aligning Sentences in Bilingual Corpora"):
 * translated lengths are proportional to source lengths with a noise that shrinks, relative to
 * the length, as sentences get longer. In log space: ln(target/source) ~ N(ln c, sigma(L)^2) with
 * sigma(L)^2 = a + b/L, L the source length in characters (whitespace collapsed).
 *
 * Fitted on the 2,014 human pairs of Multi30K test2016 + val (../shared/data/parallel); refit
 * with `npx tsx scripts/eval-qa.ts --fit-length`:
 * - c = 0.873: English is 13% shorter than French (exp of the mean of ln(target/source)).
 * - a, b: least squares of the squared log residuals on 1/L: a = 0.0043, b = 0.97.
 * - sigma never below 0.13: the a + b/L fit underestimates the spread of long sentences; the
 *   residuals of the 213 pairs whose source has 100 characters or more have sd 0.129.
 * In fitted sigmas the residuals run from -6.1 (a French source with a note the English lacks)
 * to +3.4; 0.1% are below -3.6. A target cut to a third sits near -8 sigma for a 70-character
 * source and lower for longer ones. The band is z sigmas each way: 4.5 below, which keeps clean
 * pairs quiet with a margin for news text (which varies more than image captions) and still
 * catches a third on sources of 40 characters or more; 5 above, since a too-long target is rarer
 * and `repetition` already catches loops.
 */
export const LENGTH_MODEL = {
  /** English characters per French character. */
  ratio: 0.873,
  /** sigma(L)^2 = a + b / L. */
  a: 0.0043,
  b: 0.97,
  minSigma: 0.13,
  /** Standard deviations below and above the expected length before `length` fires. */
  zShort: 4.5,
  zLong: 5,
} as const;

export type LengthModel = typeof LENGTH_MODEL;
