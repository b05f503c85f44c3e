/**
 * French sentence boundaries inside one paragraph.
 *
 * One left-to-right pass over the runs of sentence-final punctuation (`.`, `!`, `?`, `…`). For
 * each run it (1) takes the closing quotes and brackets that belong to the sentence, judged by
 * the quotes and brackets still open (quotes.ts), (2) requires whitespace after them, and
 * (3) decides from the token before the run and the first word after it. The token is classed
 * (abbreviation, initial, list marker, unit, full word, short word ...) and each class says which
 * next words start a sentence: a capital, a digit, or a lowercase word strong enough for it (a
 * sentence written without its capital, `… ci-après). la ou les personnes …`). Everything is
 * local to the run and its two neighbouring words, so the pass is linear in the paragraph's length.
 */
import type { SourceSentence } from '../document.js';
import {
  BANG_NAMES,
  CONTINUATIONS,
  ELISION,
  INITIALS,
  INTERJECTIONS,
  LOWERCASE_A_GRAVE,
  LOWERCASE_TITLES,
  OPENERS,
  QUESTION_WORDS,
  SENTENCE_OPENERS,
  SPEECH_VERBS,
  SUBJECT_PRONOUNS,
  UNIT_ABBREVIATIONS,
  abbreviationKind,
  isFullWord,
  type AbbreviationKind,
} from './lang/fr.js';
import { NO_OPEN_QUOTE, OpenMarks, type QuoteCarry } from './quotes.js';

export { NO_OPEN_QUOTE, type QuoteCarry } from './quotes.js';

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

/** What follows a candidate boundary. */
interface NextWord {
  /** `upper`: a capital, directly or after opening quotes, brackets or dashes. */
  shape: 'upper' | 'lower' | 'digit' | 'stray-closer' | 'other';
  /** The word (lowercased, an elided form keeps its apostrophe), for the opener lists. */
  word: string;
  /** Whether opening quotes, brackets or dashes came before the word. */
  afterOpener: boolean;
  /** A list marker: `b.`, `c)`, `iv.` (a lowercase letter or roman number and `.` or `)`). */
  marker: boolean;
  /** A capitalised word (not an acronym such as `CE`, which is not the opener `Ce`) in SENTENCE_OPENERS. */
  opener: boolean;
}

/** `a.`, `b)`, `iv.`: a lowercase list marker opening an item. */
const LIST_MARKER_AHEAD = /^(?:[a-z]|[ivx]{1,4})[.)]\s/u;

function readWord(text: string, start: number): string {
  let end = start;
  while (end < text.length && end - start < MAX_WORD && /[\p{L}\p{M}-]/u.test(text[end])) end++;
  let word = text.slice(start, end);
  if (text[end] === "'" || text[end] === '’') word += "'";
  return word.toLowerCase();
}

function nextWord(text: string, start: number, marks: OpenMarks): NextWord {
  if (marks.isStrayCloser(start)) return { shape: 'stray-closer', word: '', afterOpener: false, marker: false, opener: false };
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
  const word = readWord(text, position);
  if (isUpper(char)) {
    const opener = !isUpper(text[position + 1]) && SENTENCE_OPENERS.has(word);
    return { shape: 'upper', word, afterOpener, marker: false, opener };
  }
  if (isDigit(char)) return { shape: 'digit', word: '', afterOpener, marker: false, opener: false };
  if (isLower(char)) {
    const marker = LIST_MARKER_AHEAD.test(text.slice(position, position + 6));
    return { shape: 'lower', word, afterOpener, marker, opener: false };
  }
  return { shape: 'other', word: '', afterOpener, marker: false, opener: false };
}

/**
 * What the token before a period is, which decides the next words that can start a sentence.
 * - the `AbbreviationKind`s of fr.ts (`title`, `prefix`, `terminal`, `list-end`);
 * - `initial`: `J`, `U.E`, `i.v`, `c.-à-d`;
 * - `marker`: a list marker that opens its sentence (`1.`, `a.`, `IV.`): never a boundary;
 * - `closed`: a closing bracket or quote before the period (`ci-après).`): a complete unit;
 * - `word`: a full word (`pâleur`, `eau`, `mois`), or a number of three digits or more;
 * - `short`: anything that might be an unknown abbreviation (`lat`, `top`, `12`), or an unlisted
 *   unit after a number (`10 mm.`, `20 h.`);
 * - `unit`: a listed abbreviation that is a unit after a number (`3 200 t.`, `250 p.`, `12 000 hab.`).
 */
type TokenClass = AbbreviationKind | 'initial' | 'marker' | 'closed' | 'word' | 'short' | 'unit';

