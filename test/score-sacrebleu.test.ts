/**
 * fr2en's metrics against sacreBLEU 2.6.0 itself: every corpus and sentence score recorded by
 * scripts/sacrebleu-vectors.py (news sentences and damaged copies, two references, empty lines,
 * every tokenizer, lowercased, TER shift stress cases, BLEU's smoothing methods) within 1e-4, with
 * BLEU's counts, totals and lengths exactly equal and the signatures identical but for the version.
 */
import { describe, expect, it } from 'vitest';
import { scoreCorpus, scoreSentences, type BleuScore, type MetricScore, type TerScore } from '../src/score/index.js';
import { fixtureLines, TOLERANCE, vectorCases, withVersion, type BleuRecord } from './helpers/sacrebleu-vectors.js';

const VERSION = 'fr2en-test';
const cases = vectorCases();

/** Scores further than TOLERANCE from sacreBLEU's, as readable lines (empty when all agree). */
function farFrom(label: string, actual: readonly number[], expected: readonly number[]): string[] {
  expect(actual).toHaveLength(expected.length);
  return expected.flatMap((want, i) => (Math.abs(actual[i] - want) <= TOLERANCE ? [] : [`${label} #${i + 1}: ${actual[i]} != ${want}`]));
}

function bleuParts(score: MetricScore): Pick<BleuRecord, 'counts' | 'totals' | 'sys_len' | 'ref_len'> {
  const bleu = score as BleuScore;
  return { counts: bleu.counts, totals: bleu.totals, sys_len: bleu.sysLen, ref_len: bleu.refLen };
}

function only(scores: MetricScore[][]): MetricScore[] {
  return scores.map(([score]) => score);
}

it('has the vector files', () => {
  expect(cases.map((c) => c.name)).toEqual(
    expect.arrayContaining(['case', 'drop', 'identical', 'mt-1ref', 'mt-2refs', 'nopunct', 'short', 'swap', 'ter-shifts', 'tokenizers', 'trunc-2refs']),
  );
});

describe.each(cases)('$name ($hyp against $refs)', (vector) => {
  const hyps = fixtureLines(vector.hyp);
  const refs = vector.refs.map(fixtureLines);

  it.each(vector.bleu)('BLEU, tokenize $tokenize, lowercase $lowercase: corpus and every sentence', (run) => {
    const options = { metrics: ['bleu'] as const, tokenize: run.tokenize, lowercase: run.lowercase, version: VERSION };
    const [corpus] = scoreCorpus(hyps, refs, options) as BleuScore[];
    expect(Math.abs(corpus.score - run.corpus.score)).toBeLessThanOrEqual(TOLERANCE);
    expect(bleuParts(corpus)).toEqual({ counts: run.corpus.counts, totals: run.corpus.totals, sys_len: run.corpus.sys_len, ref_len: run.corpus.ref_len });
    expect(farFrom('precision', corpus.precisions, run.corpus.precisions!)).toEqual([]);
    expect(Math.abs(corpus.bp - run.corpus.bp!)).toBeLessThanOrEqual(TOLERANCE);
    expect(corpus.signature).toBe(withVersion(run.corpus.signature!, VERSION));

    const sentences = only(scoreSentences(hyps, refs, options));
    expect(farFrom('sentence', sentences.map((s) => s.score), run.sentences.map((s) => s.score))).toEqual([]);
    expect(sentences.map(bleuParts)).toEqual(run.sentences.map(({ counts, totals, sys_len, ref_len }) => ({ counts, totals, sys_len, ref_len })));
    expect(sentences[0].signature).toBe(withVersion(run.sentence_signature, VERSION));
  });

  it.each([...vector.chrf.map((run) => ({ metric: 'chrf' as const, run })), ...vector['chrf++'].map((run) => ({ metric: 'chrf++' as const, run }))])(
    '$metric, lowercase $run.lowercase: corpus and every sentence',
    ({ metric, run }) => {
      const options = { metrics: [metric], lowercase: run.lowercase, version: VERSION };
      const [corpus] = scoreCorpus(hyps, refs, options);
      expect(Math.abs(corpus.score - run.corpus.score)).toBeLessThanOrEqual(TOLERANCE);
      expect(corpus.name).toBe(run.corpus.name);
      expect(corpus.signature).toBe(withVersion(run.corpus.signature, VERSION));
      expect(farFrom('sentence', only(scoreSentences(hyps, refs, options)).map((s) => s.score), run.sentences)).toEqual([]);
    },
  );

  it('TER: corpus (edits, reference length) and every sentence', () => {
    const [run] = vector.ter;
    const [corpus] = scoreCorpus(hyps, refs, { metrics: ['ter'], version: VERSION }) as TerScore[];
    expect(Math.abs(corpus.score - run.corpus.score)).toBeLessThanOrEqual(TOLERANCE);
    expect(corpus.numEdits).toBe(run.corpus.num_edits);
    expect(Math.abs(corpus.refLength - run.corpus.ref_length)).toBeLessThanOrEqual(TOLERANCE);
    expect(corpus.signature).toBe(withVersion(run.corpus.signature, VERSION));
    expect(farFrom('sentence', only(scoreSentences(hyps, refs, { metrics: ['ter'] })).map((s) => s.score), run.sentences)).toEqual([]);
  });

  it.runIf(vector.smoothing !== undefined).each(vector.smoothing ?? [])('BLEU smoothed with $smooth ($value)', (run) => {
    const options = { metrics: ['bleu'] as const, smooth: run.smooth, smoothValue: run.value ?? undefined, version: VERSION };
    const [corpus] = scoreCorpus(hyps, refs, options) as BleuScore[];
    expect(Math.abs(corpus.score - run.corpus.score)).toBeLessThanOrEqual(TOLERANCE);
    expect(bleuParts(corpus)).toEqual({ counts: run.corpus.counts, totals: run.corpus.totals, sys_len: run.corpus.sys_len, ref_len: run.corpus.ref_len });
    expect(corpus.signature).toBe(withVersion(run.corpus.signature!, VERSION));
    const sentences = only(scoreSentences(hyps, refs, options));
    expect(farFrom('sentence', sentences.map((s) => s.score), run.sentences.map((s) => s.score))).toEqual([]);
    expect(sentences.map(bleuParts)).toEqual(run.sentences.map(({ counts, totals, sys_len, ref_len }) => ({ counts, totals, sys_len, ref_len })));
  });
});
