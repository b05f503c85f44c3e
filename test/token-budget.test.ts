import { describe, expect, it } from 'vitest';
import { splitByBudget } from '../src/translate/token-budget.js';
import { wordTokenCounter } from '../src/translate/token-counter.js';

// One token per 4 characters of a word (at least one): close enough to SentencePiece for cutting.
const counter = wordTokenCounter((word) => Math.max(1, Math.ceil(word.length / 4)));

function expectCoverage(text: string, pieces: ReturnType<typeof splitByBudget>, budget: number) {
  let cursor = 0;
  for (const piece of pieces) {
    expect(text.slice(piece.start, piece.end)).toBe(piece.text);
    expect(text.slice(cursor, piece.start).trim()).toBe(''); // only whitespace between pieces
    expect(piece.tokens).toBeLessThanOrEqual(budget);
    expect(piece.tokens).toBe(counter.count(piece.text));
    cursor = piece.end;
  }
  expect(text.slice(cursor).trim()).toBe('');
}

describe('splitByBudget', () => {
  it('keeps a sentence under the budget whole', () => {
    const text = 'M. Blinken a rencontré M. Lavrov pendant moins de 10 minutes.';
    expect(splitByBudget(text, 200, counter)).toEqual([{ start: 0, end: text.length, text, tokens: counter.count(text) }]);
  });

  it('cuts at semicolons and colons before commas', () => {
    const clause = 'les chercheurs, dans des zones pensées désertiques, découvrent de nouvelles espèces';
    const text = `${clause} ; ${clause} : ${clause}.`;
    const budget = counter.count(clause) + 2;
    const pieces = splitByBudget(text, budget, counter);
    expectCoverage(text, pieces, budget);
    expect(pieces.map((p) => p.text)).toEqual([`${clause} ;`, `${clause} :`, `${clause}.`]);
  });

  it('falls back to commas and dashes, then spaces', () => {
    const text = 'un premier membre assez long, un deuxième membre assez long – un troisième membre assez long';
    const pieces = splitByBudget(text, 10, counter);
    expectCoverage(text, pieces, 10);
    expect(pieces[0].text).toBe('un premier membre assez long,');
    expect(pieces[1].text).toBe('un deuxième membre assez long');
    expect(pieces[2].text.startsWith('– un troisième')).toBe(true);
  });

  it('splits a 100 kB paragraph with no punctuation and loses nothing', () => {
    const words = Array.from({ length: 16_000 }, (_, i) => `mot${i % 97}x`);
    const text = words.join(' ');
    expect(text.length).toBeGreaterThan(100_000);
    const pieces = splitByBudget(text, 200, counter);
    expectCoverage(text, pieces, 200);
    expect(pieces.map((p) => p.text).join(' ')).toBe(text);
    expect(pieces.length).toBeGreaterThanOrEqual((16_000 * 2) / 200);
  });

  it('cuts a single word longer than the budget by length, never inside a surrogate pair', () => {
    const text = 'a'.repeat(3000) + '😀'.repeat(500);
    const pieces = splitByBudget(text, 50, counter);
    expectCoverage(text, pieces, 50);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    for (const piece of pieces) expect(piece.text.isWellFormed()).toBe(true);
  });

  it('returns nothing for blank text and rejects a budget below 1', () => {
    expect(splitByBudget('   ', 10, counter)).toEqual([]);
    expect(() => splitByBudget('texte', 0, counter)).toThrow(RangeError);
  });
});
