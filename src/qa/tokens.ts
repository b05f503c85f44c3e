/**
 * The one tokenizer the checks share: digit groups, words, and single punctuation characters,
 * each knowing whether whitespace came before it (`18h30` and `18 h 30` differ only there).
 */

export type TokenKind = 'digits' | 'word' | 'punct';

export interface Token {
  kind: TokenKind;
  text: string;
  /** UTF-16 offsets into the text. */
  start: number;
  end: number;
  /** Whitespace between this token and the previous one (or the start of the text). */
  spaced: boolean;
}

/**
 * - Digits with their separators: thousands groups separated by a space, U+00A0, U+202F or
 *   U+2009 are taken only as groups of exactly three after a first group of one to three digits
 *   (`1 914`, `12 000 000`, but `2020 300` is two numbers); `.` and `,` between digits are kept
 *   for the number reader to interpret (`3,5`, `1,500`, `1.234.567`, `192.168.0.1`).
 * - Words: runs of letters, including modifier letters (`1ᵉʳ`). Apostrophes and hyphens split.
 * - Anything else that is not whitespace: one character.
 */
const TOKEN = /(\d{1,3}(?:[ \u00A0\u202F\u2009]\d{3}(?!\d))+(?:[.,]\d+)*|\d+(?:[.,]\d+)*)|(\p{L}+)|(\S)/gu;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index;
    const kind: TokenKind = match[1] !== undefined ? 'digits' : match[2] !== undefined ? 'word' : 'punct';
    tokens.push({ kind, text: match[0], start, end: start + match[0].length, spaced: start > last || start === 0 });
    last = start + match[0].length;
  }
  return tokens;
}

/** True when a word starts with an uppercase letter. */
export function isCapitalized(word: string): boolean {
  const first = word[0];
  return first !== undefined && first !== first.toLowerCase() && first === first.toUpperCase();
}
