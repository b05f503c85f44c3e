/**
 * French sentence boundaries inside one paragraph.
 *
 * One left-to-right pass over the runs of sentence-final punctuation (`.`, `!`, `?`, `…`). For
 * each run it (1) takes the closing quotes and brackets that belong to the sentence, judged by
 * the quotes and brackets still open in the paragraph, (2) requires whitespace after them, and
 * (3) decides from the word before the run (abbreviation, initial, plain word) and the first word
 * after it (capital, digit, opening quote or dash, lowercase). Everything is local to the run
 * and its two neighbouring words, so the pass is linear in the paragraph's length.
 */
import type { SourceSentence } from '../document.js';
import {
  ELISION,
  INITIALS,
  LOWERCASE_OPENERS,
  LOWERCASE_RULE_MIN_WORD,
  OPENERS,
  SENTENCE_OPENERS,
  abbreviationKind,
} from './lang/fr.js';

/** A sentence as offsets into its paragraph: `[start, end)`, no surrounding whitespace. */
export interface SentenceSpan {
  start: number;
  end: number;
}

/** Words longer than this are not looked at as abbreviations or openers (keeps the pass linear). */
const MAX_WORD = 64;

const isSpace = (char: string | undefined): boolean => char !== undefined && /\s/u.test(char);
const isUpper = (char: string | undefined): boolean => char !== undefined && /\p{Lu}/u.test(char);
const isLower = (char: string | undefined): boolean => char !== undefined && /\p{Ll}/u.test(char);
const isDigit = (char: string | undefined): boolean => char !== undefined && char >= '0' && char <= '9';
/** Spaces allowed between final punctuation and a closing quote: `ouvert. »`, `bête ! "`. */
const isInlineSpace = (char: string | undefined): boolean =>
  char === ' ' || char === '\u00a0' || char === '\u202f' || char === '\u2009';

/**
 * Quotes and brackets open at a position of the paragraph, counted incrementally so that the
 * whole pass stays linear. Straight double quotes open and close alternately.
 */
class OpenMarks {
  #position = 0;
  guillemets = 0;
  curlyQuotes = 0;
  straightQuotes = 0;
  parentheses = 0;
  brackets = 0;

  constructor(private readonly text: string) {}

