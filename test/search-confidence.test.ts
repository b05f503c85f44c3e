/**
 * Confidence is exact: the mean log-probability of the tokens the decoder chose, as an independent
 * teacher-forced pass over those tokens computes it (the original graph, no cache, log-softmax of
 * each position), for greedy search and for 4 beams. And a model that cannot end a sentence gets
 * `truncated` on every pair.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AutoModelForSeq2SeqLM, AutoTokenizer, Tensor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DECODE } from '../src/config.js';
import { prepareModel } from '../src/models/prepare.js';
import { decodeBatch, tokenize, type TranslationModel, type TranslationTokenizer } from '../src/translate/search/index.js';
import { sessionsOfModel } from '../src/translate/search/transformers-model.js';
import { searchConfig } from '../src/translate/search-settings.js';
import { Translator } from '../src/translator.js';
import { generateModel } from '../tools/modelgen/index.js';
import { TINY_MODEL_DIR } from './helpers/models.js';

const SENTENCES = [
  'Le conseil municipal a voté le budget.',
  'Une phrase courte.',
  'Les élus ont débattu pendant quatre heures avant de se séparer sans accord sur les transports.',
  'Il pleut.',
];

type Model = TranslationModel & { forward(inputs: Record<string, Tensor>): Promise<{ logits: Tensor }>; dispose(): Promise<unknown> };

/** Sum of log_softmax(logits)[token] over the emitted tokens, one full decoder pass without cache. */
async function teacherForced(model: Model, tokenizer: TranslationTokenizer, source: string, tokens: readonly number[], start: number): Promise<number> {
  const enc = tokenizer([source], { padding: true, truncation: false });
  const decoderIds = [start, ...tokens.slice(0, -1)];
  const { logits } = await model.forward({
    input_ids: enc.input_ids as unknown as Tensor,
    attention_mask: enc.attention_mask as unknown as Tensor,
    decoder_input_ids: new Tensor('int64', BigInt64Array.from(decoderIds, BigInt), [1, decoderIds.length]),
  });
  const vocab = logits.dims[2];
  const data = logits.data as Float32Array;
  let sum = 0;
  tokens.forEach((token, position) => {
    const row = Array.from(data.subarray(position * vocab, (position + 1) * vocab));
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
    sum += row[token] - lse;
  });
  return sum;
}

describe('confidence', () => {
  let original: Model;
  let prepared: Model;
  let tokenizer: TranslationTokenizer;

  beforeAll(async () => {
    const folder = (await prepareModel(TINY_MODEL_DIR, 'fp32')).folder;
    [original, prepared] = (await Promise.all([
      AutoModelForSeq2SeqLM.from_pretrained(TINY_MODEL_DIR, { dtype: 'fp32', local_files_only: true }),
      AutoModelForSeq2SeqLM.from_pretrained(folder, { dtype: 'fp32', local_files_only: true }),
    ])) as unknown as [Model, Model];
    tokenizer = (await AutoTokenizer.from_pretrained(TINY_MODEL_DIR, { local_files_only: true })) as unknown as TranslationTokenizer;
  });
  afterAll(async () => {
    await Promise.all([original?.dispose(), prepared?.dispose()]);
  });

  for (const beams of [1, 4]) {
    it(`equals a teacher-forced pass over the chosen tokens, to 1e-4 (beams ${beams})`, async () => {
      const decode = { ...DEFAULT_DECODE, beams };
      const config = searchConfig(prepared as unknown as Parameters<typeof searchConfig>[0], decode);
      const results = await decodeBatch(sessionsOfModel(prepared), tokenize(tokenizer, SENTENCES), config);
      const start = config.decoderStartTokenId;
      for (const [i, result] of results.entries()) {
        expect(result.tokens.length).toBeGreaterThan(0);
        const expected = await teacherForced(original, tokenizer, SENTENCES[i], result.tokens, start);
        expect(Math.abs(result.modelLogprob / result.tokens.length - expected / result.tokens.length)).toBeLessThan(1e-4);
      }
      // The same figure reaches the aligned pairs: the mean over the sentence's tokens.
      const translator = await Translator.create({ model: TINY_MODEL_DIR, dtype: 'fp32', workers: 1, batchSize: 4, decode: { beams } });
      try {
        const doc = await translator.translateText(SENTENCES.join('\n\n'));
        doc.paragraphs.forEach((paragraph, i) => {
          const [pair] = paragraph.pairs;
          expect(pair.confidence).toBeCloseTo(results[i].modelLogprob / results[i].tokens.length, 5);
        });
      } finally {
        await translator.close();
      }
    });
  }

  it('flags every pair `truncated` when the model can never choose end-of-sentence', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'fr2en-noeos-')), 'model');
    await generateModel({ preset: 'tiny', outDir: dir, dtypes: ['q8'], seed: 3, eosUnreachable: true });
    const translator = await Translator.create({ model: dir, workers: 1 });
    try {
      const doc = await translator.translateText(SENTENCES.join(' '));
      const pairs = doc.paragraphs.flatMap((p) => p.pairs);
      expect(pairs.length).toBe(SENTENCES.length);
      for (const pair of pairs) expect(pair.qa.map((finding) => finding.check)).toContain('truncated');
    } finally {
      await translator.close();
    }
  });
});
