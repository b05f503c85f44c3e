/**
 * Word differences (src/compare/word-diff.ts): spans rebuild both texts exactly, changes read as
 * whole phrases as jsdiff's diffWords gives them, and the share of words changed is what
 * `compare` ranks pairs by.
 */
import { describe, expect, it } from 'vitest';
import { changedRanges, changeShare, markRuns, sideText, wordCount, wordDiff, type DiffSpan } from '../src/compare/word-diff.js';

/** wdiff's notation, to read a diff at a glance. */
const show = (spans: readonly DiffSpan[]) => spans.map((s) => (s.op === 'delete' ? `[-${s.text}-]` : s.op === 'insert' ? `{+${s.text}+}` : s.text)).join('');

describe('wordDiff', () => {
  it.each([
    ['The big cat sat on the mat.', 'A small dog sat on a mat!', '[-The big cat-]{+A small dog+} sat on [-the-]{+a+} mat[-.-]{+!+}'],
    ['Two dogs play in the snow', 'Two dogs are playing in snow', 'Two dogs [-play-]{+are playing+} in [-the -]snow'],
    ["L'homme est là.", "L'homme était là.", "L'homme [-est-]{+était+} là."],
    ['same words', 'same words', 'same words'],
    ['', 'new text', '{+new text+}'],
    ['old text', '', '[-old text-]'],
  ])('%j -> %j reads %j', (from, to, expected) => {
    expect(show(wordDiff(from, to))).toBe(expected);
  });

  it('rebuilds both texts exactly, spacing, newlines and surrogate pairs included', () => {
    const texts = [
      'a  b c',
      'a b c',
      ' lead',
      'lead ',
      'line\nbreak\tand tab',
      'line break and tab',
      'Emoji 👍🏽 and 漢字 text',
      'Emoji 👍 and 字 text.',
      '',
      '   ',
      'Le « chat » – dit-il – dort.',
      'The "cat" - he says - sleeps.',
    ];
    for (const from of texts) {
      for (const to of texts) {
        const spans = wordDiff(from, to);
        expect(sideText(spans, 'from'), `${from} -> ${to}`).toBe(from);
        expect(sideText(spans, 'to'), `${from} -> ${to}`).toBe(to);
        // No empty span, and no two neighbours with the same op.
        expect(spans.every((span) => span.text !== '')).toBe(true);
        expect(spans.every((span, i) => i === 0 || span.op !== spans[i - 1].op)).toBe(true);
      }
    }
  });

  it('rebuilds both texts of random edits of real sentences', () => {
    const words = 'the a cat dog sat sleeps on under mat , . ! café « » 3,5 % 12 well-known'.split(' ');
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const sentence = () => Array.from({ length: 1 + random(15) }, () => words[random(words.length)]).join(random(5) === 0 ? '  ' : ' ');
    for (let i = 0; i < 2000; i++) {
      const from = sentence();
      const to = random(3) === 0 ? sentence() : from.split(' ').map((word) => (random(4) === 0 ? words[random(words.length)] : word)).join(' ');
      const spans = wordDiff(from, to);
      expect(sideText(spans, 'from')).toBe(from);
      expect(sideText(spans, 'to')).toBe(to);
    }
  });
});

describe('changeShare', () => {
  it('counts words and punctuation marks changed over both texts', () => {
    // 6 + 6 words and marks; "The big cat" / "A small dog" change 3 + 3, "." / "!" 1 + 1.
    const spans = wordDiff('The big cat sat down.', 'A small dog sat down!');
    expect(wordCount('The big cat sat down.')).toBe(6);
    expect(changeShare(spans)).toEqual({ changedWords: 8, share: 8 / 12 });
    expect(changeShare(wordDiff('same', 'same'))).toEqual({ changedWords: 0, share: 0 });
    expect(changeShare(wordDiff('', ''))).toEqual({ changedWords: 0, share: 0 });
    expect(changeShare(wordDiff('', 'all new'))).toEqual({ changedWords: 2, share: 1 });
    // Spacing alone changes no word.
    expect(changeShare(wordDiff('a  b', 'a b'))).toEqual({ changedWords: 0, share: 0 });
  });
});

describe('changedRanges and markRuns', () => {
  it('locate deletions in the first text and insertions in the second', () => {
    const spans = wordDiff('The big cat sat.', 'The cat sat down.');
    const from = 'The big cat sat.';
    const to = 'The cat sat down.';
    expect(changedRanges(spans, 'from').map(([s, e]) => from.slice(s, e))).toEqual(['big ']);
    expect(changedRanges(spans, 'to').map(([s, e]) => to.slice(s, e))).toEqual([' down']);
  });

  it('merges overlapping ranges and keeps the text whole', () => {
    const text = 'one two three four five';
    const runs = markRuns(text, [
      [4, 9],
      [8, 13],
      [19, 23],
    ]);
    expect(runs).toEqual([
      { text: 'one ', marked: false },
      { text: 'two three', marked: true },
      { text: ' four ', marked: false },
      { text: 'five', marked: true },
    ]);
    expect(markRuns('', [])).toEqual([{ text: '', marked: false }]);
    expect(markRuns('all', [[0, 3]])).toEqual([{ text: 'all', marked: true }]);
  });
});
