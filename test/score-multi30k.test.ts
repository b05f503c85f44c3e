/**
 * Real sentences: Multi30K test 2016 (../shared/data/parallel, 1,000 Flickr captions with human
 * English), scored two ways sacreBLEU 2.6.0 also scored them (test/fixtures/sacrebleu/multi30k.json):
 * the French side as if it were a translation, and the English lowercased with its periods removed.
 * The corpus is not copied into the repository; without ../shared the test is skipped.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPairs } from '../src/read/pairs.js';
import { scoreCorpus, scoreSentences, type BleuScore } from '../src/score/index.js';
import { readVectorJson, TOLERANCE, type BleuRecord } from './helpers/sacrebleu-vectors.js';

const parallel = fileURLToPath(new URL('../../shared/data/parallel/', import.meta.url));
const present = existsSync(`${parallel}multi30k-test_2016_flickr.en`);
if (!present) console.warn(`score-multi30k skipped: ${parallel} not found (the data lives in ../shared).`);

interface Multi30kCase {
  corpus: { bleu: BleuRecord; chrf: number; 'chrf++': number; ter: number };
  sentences: { bleu: number[]; chrf: number[] };
}

type CaseName = 'french-as-hypothesis' | 'lowercased-no-periods';

describe.skipIf(!present)('Multi30K test 2016 against sacreBLEU', () => {
  const vectors = readVectorJson<Record<CaseName, Multi30kCase>>('multi30k.json');
  const targets = async (file: string) => (await readPairs(`${parallel}${file}`)).map((record) => record.target);
  let english: string[] = [];
  let hypotheses = {} as Record<CaseName, string[]>;
  beforeAll(async () => {
    english = await targets('multi30k-test_2016_flickr.en');
    hypotheses = {
      'french-as-hypothesis': await targets('multi30k-test_2016_flickr.fr'),
      // The damage the vectors script applied, replicated.
      'lowercased-no-periods': english.map((line) => line.toLowerCase().replaceAll('.', '')),
    };
  });

  it.each(['french-as-hypothesis', 'lowercased-no-periods'] as const)('%s: corpus BLEU, chrF, chrF++ and TER; sentence BLEU and chrF', (name) => {
    const expected = vectors[name];
    const hyps = hypotheses[name];
    expect(hyps).toHaveLength(1000);
    const [bleu, chrf, chrfPlus, ter] = scoreCorpus(hyps, [english], { metrics: ['bleu', 'chrf', 'chrf++', 'ter'] });
    expect(Math.abs(bleu.score - expected.corpus.bleu.score)).toBeLessThanOrEqual(TOLERANCE);
    expect((bleu as BleuScore).counts).toEqual(expected.corpus.bleu.counts);
    expect(Math.abs(chrf.score - expected.corpus.chrf)).toBeLessThanOrEqual(TOLERANCE);
    expect(Math.abs(chrfPlus.score - expected.corpus['chrf++'])).toBeLessThanOrEqual(TOLERANCE);
    expect(Math.abs(ter.score - expected.corpus.ter)).toBeLessThanOrEqual(TOLERANCE);

    const sentences = scoreSentences(hyps, [english], { metrics: ['bleu', 'chrf'] });
    const off = sentences.flatMap(([b, c], i) =>
      Math.abs(b.score - expected.sentences.bleu[i]) <= TOLERANCE && Math.abs(c.score - expected.sentences.chrf[i]) <= TOLERANCE ? [] : [i + 1],
    );
    expect(off).toEqual([]);
  });
});
