/**
 * The data types the pipeline's stages meet through:
 * text -> SourceDocument (paragraphs, sentences) -> translations -> AlignedDocument -> writers.
 *
 * Offsets count UTF-16 code units, as JavaScript strings do. A paragraph's `start` is an offset
 * into the document's normalized text; a sentence's `start`/`end` are offsets into its paragraph.
 */

/** What a paragraph is, as far as translation and layout care. */
export const PARAGRAPH_KINDS = ['prose', 'heading', 'list-item', 'header', 'non-prose'] as const;
export type ParagraphKind = (typeof PARAGRAPH_KINDS)[number];

/** A sentence (or other unit) of a source paragraph. */
export interface SourceSentence {
  /** Offset of the first character in the paragraph's text. */
  start: number;
  /** Offset just past the last character in the paragraph's text. */
  end: number;
  /** `paragraph.text.slice(start, end)`. */
  text: string;
  /**
   * False for units copied verbatim rather than translated: the `date 2023-03` prefix of an
   * article header, URLs, e-mail addresses, photo credits.
   */
  translate: boolean;
}

export interface SourceParagraph {
  /** 0-based position in the document. */
  index: number;
  /** Offset of the paragraph's first character in the document's normalized text. */
  start: number;
  /** The paragraph as it will be translated (soft-wrapped lines rejoined with one space). */
  text: string;
  kind: ParagraphKind;
  sentences: SourceSentence[];
}

export interface SourceDocument {
  /** Input path as the user gave it, or `-` for stdin. */
  file: string;
  /** The whole input after decoding and newline normalization (`\n` only). */
  text: string;
  paragraphs: SourceParagraph[];
}

/**
 * Why a pair's target is not a plain translation.
 * - `failed`: the model could not translate it; the target holds the source text.
 * - `verbatim`: copied on purpose (header date, URL, credit line).
 * - `not-french`: the paragraph does not look French; translated anyway unless skipped.
 * - `skipped`: not translated on request (for example `--skip-non-french`); target = source.
 * - `split`: longer than the model's token budget, so translated in pieces and rejoined.
 */
export const PAIR_FLAGS = ['failed', 'verbatim', 'not-french', 'skipped', 'split'] as const;
export type PairFlag = (typeof PAIR_FLAGS)[number];

/**
 * Quality checks run on every translated pair (src/qa/). Each finding names the check and the
 * exact problem, so a reviewer knows where to look.
 * - `empty`: the target is empty or whitespace.
 * - `untranslated`: the target is the source, or still French.
 * - `numbers`: a number on one side has no counterpart on the other.
 * - `urls`: a URL, e-mail address, @handle or #hashtag of the source is missing from the target.
 * - `repetition`: the target loops on a word or n-gram the source does not repeat.
 * - `length`: the target is far shorter or longer than the source suggests.
 * - `truncated`: the decoder hit its token limit before the end-of-sentence token.
 * - `low-confidence`: the pair's confidence is below the threshold the user set.
 */
export const QA_CHECKS = ['empty', 'untranslated', 'numbers', 'urls', 'repetition', 'length', 'truncated', 'low-confidence'] as const;
export type QaCheck = (typeof QA_CHECKS)[number];

export interface QaFinding {
  check: QaCheck;
  /** What exactly is wrong, for a person (`source number 1 914 missing from the target`). */
  message: string;
}

export interface SentencePair {
  /** 0-based position in the paragraph. */
  index: number;
  /** Offsets into the source paragraph's text, as in SourceSentence. */
  start: number;
  end: number;
  source: string;
  target: string;
  flags: PairFlag[];
  /** Quality findings; empty when the pair looks right or the checks are off. */
  qa: QaFinding[];
  /**
   * The model's confidence: the mean log-probability (natural log, <= 0) of the target tokens
   * the decoder chose. Absent when the model did not translate the pair (verbatim, failed, skipped).
   */
  confidence?: number;
}

export interface AlignedParagraph {
  index: number;
  /** Offset of the paragraph in the source document's normalized text. */
  start: number;
  kind: ParagraphKind;
  source: string;
  /** The paragraph's translation: its pairs' targets joined with single spaces. */
  target: string;
  pairs: SentencePair[];
}

export interface AlignedDocument {
  file: string;
  /** Model id or folder that produced the translations. */
  model: string;
  paragraphs: AlignedParagraph[];
}

/** Whitespace-separated words, the unit of fr2en's words-per-second figures. */
export function countWords(text: string): number {
  let words = 0;
  for (const word of text.split(/\s+/)) if (word !== '') words++;
  return words;
}

/** Joins the targets of a paragraph's pairs the way every writer expects. */
export function joinTargets(pairs: readonly SentencePair[]): string {
  return pairs
    .map((pair) => pair.target.trim())
    .filter((text) => text.length > 0)
    .join(' ');
}
