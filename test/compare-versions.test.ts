/**
 * `compareVersions` (src/compare/): alignment by id and by position, the diffs of three versions
 * and of one version against a reference, per-pair chrF, ranking and the summary, checked against
 * src/score's own functions.
 */
import { describe, expect, it } from 'vitest';
import { columnRuns, compareVersions, type CompareFile } from '../src/compare/index.js';
import type { PairRecord } from '../src/read/pairs.js';
import { scoreCorpus, scoreSentences } from '../src/score/index.js';

const FRENCH = ['Le chat dort.', 'Il pleut beaucoup.', 'Nous partons demain matin.', 'Merci.'];
const A = ['The cat sleeps.', 'It rains a lot.', 'We leave tomorrow morning.', 'Thanks.'];
const B = ['The cat is sleeping.', 'It rains a lot.', 'We are leaving tomorrow morning.', 'Thank you.'];
const C = ['The cat sleeps.', 'It is raining hard.', 'We leave tomorrow morning.', 'Thanks.'];
const ids = FRENCH.map((_, i) => `p0.s${i}`);

const jsonlRecords = (targets: readonly string[]): PairRecord[] => targets.map((target, i) => ({ id: ids[i], source: FRENCH[i], target }));
const textRecords = (lines: readonly string[]): PairRecord[] => lines.map((target, i) => ({ id: String(i + 1), target }));
const file = (name: string, records: PairRecord[]): CompareFile => ({ file: name, records });
const runsOf = (runs: ReturnType<typeof columnRuns>) => runs.map((run) => (run.mark === 'deleted' ? `[-${run.text}-]` : run.mark === 'inserted' ? `{+${run.text}+}` : run.text)).join('');

describe('three versions: JSONL, JSONL in another order, plain text', () => {
  const shuffled = jsonlRecords(B).reverse();
  const comparison = compareVersions({
    versions: [file('a.jsonl', jsonlRecords(A)), file('b.jsonl', shuffled), file('c.txt', textRecords(C))],
  });

  it('aligns by id, and plain text by position with the first file that has the French', () => {
    expect(comparison.pairs.map((pair) => pair.id)).toEqual(ids);
    expect(comparison.pairs.map((pair) => pair.texts)).toEqual(FRENCH.map((_, i) => [A[i], B[i], C[i]]));
    expect(comparison.pairs.map((pair) => pair.source)).toEqual(FRENCH);
    expect(comparison.sourceFile).toBe('a.jsonl');
    expect(comparison.versions.map((version) => version.label)).toEqual(['A', 'B', 'C']);
  });

  it('diffs every version against the first, and marks in the first what any other lacks', () => {
    const [first, second] = comparison.pairs;
    expect(first.diffs.map((diff) => diff.to)).toEqual([1, 2]);
    expect(runsOf(columnRuns(first, 0))).toBe('The cat [-sleeps-].');
    expect(runsOf(columnRuns(first, 1))).toBe('The cat {+is sleeping+}.');
    expect(runsOf(columnRuns(first, 2))).toBe('The cat sleeps.');
    // Pair 2: B keeps A's words, C changes them: A's marks are C's deletions.
    expect(runsOf(columnRuns(second, 0))).toBe('It [-rains a lot-].');
    expect(runsOf(columnRuns(second, 2))).toBe('It {+is raining hard+}.');
  });

  it("scores each version's sentences against the first (its own score is null) and counts identical pairs", () => {
    const b = scoreSentences(B, [A], { metrics: ['chrf'] });
    const c = scoreSentences(C, [A], { metrics: ['chrf'] });
    expect(comparison.chrfAgainst).toBe('A');
    expect(comparison.pairs.map((pair) => pair.chrf)).toEqual(A.map((_, i) => [null, b[i][0].score, c[i][0].score]));
    expect(comparison.summary.identical).toBe(0);
    expect(comparison.summary.identicalToFirst).toEqual([4, 1, 3]);
    expect(comparison.pairs.map((pair) => pair.identical)).toEqual([false, false, false, false]);
  });

  it('gives corpus BLEU and chrF of each version against the first, as src/score does', () => {
    const [bBleu, bChrf] = scoreCorpus(B, [A]);
    const [cBleu, cChrf] = scoreCorpus(C, [A]);
    expect(comparison.summary.between.map((s) => [s.label, s.against, s.bleu.score, s.chrf.score])).toEqual([
      ['B', 'A', bBleu.score, bChrf.score],
      ['C', 'A', cBleu.score, cChrf.score],
    ]);
    expect(comparison.signatures.bleu).toBe(bBleu.signature);
    expect(comparison.summary.againstReference).toEqual([]);
    expect(comparison.summary.tallies).toEqual([]);
  });

  it('ranks pairs by their largest share of changed words', () => {
    const byRank = [...comparison.pairs].sort((x, y) => x.rank - y.rank);
    // "It rains a lot." / "It is raining hard." (C) changes 6 of 10 words and marks, "Thanks." /
    // "Thank you." 3 of 5: the same share, so more words changed comes first.
    expect(byRank.map((pair) => [pair.id, pair.difference, pair.changedWords])).toEqual([
      ['p0.s1', 6 / 10, 6],
      ['p0.s3', 3 / 5, 3],
      ['p0.s0', 3 / 9, 3],
      ['p0.s2', 3 / 11, 3],
    ]);
    expect(comparison.summary.mostDifferent).toEqual(byRank.map((pair) => pair.index));
    const top2 = compareVersions({ versions: [file('a.jsonl', jsonlRecords(A)), file('b.jsonl', jsonlRecords(A))] }, { top: 2 });
    expect(top2.summary.mostDifferent).toEqual([]); // identical pairs are never "most different"
  });

  it('breaks ties in difference by the number of words changed, then by order', () => {
    const ties = compareVersions({
      versions: [file('x.txt', textRecords(['a b', 'a b c d', 'e f'])), file('y.txt', textRecords(['a c', 'a x c y', 'e g']))],
      source: file('fr.txt', textRecords(['1', '2', '3'])),
    });
    expect(ties.pairs.map((pair) => pair.difference)).toEqual([0.5, 0.5, 0.5]);
    expect(ties.pairs.map((pair) => pair.rank)).toEqual([1, 0, 2]);
  });
});

