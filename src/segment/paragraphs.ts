/**
 * Article structure: the normalized text (`\n` line ends) -> paragraphs with a kind.
 *
 * Blocks are separated by blank lines. Inside a block, a line break is a soft wrap (the lines
 * are rejoined with one space) unless one of the lines is structural: a list item, a Markdown
 * heading, a dialogue reply, a non-prose line (URL, credit, byline), or a short title line. The
 * first line of a document may be an article header, `date YYYY-MM Title`.
 */
import type { ParagraphKind } from '../document.js';
import { DIALOGUE_DASHES } from './lang/fr.js';

/** A paragraph before sentence splitting. */
export interface ParagraphBlock {
  /** Offset of the paragraph's first character in the document. */
  start: number;
  /** Soft-wrapped lines rejoined with one space; no surrounding whitespace. */
  text: string;
  kind: ParagraphKind;
  /**
   * Length of a leading part of `text` copied verbatim, not translated: the `date 2023-03` of a
   * header, a list marker (`-`, `1.`), a Markdown heading marker (`##`). 0 when none.
   */
  verbatimPrefix: number;
}

/** Lines longer than this are not hard-wrapped text: a break after one is the writer's. */
const WRAPPED_MAX_WIDTH = 100;
/** A title line: at most this many words, and at most this share of the block's width. */
const TITLE_MAX_WORDS = 12;
const TITLE_MAX_WIDTH_SHARE = 0.6;
/** Credits and bylines are short; longer lines are prose. */
const SHORT_LINE = 100;