  /** Counts every mark before `position` (positions only move forward). */
  advanceTo(position: number): void {
    for (; this.#position < position; this.#position++) {
      switch (this.text[this.#position]) {
        case '«': this.guillemets++; break;
        case '»': this.guillemets = Math.max(0, this.guillemets - 1); break;
        case '“': this.curlyQuotes++; break;
        case '”': this.curlyQuotes = Math.max(0, this.curlyQuotes - 1); break;
        case '"': this.straightQuotes ^= 1; break;
        case '(': this.parentheses++; break;
        case ')': this.parentheses = Math.max(0, this.parentheses - 1); break;
        case '[': this.brackets++; break;
        case ']': this.brackets = Math.max(0, this.brackets - 1); break;
      }
    }
  }

  /**
   * Whether the mark at `position`, just after sentence-final punctuation (and at most one
   * space), closes the sentence's quotation or bracket.
   */
  closesAt(position: number): boolean {
    this.advanceTo(position);
    const text = this.text;
    switch (text[position]) {
      case '»': return this.guillemets > 0;
      case '”': return this.curlyQuotes > 0;
      case ')': return this.parentheses > 0;
      case ']': return this.brackets > 0;
      case '’': return true; // a typographic single quote never opens
      case '"': {
        const spaced = isSpace(text[position - 1]);
        const hugsNextWord = /[\p{L}\p{N}]/u.test(text[position + 1] ?? '');
        // `contrebandiers. "L'ambiguïté ...`: a quote glued to the next word opens it.
        if (spaced && hugsNextWord) return false;
        // Otherwise parity decides. Spacing cannot: French typography puts a space inside
        // straight quotes on both sides (`: " Il s'agit ... "`).
        return this.straightQuotes === 1;
      }
      default: return false;
    }
  }

  /** A closing guillemet or quote with nothing open: French repeats `»` to continue a quotation. */
  isStrayCloser(position: number): boolean {
    const char = this.text[position];
    return (char === '»' || char === '”') && !this.closesAt(position);
  }
}

/** What follows a candidate boundary. */
interface NextWord {
  /** `upper`: a capital, directly or after opening quotes, brackets or dashes. */
  shape: 'upper' | 'lower' | 'digit' | 'stray-closer' | 'other';
  /** The word (lowercased, an elided form keeps its apostrophe), for the opener lists. */
  word: string;
  /** Whether opening quotes, brackets or dashes came before the word. */
  afterOpener: boolean;
}

function readWord(text: string, start: number): string {
  let end = start;
  while (end < text.length && end - start < MAX_WORD && /[\p{L}\p{M}-]/u.test(text[end])) end++;
  let word = text.slice(start, end);
  if (text[end] === "'" || text[end] === '’') word += "'";
  return word.toLowerCase();
}

function nextWord(text: string, start: number, marks: OpenMarks): NextWord {
  if (marks.isStrayCloser(start)) return { shape: 'stray-closer', word: '', afterOpener: false };
  let position = start;
  // Skip opening quotes, brackets, dashes and an elision `(...)` / `[…]`: `(...) Les universités`.
  while (position < text.length && position - start < 16) {
    const char = text[position];
    if (OPENERS.includes(char) || isSpace(char)) position++;
    else if ((char === '.' || char === '…' || char === ')' || char === ']') && /[([]/.test(text[start])) position++;
    else break;
  }
  const char = text[position];
  const afterOpener = position > start;
  if (isUpper(char)) return { shape: 'upper', word: readWord(text, position), afterOpener };
  if (isDigit(char)) return { shape: 'digit', word: '', afterOpener };
  if (isLower(char)) return { shape: 'lower', word: readWord(text, position), afterOpener };
  return { shape: 'other', word: '', afterOpener };
}

/**
 * The token written before a period at `end`, without opening quotes, brackets or an elided
 * article: `(B.I.P` -> `B.I.P`, `l'U.E` -> `U.E`.
 */
function tokenBefore(text: string, end: number): string {
  let start = end;
  while (start > 0 && end - start < MAX_WORD && !isSpace(text[start - 1])) start--;
  while (start < end && OPENERS.includes(text[start])) start++;
  return text.slice(start, end).replace(ELISION, '');
}

const PLAIN_WORD = /^\p{L}+$/u;

/** Decides a single period followed by whitespace. */
function periodEndsSentence(text: string, runStart: number, next: NextWord, closed: boolean): boolean {
  const token = tokenBefore(text, runStart);
  // `(Gruau par ex.) Ainsi ...`: after a closing bracket or quote, an abbreviation that normally
  // announces a name or a number has nothing left to announce; it may end the sentence.
  const listed = abbreviationKind(token);
  const kind = closed && (listed === 'title' || listed === 'prefix') ? 'terminal' : listed;
  const capitalOpener = next.shape === 'upper' && SENTENCE_OPENERS.has(next.word);
  if (next.shape === 'stray-closer') return true;
  if (kind === 'title' || kind === 'prefix') return false;
  if (kind === 'terminal') return capitalOpener;
  if (kind === 'list-end') return next.shape === 'upper';
  // `Corey S. Powell`, `J.-P. Sartre`, `U.E.` mid-sentence; `... la vitamine C. Elle ...`.
  if (INITIALS.test(token)) return capitalOpener;
  if (next.shape === 'upper' || next.shape === 'digit') return true;
  // `... des Hylidae. il ne s'agit pas ...`: a careless lowercase start after a full word.
  return (
    next.shape === 'lower' &&
    !next.afterOpener &&
    LOWERCASE_OPENERS.has(next.word) &&
    token.length >= LOWERCASE_RULE_MIN_WORD &&
    PLAIN_WORD.test(token)
  );
}

/**
 * Sentence spans of a paragraph, in order, covering every character except the whitespace
 * between sentences (and around the paragraph).
 */
export function sentenceSpans(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  const marks = new OpenMarks(text);
  let sentenceStart = 0;
  while (sentenceStart < text.length && isSpace(text[sentenceStart])) sentenceStart++;

  const terminators = /[.!?…]+/gu;
  for (let match = terminators.exec(text); match !== null; match = terminators.exec(text)) {
    const runStart = match.index;
    const runEnd = runStart + match[0].length;
    const run = match[0];
    // An elision mark `(...)` / `[…]` inside a sentence is not a terminator.
    if ((text[runStart - 1] === '(' || text[runStart - 1] === '[') && /[)\]]/.test(text[runEnd] ?? '')) continue;

    // Closing quotes and brackets after the punctuation belong to the sentence: `ouvert. »`.
    let end = runEnd;
    for (;;) {
      let position = end;
      if (isInlineSpace(text[position]) && !isSpace(text[position + 1])) position++;
      if (position < text.length && marks.closesAt(position)) end = position + 1;
      else break;
    }
    if (end >= text.length || !isSpace(text[end])) continue;
    let nextStart = end;
    while (nextStart < text.length && isSpace(text[nextStart])) nextStart++;
    if (nextStart >= text.length) continue;

    const next = nextWord(text, nextStart, marks);
    const strong = run !== '.'; // `?`, `!`, `...`, `…` and their combinations
    const boundary = strong
      ? next.shape === 'upper' || next.shape === 'digit' || next.shape === 'stray-closer'
      : periodEndsSentence(text, runStart, next, end > runEnd);
    if (!boundary) continue;

    spans.push({ start: sentenceStart, end });
    sentenceStart = nextStart;
    terminators.lastIndex = nextStart;
  }

  let end = text.length;
  while (end > sentenceStart && isSpace(text[end - 1])) end--;
  if (end > sentenceStart) spans.push({ start: sentenceStart, end });
  return spans;
}

/** A URL or e-mail address standing alone: copied verbatim, not translated. */
const VERBATIM_UNIT = /^(?:(?:https?:\/\/|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)[.,;:]?$/u;

/** Whether a unit is copied verbatim rather than translated (a bare URL or e-mail address). */
export function isVerbatimUnit(text: string): boolean {
  return VERBATIM_UNIT.test(text);
}

/**
 * Splits a paragraph into sentences. `sentence.text === text.slice(start, end)`; the sentences
 * cover the paragraph in order, without overlap, except for the whitespace between them.
 */
export function splitSentences(text: string): SourceSentence[] {
  return sentenceSpans(text).map(({ start, end }) => {
    const sentence = text.slice(start, end);
    return { start, end, text: sentence, translate: !isVerbatimUnit(sentence) };
  });
}
