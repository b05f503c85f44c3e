/**
 * The segmentation stage: decoded text -> SourceDocument (paragraphs with a kind, sentences with
 * offsets). Pure functions; reading files and printing belong to the caller.
 */
import type { SourceDocument, SourceParagraph, SourceSentence } from '../document.js';
import { splitParagraphs, type ParagraphBlock } from './paragraphs.js';
import { NO_OPEN_QUOTE, splitParagraphSentences, type QuoteCarry } from './sentences.js';

export { splitSentences, sentenceSpans, paragraphSentenceSpans, isVerbatimUnit, NO_OPEN_QUOTE, type QuoteCarry, type SentenceSpan } from './sentences.js';
export { splitParagraphs, isNonProseLine, type ParagraphBlock, type SegmentOptions } from './paragraphs.js';

/**
 * The sentences of a paragraph block: a verbatim prefix unit, then the translatable rest; and the
 * quotations left open for the next block (a quotation runs on through prose and list items only).
 */
function sentencesOf(block: ParagraphBlock, carry: QuoteCarry): { sentences: SourceSentence[]; carry: QuoteCarry } {
  const { text } = block;
  if (block.kind === 'non-prose') return { sentences: [{ start: 0, end: text.length, text, translate: false }], carry: NO_OPEN_QUOTE };
  const carried = block.kind === 'prose' || block.kind === 'list-item' ? carry : NO_OPEN_QUOTE;
  if (block.verbatimPrefix === 0) return splitParagraphSentences(text, carried);
  const prefix: SourceSentence = { start: 0, end: block.verbatimPrefix, text: text.slice(0, block.verbatimPrefix), translate: false };
  const restStart = block.verbatimPrefix;
  const rest = splitParagraphSentences(text.slice(restStart), carried);
  const sentences = rest.sentences.map((sentence) => ({
    ...sentence,
    start: sentence.start + restStart,
    end: sentence.end + restStart,
  }));
  return { sentences: [prefix, ...sentences], carry: rest.carry };
}

/**
 * Segments a document. `text` is already decoded with `\n` line ends; paragraph `start` offsets
 * point into it, and sentence offsets into each paragraph's `text` (soft-wrapped lines rejoined
 * with one space).
 */
export function segmentDocument(text: string, file: string): SourceDocument {
  return { file, text, paragraphs: new ChunkSegmenter().segment(text) };
}

/**
 * Segments a document that arrives in chunks, each ending at a paragraph boundary (as
 * `readParagraphChunks` cuts them), with exactly the result `segmentDocument` gives the whole
 * text: only the first chunk may hold the article header, and a quotation left open at the end of
 * a chunk stays open in the next. Offsets are relative to each chunk.
 */
export class ChunkSegmenter {
  #documentStart = true;
  #carry = NO_OPEN_QUOTE;

  segment(chunk: string): SourceParagraph[] {
    const { paragraphs, carry } = segmentBlocks(chunk, this.#documentStart, this.#carry);
    this.#documentStart = false;
    this.#carry = carry;
    return paragraphs;
  }
}

function segmentBlocks(text: string, documentStart: boolean, initial: QuoteCarry): { paragraphs: SourceParagraph[]; carry: QuoteCarry } {
  let carry = initial;
  const paragraphs: SourceParagraph[] = splitParagraphs(text, { documentStart }).map((block, index) => {
    const segmented = sentencesOf(block, carry);
    carry = segmented.carry;
    return { index, start: block.start, text: block.text, kind: block.kind, sentences: segmented.sentences };
  });
  return { paragraphs, carry };
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
