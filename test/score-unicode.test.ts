/**
 * The Python behaviours the metrics rely on, checked against facts recorded from Python 3 and its
 * `regex` module (test/fixtures/sacrebleu/unicode.json): the whitespace `str.split()` uses,
 * `str.lower()`, and the Unicode classes of the intl tokenizer on every character the vector
 * inputs hold (CJK, emoji with modifiers and joiners, French spaces, currency, fractions...).
 */
import { describe, expect, it } from 'vitest';
import { codePointLength, isPythonWhitespace, pyRstrip, pySplit, removePythonWhitespace } from '../src/score/python-text.js';
import { TOKENIZERS } from '../src/score/tokenizers.js';
import { readVectorJson } from './helpers/sacrebleu-vectors.js';

interface UnicodeFacts {
  python_whitespace: number[];
  classes: { P: string; S: string; N: string };
  lowercase: { input: string[]; python: string[] };
}

const facts = readVectorJson<UnicodeFacts>('unicode.json');

describe('Python str semantics', () => {
  it("treats exactly Python's isspace() characters as whitespace", () => {
    const ours: number[] = [];
    for (let code = 0; code <= 0x10ffff; code++) if (isPythonWhitespace(code)) ours.push(code);
    expect(ours).toEqual(facts.python_whitespace);
  });

  it('splits, strips and removes whitespace as Python does (NEL, U+001F and U+3000 yes; U+200B and U+FEFF no)', () => {
    const text = ' a\u0085b\u001fc\u3000d\u200be\ufefff\u00a0 ';
    expect(pySplit(text)).toEqual(['a', 'b', 'c', 'd\u200be\ufefff']);
    expect(pySplit('')).toEqual([]);
    expect(pySplit(' \t\n ')).toEqual([]);
    expect(pyRstrip(text)).toBe(' a\u0085b\u001fc\u3000d\u200be\ufefff');
    expect(removePythonWhitespace(text)).toBe('abcd\u200be\ufefff');
  });

  it("lowercases every vector line as Python's str.lower() does", () => {
    expect(facts.lowercase.input.map((line) => line.toLowerCase())).toEqual(facts.lowercase.python);
  });

  it('counts code points as Python len() does', () => {
    expect(codePointLength('🍵')).toBe(1);
    expect(codePointLength('👩‍👩‍👧')).toBe(5);
    expect(codePointLength('e\u0301')).toBe(2);
  });
});

describe("intl tokenizer classes match Python regex's", () => {
  const chars = [...new Set([...facts.classes.P, ...facts.classes.S, ...facts.classes.N, ...'abc xyz東京서울ΣÉé'])];
  it.each([
    ['P', /^\p{P}$/u],
    ['S', /^\p{S}$/u],
    ['N', /^\p{N}$/u],
  ] as const)('\\p{%s}', (name, pattern) => {
    expect(chars.filter((char) => pattern.test(char)).sort().join('')).toBe([...facts.classes[name]].sort().join(''));
  });

  it('splits punctuation off words but not between digits, and symbols always', () => {
    expect(TOKENIZERS.intl('Il a payé 1,000.50 €, «vraiment»!')).toBe('Il a payé 1,000.50 € , « vraiment » !');
    // mteval-v14's quirk, kept: a number's final period stays attached at the very end.
    expect(TOKENIZERS.intl('in 1999.')).toBe('in 1999.');
    expect(TOKENIZERS['13a']('in 1999.')).toBe('in 1999 .');
  });
});
