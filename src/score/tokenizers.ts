/**
 * BLEU's tokenizers, ported from sacreBLEU 2.6.0 (`sacrebleu/tokenizers/`). Each maps one line to
 * a string of space-separated tokens. chrF does not tokenize, and TER has its own (see ter.ts).
 */
import { pySplit } from './python-text.js';

/**
 * 13a's punctuation pass (mteval-v13a.pl): every ASCII punctuation or symbol character except
 * `'`, `,`, `-` and `.` becomes a token of its own. Written as code point ranges, as sacreBLEU
 * writes it: `{|}~`, `[\]^_\``, space to `&`, `(` to `+`, `:` to `@`, and `/`.
 */
const MTEVAL_PUNCTUATION = /([\u007B-\u007E\u005B-\u0060\u0020-\u0026\u0028-\u002B\u003A-\u0040\u002F])/gu;
/** `.` and `,` split off unless between digits: `1,000.50` stays one token, `end.` does not. */
const PERIOD_COMMA_AFTER_NON_DIGIT = /([^0-9])([.,])/gu;
const PERIOD_COMMA_BEFORE_NON_DIGIT = /([.,])([^0-9])/gu;
/** A dash after a digit is split off (`5-10` -> `5 - 10`); hyphens inside words are not. */
const DASH_AFTER_DIGIT = /([0-9])(-)/gu;

function tokenize13a(line: string): string {
  let text = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (text.includes('&')) {
    // In this order, as mteval does: `&amp;quot;` becomes `&quot;`, not `"`.
    text = text.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  // The surrounding spaces let the period rule split a final `.` after a digit (`in 1999.`).
  text = ` ${text} `
    .replace(MTEVAL_PUNCTUATION, ' $1 ')
    .replace(PERIOD_COMMA_AFTER_NON_DIGIT, '$1 $2 ')
    .replace(PERIOD_COMMA_BEFORE_NON_DIGIT, ' $1 $2')
    .replace(DASH_AFTER_DIGIT, '$1 $2 ');
  return pySplit(text).join(' ');
}

/**
 * mteval-v14's international tokenization, on Unicode classes (P punctuation, S symbols, N
 * numbers): punctuation is split off unless it sits between digits on both sides, symbols always.
 * Unlike 13a there is no padding, so `1999.` at the very end stays one token (as in mteval-v14).
 */
const PUNCT_AFTER_NON_NUMBER = /(\P{N})(\p{P})/gu;
const PUNCT_BEFORE_NON_NUMBER = /(\p{P})(\P{N})/gu;
const SYMBOL = /(\p{S})/gu;

function tokenizeIntl(line: string): string {
  const text = line.replace(PUNCT_AFTER_NON_NUMBER, '$1 $2 ').replace(PUNCT_BEFORE_NON_NUMBER, ' $1 $2').replace(SYMBOL, ' $1 ');
  return pySplit(text).join(' ');
}

/** Every code point is a token (spaces too; they disappear when BLEU splits on whitespace). */
function tokenizeChar(line: string): string {
  return Array.from(line).join(' ');
}

function tokenizeNone(line: string): string {
  return line;
}

/** The tokenizers by the name sacreBLEU's `--tokenize` and its signature (`tok:`) use. */
export const TOKENIZERS = {
  '13a': tokenize13a,
  intl: tokenizeIntl,
  none: tokenizeNone,
  char: tokenizeChar,
} as const satisfies Record<string, (line: string) => string>;

export type TokenizerName = keyof typeof TOKENIZERS;

export const TOKENIZER_NAMES = Object.keys(TOKENIZERS) as TokenizerName[];

export function isTokenizerName(name: string): name is TokenizerName {
  return Object.hasOwn(TOKENIZERS, name);
}
