/**
 * Properties the metrics must have whatever the text, and sacreBLEU's printing rules: identical
 * text scores 100 (TER 0), more references never lose matches, `lowercase` is scoring lowercased
 * text, Python's rounding of ties, option checking.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { alignScoreLines, pyFixed, resolveScoreOptions, scoreCorpus, scoreLine, scoreSentences, TOKENIZER_NAMES, type BleuScore, type MetricScore } from '../src/score/index.js';
import { fixtureLines, readVectorJson, type VectorCase } from './helpers/sacrebleu-vectors.js';

const ALL = { metrics: ['bleu', 'chrf', 'chrf++', 'ter'] as const, version: 'test' };
const byMetric = (scores: MetricScore[]) => Object.fromEntries(scores.map((score) => [score.metric, score]));

const CORPORA = ['ref-a.txt', 'ref-b.txt', 'tok-ref.txt', 'ter-ref.txt', 'hyp-mt.txt'];
const DAMAGED = ['hyp-mt.txt', 'hyp-drop.txt', 'hyp-swap.txt', 'hyp-case.txt', 'hyp-nopunct.txt', 'hyp-trunc.txt', 'hyp-short.txt'];

describe('identical text', () => {
  it.each(CORPORA.flatMap((file) => TOKENIZER_NAMES.map((tokenize) => ({ file, tokenize }))))(
    '$file against itself (tokenize $tokenize): BLEU, chrF, chrF++ 100 and TER 0',
    ({ file, tokenize }) => {
      const lines = fixtureLines(file);
      const scores = byMetric(scoreCorpus(lines, [lines], { ...ALL, tokenize }));
      expect(scores.bleu.score).toBeCloseTo(100, 9);
      expect(scores.chrf.score).toBeCloseTo(100, 9);
      expect(scores['chrf++'].score).toBeCloseTo(100, 9);
      expect(scores.ter.score).toBe(0);
    },
  );

  it('scores 100 per sentence too, except empty lines, which sacreBLEU scores 0 (nothing to match)', () => {
    const lines = fixtureLines('ref-a.txt');
    scoreSentences(lines, [lines], ALL).forEach((scores, i) => {
      const { bleu, chrf, ter } = byMetric(scores);
      const expected = lines[i].trim() === '' ? 0 : 100;
      expect(bleu.score).toBeCloseTo(expected, 9);
      expect(chrf.score).toBeCloseTo(expected, 9);
      expect(ter.score).toBe(0);
    });
  });
});

describe('more references', () => {
  it.each(DAMAGED.flatMap((file) => TOKENIZER_NAMES.map((tokenize) => ({ file, tokenize }))))(
    '$file (tokenize $tokenize): a second reference never loses a match, and raises corpus BLEU here',
    ({ file, tokenize }) => {
      const hyps = fixtureLines(file);
      const [a, b] = [fixtureLines('ref-a.txt'), fixtureLines('ref-b.txt')];
      const bleu = (refs: string[][]) => scoreCorpus(hyps, refs, { metrics: ['bleu'], tokenize })[0] as BleuScore;
      for (const single of [bleu([a]), bleu([b])]) {
        const both = bleu([a, b]);
        both.counts.forEach((count, n) => expect(count).toBeGreaterThanOrEqual(single.counts[n]));
        expect(both.score).toBeGreaterThanOrEqual(single.score);
      }
      // The order of the references does not matter.
      expect(bleu([b, a]).score).toBe(bleu([a, b]).score);
    },
  );

  it("can still lower corpus BLEU through the brevity penalty, exactly as sacreBLEU's does", () => {
    // sacreBLEU takes the reference length closest to the hypothesis's; a longer, unrelated
    // second reference raises ref_len above hyp_len. Both numbers come from sacreBLEU.
    const one = readVectorJson<VectorCase>('brevity-1ref.json').bleu[0].corpus;
    const two = readVectorJson<VectorCase>('brevity-2refs.json').bleu[0].corpus;
    expect(two.score).toBeLessThan(one.score);
    const hyps = fixtureLines('bp-hyp.txt');
    const [scoreOne] = scoreCorpus(hyps, [fixtureLines('bp-ref-1.txt')], { metrics: ['bleu'] }) as BleuScore[];
    const [scoreTwo] = scoreCorpus(hyps, [fixtureLines('bp-ref-1.txt'), fixtureLines('bp-ref-2.txt')], { metrics: ['bleu'] }) as BleuScore[];
    expect(scoreTwo.counts).toEqual(scoreOne.counts);
    expect(scoreTwo.refLen).toBeGreaterThan(scoreTwo.sysLen);
    expect(scoreOne.score).toBeCloseTo(one.score, 9);
    expect(scoreTwo.score).toBeCloseTo(two.score, 9);
  });
});

describe('lowercase', () => {
  it.each(DAMAGED.flatMap((file) => TOKENIZER_NAMES.map((tokenize) => ({ file, tokenize }))))(
    '$file (tokenize $tokenize): lowercase: true equals scoring lowercased text',
    ({ file, tokenize }) => {
      const hyps = fixtureLines(file);
      const refs = [fixtureLines('ref-a.txt'), fixtureLines('ref-b.txt')];
      const lower = (lines: string[]) => lines.map((line) => line.toLowerCase());
      const flagged = scoreCorpus(hyps, refs, { ...ALL, tokenize, lowercase: true });
      const lowered = scoreCorpus(lower(hyps), refs.map(lower), { ...ALL, tokenize });
      expect(flagged.map((s) => s.score)).toEqual(lowered.map((s) => s.score));
      expect(flagged.map((s) => s.signature.includes('case:lc'))).toEqual([true, true, true, true]);
    },
  );

  it('leaves TER as it is: case-insensitive already, as in sacreBLEU', () => {
    const hyps = fixtureLines('hyp-case.txt');
    const refs = [fixtureLines('ref-a.txt')];
    const cased = scoreCorpus(hyps, refs, { metrics: ['ter'] })[0];
    expect(scoreCorpus(hyps, refs, { metrics: ['ter'], lowercase: true })[0].score).toBe(cased.score);
    expect(scoreCorpus(hyps.map((l) => l.toUpperCase()), refs, { metrics: ['ter'] })[0].score).toBe(cased.score);
  });
});

describe("sacreBLEU's printing", () => {
  it.each([
    // [value, digits, Python's f"{value:.{digits}f}"]; exact ties round to even, unlike toFixed.
    [6.25, 1, '6.2'],
    [0.0625, 3, '0.062'],
    [2.5, 0, '2'],
    [3.5, 0, '4'],
    [0.125, 2, '0.12'],
    [12.25, 1, '12.2'],
    [62.5, 0, '62'],
    [-2.5, 0, '-2'],
    [0.5, 0, '0'],
    [1.5, 0, '2'],
    [100, 1, '100.0'],
    [0.05, 1, '0.1'],
    [1.005, 2, '1.00'],
    [99.95, 1, '100.0'],
    [1e-7, 3, '0.000'],
  ] as const)('pyFixed(%d, %d) is %s', (value, digits, python) => {
    expect(pyFixed(value, digits)).toBe(python);
  });

  it('aligns several score lines on "=" and leaves one alone', () => {
    expect(alignScoreLines(['BLEU|a = 1.0', 'chrF2|abc = 2.0'])).toEqual(['   BLEU|a = 1.0', 'chrF2|abc = 2.0']);
    expect(alignScoreLines(['x = 1'])).toEqual(['x = 1']);
  });

  it('prints a BLEU line with its precisions, brevity penalty and lengths', () => {
    const [bleu] = scoreCorpus(['the cat sat on the mat'], [['the cat sat on a mat']], { metrics: ['bleu'], version: 'v' });
    expect(scoreLine(bleu)).toBe(
      'BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:v = 53.7 83.3/60.0/50.0/33.3 (BP = 1.000 ratio = 1.000 hyp_len = 6 ref_len = 6)',
    );
  });
});

describe('options and shapes', () => {
  it("defaults to BLEU and chrF, and names fr2en's version and sacreBLEU's in signatures", () => {
    const resolved = resolveScoreOptions();
    expect(resolved.metrics).toEqual(['bleu', 'chrf']);
    expect(resolved.tokenize).toBe('13a');
    expect(resolved.version).toMatch(/^fr2en-\d+\.\d+\.\d+.*\+sacrebleu-2\.6\.0$/);
  });

  it('returns metrics in one fixed order, each once', () => {
    const scores = scoreCorpus(['a b'], [['a b']], { metrics: ['ter', 'bleu', 'ter', 'chrf++'] });
    expect(scores.map((s) => s.name)).toEqual(['BLEU', 'chrF2++', 'TER']);
  });

  it.each([
    [{ metrics: ['meteor'] as never }, /metrics among bleu, chrf, chrf\+\+, ter, got meteor/],
    [{ metrics: [] }, /at least one metric/],
    [{ tokenize: 'zh' as never }, /tokenize to be one of 13a, intl, none, char, got zh/],
    [{ smooth: 'magic' as never }, /smooth to be one of/],
    [{ smoothValue: -1 }, /smoothValue to be a finite number >= 0, got -1/],
  ])('rejects %j', (options, message) => {
    expect(() => resolveScoreOptions(options)).toThrow(UsageError);
    expect(() => resolveScoreOptions(options)).toThrow(message);
  });

  it('rejects references of another length, and no references at all', () => {
    expect(() => scoreCorpus(['a', 'b'], [['a']])).toThrow(/reference stream 1 to have 2 segments like the hypotheses, got 1/);
    expect(() => scoreCorpus(['a'], [])).toThrow(/at least one reference stream/);
  });

  it('scores an empty corpus 0 without failing', () => {
    expect(scoreCorpus([], [[]], ALL).map((s) => s.score)).toEqual([0, 0, 0, 0]);
  });
});