/** ` date 2023-03 Title`: the header line of the fr2en article format (only a document's first line). */
const HEADER = /^date \d{4}-\d{2}(?:-\d{2})?(?=\s|$)/u;
const MARKDOWN_HEADING = /^#{1,6}(?=\s+\S)/u;
/** `- item`, `* item`, `• item`, `– item`, `1. item`, `2) item`, `a) item`. */
const LIST_MARKER = /^(?:[-*•·▪◦‣–]|\d{1,2}[.)]|[a-z]\))(?=\s+\S)/u;
/** `— Bonjour, dit-il.`: a dialogue reply (an em dash; the en dash is taken for a bullet). */
const DIALOGUE = new RegExp(`^[${DIALOGUE_DASHES[0]}]\\s*\\S`, 'u');
const URL_OR_EMAIL = /^(?:(?:https?:\/\/|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)$/u;
/** Press agencies and image banks seen in photo credits (`AP Photo/Jacquelyn Martin`). */
const CREDIT_WORD =
  /\b(?:Photos?|AP|AFP|Reuters|Getty(?: Images)?|EPA|Sipa|ANP|DPA|Xinhua|Bloomberg|Belga|Maxppp|Abaca|Shutterstock|Unsplash|Wikimedia(?: Commons)?|Keystone|Hans Lucas|Illustration|DR)\b/u;
const CREDIT_START = /^(?:©|\(c\)|Photos?\s*:|Cr[ée]dits?(?: photos?)?\s*:|Sources?\s*:|Illustration\s*:)/iu;
const CAPITALISED_WORDS = /^\p{Lu}[\p{L}\p{N}.&'’-]*(?:\s+\p{Lu}[\p{L}\p{N}.&'’-]*)*$/u;
/** `Par Jean Dupont`, `Par Marie de La Tour et Paul Martin, à Kiev`, `By John Smith`. */
const NAME = String.raw`\p{Lu}[\p{L}'’.-]+(?:\s+(?:(?:de|du|des|de la|van|von|da|di|le|la)\s+)?\p{Lu}[\p{L}'’.-]+){1,3}`;
const BYLINE = new RegExp(String.raw`^(?:Par|By)\s+${NAME}(?:\s*(?:,|et|and)\s+${NAME})*(?:\s*[,(—–-]\s*[^.!?]{0,50})?$`, 'u');
/** Sentence-final punctuation, possibly followed by closing quotes or brackets. */
const ENDS_SENTENCE = /[.!?…:][\s»"”’)\]]*$/u;

type LineKind = 'text' | 'header' | 'heading' | 'list-item' | 'dialogue' | 'non-prose';

interface Line {
  /** Offset of the first non-space character in the document. */
  start: number;
  /** The line without surrounding whitespace. */
  text: string;
  /** Whether the raw line began with whitespace (a list item's continuation is indented). */
  indented: boolean;
  kind: LineKind;
  /** Length of the verbatim prefix (marker or date) in `text`. */
  verbatimPrefix: number;
}

/** Whether a short line is a photo credit, a byline, a bare URL or e-mail address. */
export function isNonProseLine(text: string): boolean {
  if (URL_OR_EMAIL.test(text)) return true;
  // Credits and bylines are short and are not sentences.
  if (text.length > SHORT_LINE || /[.!?…]["»”)]*$/u.test(text)) return false;
  if (CREDIT_START.test(text)) return true;
  if (BYLINE.test(text)) return true;
  // `AP Photo/Jacquelyn Martin`, `AFP/Getty Images`: capitalised names around a slash.
  const slash = text.indexOf('/');
  if (slash > 0 && CREDIT_WORD.test(text)) {
    const sides = text.split('/').map((side) => side.trim());
    return sides.every((side) => CAPITALISED_WORDS.test(side));
  }
  return false;
}

function classify(text: string, firstLine: boolean): Pick<Line, 'kind' | 'verbatimPrefix'> {
  const header = firstLine ? HEADER.exec(text) : null;
  if (header) return { kind: 'header', verbatimPrefix: header[0].length };
  if (isNonProseLine(text)) return { kind: 'non-prose', verbatimPrefix: 0 };
  const heading = MARKDOWN_HEADING.exec(text);
  if (heading) return { kind: 'heading', verbatimPrefix: heading[0].length };
  const marker = LIST_MARKER.exec(text);
  if (marker) return { kind: 'list-item', verbatimPrefix: marker[0].length };
  if (DIALOGUE.test(text)) return { kind: 'dialogue', verbatimPrefix: 0 };
  return { kind: 'text', verbatimPrefix: 0 };
}

/** A title-like line: short, capitalised, without sentence-final punctuation. */
function isTitleLine(line: Line, width: number): boolean {
  return (
    !ENDS_SENTENCE.test(line.text) &&
    !/[,;]$/u.test(line.text) &&
    /^[\p{Lu}\p{N}«"“]/u.test(line.text) &&
    line.text.split(/\s+/u).length <= TITLE_MAX_WORDS &&
    line.text.length <= width * TITLE_MAX_WIDTH_SHARE
  );
}

const startsLikeSentence = (text: string): boolean => /^[\p{Lu}\p{N}«"“(—–]/u.test(text);
const firstWordLength = (text: string): number => text.search(/\s|$/u);

/**
 * Whether the break between `previous` and `line` (two lines of one block) ends a paragraph.
 * `width` is the block's longest line; `wrapped` whether the block looks hard-wrapped.
 */
function isHardBreak(previous: Line, line: Line, width: number, wrapped: boolean): boolean {
  if (line.kind !== 'text' || (previous.kind !== 'text' && previous.kind !== 'list-item' && previous.kind !== 'dialogue')) {
    return true;
  }
  // An indented line continues a list item or a dialogue reply.
  if (previous.kind !== 'text' && line.indented) return false;
  if (!startsLikeSentence(line.text)) return false;
  // A fixed-width wrapper would have put the next word on `previous` if it fitted: a line that
  // ends early was ended by its writer. Text that is not hard-wrapped has no width to compare.
  const endedEarly = !wrapped || previous.text.length + 1 + firstWordLength(line.text) <= width;
  if (!endedEarly) return false;
  if (ENDS_SENTENCE.test(previous.text)) return true;
  return previous.kind === 'text' && isTitleLine(previous, wrapped ? width : WRAPPED_MAX_WIDTH);
}

export interface SegmentOptions {
  /**
   * The text starts the document (only a document's first line can be an article header). False
   * for the later chunks of a document read in parts. @default true
   */
  documentStart?: boolean;
}

/** Splits the document's lines into blocks of non-blank lines. */
function readBlocks(text: string, documentStart: boolean): Line[][] {
  const blocks: Line[][] = [];
  let block: Line[] = [];
  let offset = 0;
  let firstLine = documentStart;
  for (const raw of text.split('\n')) {
    const lead = raw.search(/\S/u);
    if (lead < 0) {
      if (block.length > 0) blocks.push(block);
      block = [];
    } else {
      const trimmed = raw.trim();
      block.push({ start: offset + lead, text: trimmed, indented: lead > 0, ...classify(trimmed, firstLine) });
      firstLine = false;
    }
    offset += raw.length + 1;
  }
  if (block.length > 0) blocks.push(block);
  return blocks;
}

const KIND_OF_LINE: Readonly<Record<LineKind, ParagraphKind>> = {
  text: 'prose',
  dialogue: 'prose',
  header: 'header',
  heading: 'heading',
  'list-item': 'list-item',
  'non-prose': 'non-prose',
};

function toParagraph(lines: readonly Line[], width: number): ParagraphBlock {
  const first = lines[0];
  let kind = KIND_OF_LINE[first.kind];
  // A short title line standing alone (`Contexte`, `La réaction de Moscou`) is a heading.
  if (kind === 'prose' && first.kind === 'text' && lines.length === 1 && isTitleLine(first, Math.max(width, WRAPPED_MAX_WIDTH))) {
    kind = 'heading';
  }
  return {
    start: first.start,
    text: lines.map((line) => line.text).join(' '),
    kind,
    verbatimPrefix: first.verbatimPrefix,
  };
}

/** The paragraphs of a document, in order. */
export function splitParagraphs(text: string, options: SegmentOptions = {}): ParagraphBlock[] {
  const paragraphs: ParagraphBlock[] = [];
  for (const block of readBlocks(text, options.documentStart ?? true)) {
    const prose = block.filter((line) => line.kind !== 'non-prose');
    const width = prose.reduce((max, line) => Math.max(max, line.text.length), 0);
    const wrapped = block.length > 1 && width <= WRAPPED_MAX_WIDTH;
    let current: Line[] = [block[0]];
    for (let index = 1; index < block.length; index++) {
      const line = block[index];
      if (isHardBreak(current[current.length - 1], line, width, wrapped)) {
        paragraphs.push(toParagraph(current, width));
        current = [line];
      } else {
        current.push(line);
      }
    }
    paragraphs.push(toParagraph(current, width));
  }
  return paragraphs;
}
