/**
 * The segmentation stage: decoded text -> SourceDocument (paragraphs with a kind, sentences with
 * offsets). Pure functions; reading files and printing belong to the caller.
 */
import type { SourceDocument, SourceParagraph, SourceSentence } from '../document.js';
import { splitParagraphs, type ParagraphBlock } from './paragraphs.js';
import { splitSentences } from './sentences.js';

export { splitSentences, sentenceSpans, isVerbatimUnit, type SentenceSpan } from './sentences.js';
export { splitParagraphs, isNonProseLine, type ParagraphBlock } from './paragraphs.js';

/** The sentences of a paragraph block: a verbatim prefix unit, then the translatable rest. */
function sentencesOf(block: ParagraphBlock): SourceSentence[] {
  const { text } = block;
  if (block.kind === 'non-prose') return [{ start: 0, end: text.length, text, translate: false }];
  if (block.verbatimPrefix === 0) return splitSentences(text);
  const prefix: SourceSentence = { start: 0, end: block.verbatimPrefix, text: text.slice(0, block.verbatimPrefix), translate: false };
  const restStart = block.verbatimPrefix;
  const rest = splitSentences(text.slice(restStart)).map((sentence) => ({
    ...sentence,
    start: sentence.start + restStart,
    end: sentence.end + restStart,
  }));
  return [prefix, ...rest];
}

/**
 * Segments a document. `text` is already decoded with `\n` line ends; paragraph `start` offsets
 * point into it, and sentence offsets into each paragraph's `text` (soft-wrapped lines rejoined
 * with one space).
 */
export function segmentDocument(text: string, file: string): SourceDocument {
  const paragraphs: SourceParagraph[] = splitParagraphs(text).map((block, index) => ({
    index,
    start: block.start,
    text: block.text,
    kind: block.kind,
    sentences: sentencesOf(block),
  }));
  return { file, text, paragraphs };
}

/** One line of `fr2en segment` output (JSON Lines): a paragraph and its sentences. */
export interface SegmentRecord {
  /** 0-based paragraph index. */
  paragraph: number;
  /** Offset of the paragraph in the document's normalized text (UTF-16 code units). */
  start: number;
  text: string;
  /** Sentences with offsets into `text`. */
  sentences: Array<{ start: number; text: string }>;
}

/** The `fr2en segment` records of a document, one per paragraph. */
export function toSegmentRecords(doc: SourceDocument): SegmentRecord[] {
  return doc.paragraphs.map((paragraph) => ({
    paragraph: paragraph.index,
    start: paragraph.start,
    text: paragraph.text,
    sentences: paragraph.sentences.map(({ start, text }) => ({ start, text })),
  }));
}
