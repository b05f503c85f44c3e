/**
 * Quotes and brackets open at a position of a paragraph, for the sentence splitter: a closing
 * quote after final punctuation belongs to the sentence it closes (`ouvert. »`, `tous. "`).
 *
 * A quotation may run across paragraphs. French either reopens it at the start of each paragraph
 * (`«`, `»` or `"`) or leaves it open until its closing mark; the state that leaves a paragraph,
 * a `QuoteCarry`, is passed to the next one. Without that state (a paragraph segmented alone),
 * the role of each straight quote is inferred from its spacing when their number is odd.
 */

/** Quotations still open at the end of a paragraph. */
export interface QuoteCarry {
  /** A straight double quote `"` is open. */
  readonly straightQuote: boolean;
  /** A guillemet `«` is open. */
  readonly guillemet: boolean;
}

/** The state before a document's first paragraph. */
export const NO_OPEN_QUOTE: QuoteCarry = { straightQuote: false, guillemet: false };

const isSpace = (char: string | undefined): boolean => char !== undefined && /\s/u.test(char);
const isWordChar = (char: string | undefined): boolean => char !== undefined && /[\p{L}\p{N}]/u.test(char);

/** First non-space position at or after `from` (the text length when none). */
function skipSpaces(text: string, from: number): number {
  let position = from;
  while (position < text.length && isSpace(text[position])) position++;
  return position;
}

/**
 * How a straight quote looks: +1 like an opener, -1 like a closer, 0 either. A quote glued to the
 * next word and not to the previous one opens (`dit "oui`), and the reverse closes (`oui" dit`,
 * `bête !"`); a spaced quote opens after a colon or at the paragraph start, and closes before
 * `, ; . )` or at the paragraph end. `fin. " Les` says nothing.
 */
function quoteShape(text: string, position: number): number {
  const before = text[position - 1];
  const after = text[position + 1];
  const gluedAfter = isWordChar(after);
  const gluedBefore = before !== undefined && !isSpace(before) && !'(["«'.includes(before);
  if (gluedAfter && !gluedBefore) return 1;
  if (gluedBefore && !gluedAfter) return -1;
  let previous = position - 1;
  while (previous >= 0 && isSpace(text[previous])) previous--;
  if (previous < 0 || text[previous] === ':') return 1;
  const next = skipSpaces(text, position + 1);
  if (next >= text.length || ',;.)'.includes(text[next])) return -1;
  return 0;
}

/**
 * The parity the straight quotes of a paragraph start with: 1 when the first one closes a
 * quotation opened earlier. A paragraph that starts with a quote reopens a carried quotation.
 * Otherwise the parity whose openers and closers look more like what they are wins: a carried
 * quotation is closed by the first quote unless the quotes clearly pair up among themselves
 * (`dit "oui" et`); without one, an even count pairs up from the start and an odd count starts
 * at 1 only on the evidence of spacing (`bête ! " Les serveuses … question "les … apporter ?"`)
 * or, when spacing says nothing, of the voice on either side.
 */
function straightQuoteParity(text: string, carried: boolean): 0 | 1 {
  if (carried && text[skipSpaces(text, 0)] === '"') return 0;
  let count = 0;
  let agreement = 0; // how much better parity 1 fits than parity 0
  for (let position = text.indexOf('"'); position >= 0; position = text.indexOf('"', position + 1)) {
    const shape = quoteShape(text, position);
    // With parity 0 the quotes open at even indexes; with parity 1 at odd ones.
    agreement += count % 2 === 0 ? -shape : shape;
    count++;
  }
  if (carried) return agreement >= 0 ? 1 : 0;
  if (count % 2 === 0) return 0;
  if (agreement !== 0) return agreement > 0 ? 1 : 0;
  // Spacing says nothing (`tous. " Il a ensuite …`): quoted speech is in the first or second
  // person, narration in the third. Speech before the first quote and none after the last means
  // the first quote closes a quotation opened in an earlier paragraph.
  const first = text.indexOf('"');
  const last = text.lastIndexOf('"');
  return speaks(text.slice(0, first)) && !speaks(text.slice(last + 1)) ? 1 : 0;
}

/** First- and second-person words: the voice of quoted speech. */
const SPEECH_WORDS = /(?<![\p{L}'’])(?:je|j['’]|me|m['’]|moi|nous|vous|tu|te|t['’]|toi|mon|ma|mes|ton|ta|tes|notre|nos|votre|vos)(?![\p{L}])/iu;

function speaks(text: string): boolean {
  return SPEECH_WORDS.test(text);
}

/** Positions of the opening brackets that no closing bracket of the same kind matches. */
function unclosedBrackets(text: string): Set<number> {
  const open: Record<string, number[]> = { '(': [], '[': [] };
  for (let position = 0; position < text.length; position++) {
    const char = text[position];
    if (char === '(' || char === '[') open[char].push(position);
    else if (char === ')') open['('].pop();
    else if (char === ']') open['['].pop();
  }
  return new Set([...open['('], ...open['[']]);
}

/**
 * Quotes and brackets open at a position of the paragraph, counted incrementally so that the
 * whole pass stays linear. Straight double quotes open and close alternately.
 */
export class OpenMarks {
  #position = 0;
  /** Positions of `(` and `[` never closed in the paragraph: a typo must not hide the sentences after it. */
  readonly #unclosed: ReadonlySet<number>;
  guillemets = 0;
  curlyQuotes = 0;
  straightQuotes: 0 | 1;
  parentheses = 0;
  brackets = 0;

  constructor(
    private readonly text: string,
    carry: QuoteCarry = NO_OPEN_QUOTE,
  ) {
    this.straightQuotes = straightQuoteParity(text, carry.straightQuote);
    this.#unclosed = unclosedBrackets(text);
    if (carry.guillemet) {
      this.guillemets = 1;
      // `«` or `»` at the start of a paragraph marks the carried quotation again: not counted.
      const first = skipSpaces(text, 0);
      if (text[first] === '«' || text[first] === '»') this.#position = first + 1;
    }
  }

  /** Counts every mark before `position` (positions only move forward). */
  advanceTo(position: number): void {
    for (; this.#position < position; this.#position++) {
      switch (this.text[this.#position]) {
        case '«': this.guillemets++; break;
        case '»': this.guillemets = Math.max(0, this.guillemets - 1); break;
        case '“': this.curlyQuotes++; break;
        case '”': this.curlyQuotes = Math.max(0, this.curlyQuotes - 1); break;
        case '"': this.straightQuotes ^= 1; break;
        case '(': if (!this.#unclosed.has(this.#position)) this.parentheses++; break;
        case ')': this.parentheses = Math.max(0, this.parentheses - 1); break;
        case '[': if (!this.#unclosed.has(this.#position)) this.brackets++; break;
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
        // `contrebandiers. "L'ambiguïté ...`: a quote glued to the next word opens it.
        if (isSpace(text[position - 1]) && isWordChar(text[position + 1])) return false;
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

  /** Whether `position` is inside parentheses or square brackets closed later in the paragraph. */
  inBrackets(position: number): boolean {
    this.advanceTo(position);
    return this.parentheses > 0 || this.brackets > 0;
  }

  /** The quotations still open at the end of the paragraph. */
  carryOut(): QuoteCarry {
    this.advanceTo(this.text.length);
    return { straightQuote: this.straightQuotes === 1, guillemet: this.guillemets > 0 };
  }
}