const PLAIN_WORD = /^\p{L}+(?:['’-]\p{L}+)*$/u;
const LOWERCASE_INITIALS = /^(?:\p{Ll}{1,2}\.-?)+\p{Ll}{1,2}$/u;
const MARKER_TOKEN = /^(?:\d{1,2}|\p{L}|[ivxIVX]{1,4})$/u;
const CLOSERS = ')]»"”’';

/** Start of the token written before `end`: back to the previous whitespace (bounded). */
function tokenStart(text: string, end: number): number {
  let start = end;
  while (start > 0 && end - start < MAX_WORD && !isSpace(text[start - 1])) start--;
  return start;
}

/** Whether a number is written just before `start`, across spaces: `10 mm`, `3 200 t`. */
function followsNumber(text: string, start: number): boolean {
  let position = start - 1;
  while (position >= 0 && isInlineSpace(text[position])) position--;
  return position < start - 1 && isDigit(text[position]);
}

function classifyToken(text: string, runStart: number, sentenceStart: number): TokenClass {
  const start = tokenStart(text, runStart);
  let raw = text.slice(start, runStart);
  if (raw.length > 0 && CLOSERS.includes(raw.at(-1)!)) return 'closed';
  // Without opening quotes, brackets or an elided article: `(B.I.P` -> `B.I.P`, `l'U.E` -> `U.E`.
  let skipped = 0;
  while (skipped < raw.length && OPENERS.includes(raw[skipped])) skipped++;
  raw = raw.slice(skipped);
  const token = raw.replace(ELISION, '');
  if (start + skipped === sentenceStart && MARKER_TOKEN.test(token)) return 'marker';
  const afterNumber = followsNumber(text, start);
  const listed = abbreviationKind(token);
  // After a number a one-letter reference is a unit: `250 p.`, `3 200 t.`.
  if (listed !== undefined) return afterNumber && (token.length === 1 || UNIT_ABBREVIATIONS.has(token)) ? 'unit' : listed;
  if (LOWERCASE_TITLES.has(token)) return afterNumber ? 'short' : 'title';
  if (INITIALS.test(token) || LOWERCASE_INITIALS.test(token)) return 'initial';
  if (/^\d+$/u.test(token)) return token.length >= 3 ? 'word' : 'short';
  if (!PLAIN_WORD.test(token)) return 'short';
  // A lone consonant is an abbreviation (`c. France`, `r. de la Paix`) or, after a number, a unit.
  if (token.length === 1 && !/[aeiouyàâéèêîôù]/iu.test(token)) return afterNumber ? 'short' : 'prefix';
  return isFullWord(token) ? 'word' : 'short';
}

/**
 * How strong a lowercase next word is as a sentence start: `marker` and subject pronouns (no
 * abbreviation announces them), then `à` (sentence-initial `À` written lowercase), then any word.
 */
function lowercaseStrength(next: NextWord): 3 | 2 | 1 {
  if (next.marker || SUBJECT_PRONOUNS.has(next.word)) return 3;
  if (next.word === LOWERCASE_A_GRAVE) return 2;
  return 1;
}

/** What a decision knows about the paragraph around a run. */
interface RunContext {
  /** Offset where the current sentence starts. */
  sentenceStart: number;
  /** Closing quotes or brackets follow the run (`ex.)`, `ouvert. »`). */
  closed: boolean;
  /** The run is inside brackets that close later in the paragraph. */
  inBrackets: boolean;
  /**
   * The writer does not capitalise: the paragraph, or a sentence already found in it, starts
   * with a lowercase word other than `à` (`bonjour à tous, …`). Then a lowercase word after a
   * possible abbreviation, `?` or `!` is read as a sentence start too.
   */
  lowercaseStyle: boolean;
}

/** `demanda-t-il`, `dit-elle`, `s'écria`: a speech tag that goes on after `?` or `!`. */
const SPEECH_TAG = /^(?:s'|\p{L}+-(?:t-)?(?:il|elle|on|ils|elles|je|tu|nous|vous)$)/u;

/** Decides a single period followed by whitespace. */
function periodEndsSentence(text: string, runStart: number, next: NextWord, context: RunContext): boolean {
  if (next.shape === 'stray-closer') return true;
  // Inside brackets, references chain abbreviations and titles (`(Smith et al., Toxicol. Sci.
  // 2015)`, `(D. Arasse, Léonard de Vinci. Le rythme du monde, 1997)`); no gold sentence of the
  // shared sets ends inside brackets.
  if (context.inBrackets) return false;
  const classed = classifyToken(text, runStart, context.sentenceStart);
  // `(Gruau par ex.) Ainsi ...`: after a closing bracket or quote, an abbreviation that normally
  // announces a name or a number has nothing left to announce; it may end the sentence.
  const kind = context.closed && (classed === 'title' || classed === 'prefix') ? 'terminal' : classed;
  const lower = next.shape === 'lower' && !next.afterOpener;
  // A lowercase start after a token that may end a sentence: a pronoun always (`au XVe s. il`),
  // any word when the writer does not capitalise (`au bout de 5 min. le voyant clignote`), unless
  // a bracket closes after the period (`court (1 m.) et chauffe`).
  const lowerAfterPossibleEnd = lower && (lowercaseStrength(next) === 3 || (context.lowercaseStyle && !context.closed));
  switch (kind) {
    case 'title':
    case 'prefix':
    case 'marker':
      return false;
    case 'list-end':
      return next.shape === 'upper';
    case 'initial':
      // `Corey S. Powell`, `J.-P. Sartre`, `U.E.` mid-sentence; `... la vitamine C. Elle ...`.
      return next.opener;
    case 'terminal':
      return next.opener || lowerAfterPossibleEnd;
    case 'unit':
      // `510 000 hab. Ancienne capitale …`: nothing but a sentence starts with a capital after a
      // measure; `5 min. à pied` goes on.
      return next.shape === 'upper' || lowerAfterPossibleEnd;
    default:
      break;
  }
  if (next.shape === 'upper' || next.shape === 'digit') return true;
  if (next.shape !== 'lower') return false;
  // A sentence written without its capital: after a full word or a closed unit any word starts
  // it (`… ci-après). la ou les …`, `… pâleur. saignements …`); after a possible abbreviation
  // only a pronoun or `à` (`env. la`, `10 mm. la` continue), and after a quotation that ends
  // with its own period only those too (`« C'est fini. » a-t-il conclu`).
  if ((kind === 'word' || kind === 'closed') && lower && !context.closed) return true;
  return lowercaseStrength(next) >= 2 || lowerAfterPossibleEnd;
}

/** The word glued before `?` or `!` at `runStart` (`Yahoo`, `Hélas`), without opening marks. */
function wordBefore(text: string, runStart: number): string {
  let end = runStart;
  while (end > 0 && isInlineSpace(text[end - 1])) end--;
  let start = end;
  while (start > 0 && end - start < MAX_WORD && /[\p{L}\p{M}'’-]/u.test(text[start - 1])) start--;
  return text.slice(start, end);
}

/** Decides a run of `?`, `!` or an ellipsis followed by whitespace. */
function strongRunEndsSentence(text: string, runStart: number, run: string, next: NextWord, nextStart: number, context: RunContext): boolean {
  const before = wordBefore(text, runStart);
  // `Yahoo! Actualités`: a name written with `!` (glued to it) ends a sentence like `etc.` would.
  if (run === '!' && runStart > 0 && !isSpace(text[runStart - 1]) && BANG_NAMES.has(before)) {
    return next.opener;
  }
  if (next.shape === 'upper' || next.shape === 'digit' || next.shape === 'stray-closer') return true;
  // An ellipsis before lowercase continues the sentence (`Il hésita… puis partit`).
  if (next.shape !== 'lower' || next.afterOpener || /[.…]/u.test(run)) return false;
  // A question or exclamation followed by a sentence written without its capital: `… ? à
  // combien s'élève …`, `… ! on verra`. Not a speech tag (`? demanda-t-il`, `? » s'interroge`)
  // and not the rest of an interjection (`Hélas ! il était trop tard`).
  if (INTERJECTIONS.has(before.toLowerCase()) || SPEECH_TAG.test(next.word) || SPEECH_VERBS.has(next.word)) return false;
  // After a closing quote the sentence around the quotation often goes on (`« Au secours ! » à
  // plusieurs reprises`): only a pronoun or an interrogative starts a new one.
  if (context.closed) return SUBJECT_PRONOUNS.has(next.word) || (run.includes('?') && QUESTION_WORDS.has(next.word));
  if (SUBJECT_PRONOUNS.has(next.word) || next.word === LOWERCASE_A_GRAVE) return true;
  if (CONTINUATIONS.has(next.word)) return false;
  // Questions in a row written without capitals (`… caractères ? mo est l'abréviation de quel
  // État ?`), not an answer or a tag (`Vacances ? connaît pas, plaisante-t-elle.`).
  if (run.includes('?') && nextTerminator(text, nextStart) === '?') return true;
  return context.lowercaseStyle;
}

const TERMINATOR = /[.!?…]/gu;

/** The first sentence-final punctuation mark at or after `from` (`''` when none). */
function nextTerminator(text: string, from: number): string {
  TERMINATOR.lastIndex = from;
  return TERMINATOR.exec(text)?.[0] ?? '';
}

/**
 * Whether a sentence starting at `start` begins with a lowercase word other than `à`, a list
 * marker or a name written with inner capitals (`eBay`, `iPhone`).
 */
function startsLowercase(text: string, start: number): boolean {
  if (!isLower(text[start])) return false;
  const head = text.slice(start, start + MAX_WORD).match(/^[\p{L}\p{M}-]+/u)?.[0] ?? '';
  if (head.toLowerCase() !== head) return false;
  return readWord(text, start) !== LOWERCASE_A_GRAVE && !LIST_MARKER_AHEAD.test(text.slice(start, start + 6));
}

/** The sentences of a paragraph and the quotations it leaves open for the next one. */
export interface SegmentedParagraph {
  spans: SentenceSpan[];
  carry: QuoteCarry;
}

/**
 * Sentence spans of a paragraph, in order, covering every character except the whitespace
 * between sentences (and around the paragraph). `carry` is what the previous paragraph of the
 * document left open (a quotation running across paragraphs).
 */
export function segmentParagraph(text: string, carry: QuoteCarry = NO_OPEN_QUOTE): SegmentedParagraph {
  const spans: SentenceSpan[] = [];
  const marks = new OpenMarks(text, carry);
  let sentenceStart = 0;
  while (sentenceStart < text.length && isSpace(text[sentenceStart])) sentenceStart++;
  let lowercaseStyle = startsLowercase(text, sentenceStart);

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
    const context: RunContext = { sentenceStart, closed: end > runEnd, inBrackets: marks.inBrackets(end), lowercaseStyle };
    const boundary = run === '.' ? periodEndsSentence(text, runStart, next, context) : strongRunEndsSentence(text, runStart, run, next, nextStart, context);
    if (!boundary) continue;

    spans.push({ start: sentenceStart, end });
    sentenceStart = nextStart;
    lowercaseStyle ||= startsLowercase(text, nextStart);
    terminators.lastIndex = nextStart;
  }

  let end = text.length;
  while (end > sentenceStart && isSpace(text[end - 1])) end--;
  if (end > sentenceStart) spans.push({ start: sentenceStart, end });
  return { spans, carry: marks.carryOut() };
}

/** Sentence spans of a paragraph (see `segmentParagraph`). */
export function sentenceSpans(text: string, carry: QuoteCarry = NO_OPEN_QUOTE): SentenceSpan[] {
  return segmentParagraph(text, carry).spans;
}

/** Sentence spans of consecutive paragraphs of one document, quotations carried between them. */
export function paragraphSentenceSpans(paragraphs: readonly string[]): SentenceSpan[][] {
  let carry = NO_OPEN_QUOTE;
  return paragraphs.map((text) => {
    const segmented = segmentParagraph(text, carry);
    carry = segmented.carry;
    return segmented.spans;
  });
}

/** A URL or e-mail address standing alone: copied verbatim, not translated. */
const VERBATIM_UNIT = /^(?:(?:https?:\/\/|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)[.,;:]?$/u;

/** Whether a unit is copied verbatim rather than translated (a bare URL or e-mail address). */
export function isVerbatimUnit(text: string): boolean {
  return VERBATIM_UNIT.test(text);
}

/** Sentences from spans: `sentence.text === text.slice(start, end)`. */
function toSentences(text: string, spans: readonly SentenceSpan[]): SourceSentence[] {
  return spans.map(({ start, end }) => {
    const sentence = text.slice(start, end);
    return { start, end, text: sentence, translate: !isVerbatimUnit(sentence) };
  });
}

/**
 * Splits a paragraph into sentences. `sentence.text === text.slice(start, end)`; the sentences
 * cover the paragraph in order, without overlap, except for the whitespace between them.
 */
export function splitSentences(text: string, carry: QuoteCarry = NO_OPEN_QUOTE): SourceSentence[] {
  return toSentences(text, sentenceSpans(text, carry));
}

/** `splitSentences` that also returns the quotations left open, for the next paragraph. */
export function splitParagraphSentences(text: string, carry: QuoteCarry = NO_OPEN_QUOTE): { sentences: SourceSentence[]; carry: QuoteCarry } {
  const segmented = segmentParagraph(text, carry);
  return { sentences: toSentences(text, segmented.spans), carry: segmented.carry };
}
