/**
 * Many short texts (a LibreTranslate `q` array, the text runs of an HTML page) translated in one
 * Translator call: each text is segmented on its own, their paragraphs go through one scheduler
 * window (so they share batches, and a text repeated in the request is translated once), and
 * each text is rebuilt with its own white space between paragraphs.
 */
import type { AlignedParagraph, SourceDocument, SourceParagraph } from '../document.js';
import { normalizeNewlines } from '../read/bytes.js';
import { segmentDocument } from '../segment/index.js';
import type { TranslateCallOptions, Translator } from '../translator.js';

export interface PreparedTexts {
  readonly documents: readonly SourceDocument[];
  /** Sentences the model will be asked for (verbatim units excluded): the request's cost. */
  readonly sentences: number;
  /** Words in those sentences, for progress. */
  readonly words: number;
}

export function prepareTexts(texts: readonly string[]): PreparedTexts {
  const documents = texts.map((text) => segmentDocument(normalizeNewlines(text), '-'));
  return { documents, ...countWork(documents) };
}

export function countWork(documents: readonly SourceDocument[]): { sentences: number; words: number } {
  let sentences = 0;
  let words = 0;
  for (const document of documents) {
    for (const paragraph of document.paragraphs) {
      for (const sentence of paragraph.sentences) {
        if (!sentence.translate) continue;
        sentences++;
        words += wordCount(sentence.text);
      }
    }
  }
  return { sentences, words };
}

function wordCount(text: string): number {
  let words = 0;
  let inWord = false;
  for (const char of text) {
    const space = char === ' ' || char === '\n' || char === '\t';
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/** Translates prepared texts; one English string per text, in order. */
export async function translateTexts(translator: Translator, prepared: PreparedTexts, call: TranslateCallOptions = {}): Promise<string[]> {
  let index = 0;
  // Paragraph indexes must be unique in one call; each text gets the next ones.
  const paragraphs: SourceParagraph[] = prepared.documents.flatMap((document) => document.paragraphs.map((paragraph) => ({ ...paragraph, index: index++ })));
  const aligned: AlignedParagraph[] = [];
  for await (const paragraph of translator.translateParagraphs(paragraphs, call)) aligned.push(paragraph);
  let next = 0;
  return prepared.documents.map((document) => {
    const own = aligned.slice(next, next + document.paragraphs.length);
    next += document.paragraphs.length;
    return rebuild(document, own);
  });
}

/** The English text: each paragraph's translation, with the source's white space around and between paragraphs. */
function rebuild(document: SourceDocument, aligned: readonly AlignedParagraph[]): string {
  const { text, paragraphs } = document;
  if (paragraphs.length === 0) return text; // white space only
  let out = text.slice(0, paragraphs[0].start);
  aligned.forEach((paragraph, i) => {
    out += paragraph.target;
    const end = i + 1 < paragraphs.length ? paragraphs[i + 1].start : text.length;
    out += text.slice(trailingSpaceStart(text, paragraphs[i].start, end), end);
  });
  return out;
}

/** Where the white space that ends `text[from, to)` begins (a loop: a regex anchored at the end backtracks quadratically). */
function trailingSpaceStart(text: string, from: number, to: number): number {
  let i = to;
  while (i > from && /\s/.test(text[i - 1])) i--;
  return i;
}