describe('one version against a reference', () => {
  const human = ['The cat is asleep.', 'It is raining a lot.', 'We leave tomorrow morning.', 'Thank you.'];
  // The reference as a TMX would give it: French, and ids that are not fr2en's.
  const reference = file('human.tmx', human.map((target, i) => ({ id: String(i + 1), source: FRENCH[i], target })));
  const comparison = compareVersions({ versions: [file('a.jsonl', jsonlRecords(A))], reference });

  it('aligns the reference by position when its ids are not the versions, and diffs the version against it', () => {
    expect(comparison.pairs.map((pair) => pair.reference)).toEqual(human);
    expect(comparison.pairs[0].diffs.map((diff) => diff.to)).toEqual([1]);
    expect(runsOf(columnRuns(comparison.pairs[0], 0))).toBe('The cat [-sleeps-].');
    expect(runsOf(columnRuns(comparison.pairs[0], 1))).toBe('The cat {+is asleep+}.');
    // With one version, "identical" means identical to the reference.
    expect(comparison.pairs.map((pair) => pair.identical)).toEqual([false, false, true, false]);
    expect(comparison.summary.identical).toBe(1);
  });

  it('scores against the reference, sentence and corpus', () => {
    const sentences = scoreSentences(A, [human], { metrics: ['chrf'] });
    expect(comparison.chrfAgainst).toBe('reference');
    expect(comparison.pairs.map((pair) => pair.chrf)).toEqual(sentences.map(([chrf]) => [chrf.score]));
    const [bleu, chrf] = scoreCorpus(A, [human]);
    expect(comparison.summary.againstReference.map((s) => [s.label, s.against, s.bleu.score, s.chrf.score])).toEqual([['A', 'reference', bleu.score, chrf.score]]);
    expect(comparison.summary.between).toEqual([]);
  });

  it('refuses a reference whose French is not the versions', () => {
    const wrong = file('other.tmx', human.map((target, i) => ({ id: String(i + 1), source: i === 2 ? 'Autre chose.' : FRENCH[i], target })));
    expect(() => compareVersions({ versions: [file('a.jsonl', jsonlRecords(A))], reference: wrong })).toThrow(
      'other.tmx: the French of pair 3 (p0.s2 in a.jsonl) differs: "Autre chose." here, "Nous partons demain matin." in a.jsonl',
    );
  });

  it('aligns a reference with the same ids by id, whatever its order', () => {
    const byId = compareVersions({ versions: [file('a.jsonl', jsonlRecords(A))], reference: file('ref.jsonl', jsonlRecords(human).reverse()) });
    expect(byId.pairs.map((pair) => pair.reference)).toEqual(human);
  });
});

describe('refusals', () => {
  it.each([
    ['no version', () => compareVersions({ versions: [] }), /two versions, or one version and a reference/],
    ['labels that repeat', () => compareVersions({ versions: [{ ...file('a.jsonl', jsonlRecords(A)), label: 'x' }, { ...file('b.jsonl', jsonlRecords(B)), label: 'x' }] }), /Two versions are named "x"/],
    ['the reference label', () => compareVersions({ versions: [{ ...file('a.jsonl', jsonlRecords(A)), label: 'reference' }, file('b.jsonl', jsonlRecords(B))] }), /"reference" names the reference/],
    ['an empty input', () => compareVersions({ versions: [file('a.jsonl', []), file('b.jsonl', [])], source: file('fr.txt', []) }), /fr\.txt has no pairs to compare/],
    ['a bad top', () => compareVersions({ versions: [file('a.jsonl', jsonlRecords(A)), file('b.jsonl', jsonlRecords(B))] }, { top: -1 }), /top to be an integer >= 0/],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(message);
  });
});
