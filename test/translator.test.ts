/**
 * The pipeline end to end on the tiny generated model: real worker threads, real ONNX Runtime.
 * The model's text is meaningless, so these tests check structure and invariants only.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AutoModelForSeq2SeqLM, AutoTokenizer } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlignedDocument } from '../src/document.js';
import { DEFAULT_DECODE } from '../src/config.js';
import { translateBatch } from '../src/translate/search/index.js';
import { searchConfig } from '../src/translate/search-settings.js';
import type { SentenceMemory } from '../src/translate/scheduler.js';
import { createTranslator, Translator } from '../src/translator.js';
import { TINY_MODEL_DIR } from './helpers/models.js';

// A fixed token limit: random weights rarely emit </s>, so outputs run to the limit, and the limit
// must not depend on which sentences share a batch for outputs to be comparable.
// fp32 throughout: q8's dynamic quantization scales activations per tensor, over the whole batch,
// so in q8 a sentence's output may change (slightly) with its batch neighbours.
const decode = { maxNewTokensFactor: 0, maxNewTokensMargin: 12 };

const ARTICLE = [
  ' date 2023-03 Blinken a fait part à M. Lavrov de l\'engagement des États-Unis',
  'M. Blinken a rencontré M. Lavrov pendant moins de 10 minutes. Il voulait « détromper les Russes ».',
  'AP Photo/Jacquelyn Martin',
  'Le traité est dans l\'intérêt de nos deux pays. Les alliés européens soutiennent l\'Ukraine ; la Russie refuse.',
  'Une phrase courte.',
].join('\n\n');

function targets(doc: AlignedDocument): string[][] {
  return doc.paragraphs.map((p) => p.pairs.map((pair) => pair.target));
}

describe('Translator on the tiny generated model', () => {
  let pooled: Translator;
  let single: Translator;

  beforeAll(async () => {
    [pooled, single] = await Promise.all([
      Translator.create({ model: TINY_MODEL_DIR, dtype: 'fp32', workers: 2, threads: 1, batchSize: 8, decode }),
      Translator.create({ model: TINY_MODEL_DIR, dtype: 'fp32', workers: 1, threads: 1, batchSize: 1, decode }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([pooled?.close(), single?.close()]);
  });

  it('gives the same output from two batched workers as from one worker, one sentence at a time', async () => {
    const [a, b] = await Promise.all([pooled.translateText(ARTICLE), single.translateText(ARTICLE)]);
    expect(targets(a)).toEqual(targets(b));
    expect(a.paragraphs.length).toBe(5);
    expect(a.paragraphs.flatMap((p) => p.pairs).every((pair) => pair.target.length > 0 && !pair.flags.includes('failed'))).toBe(true);
  });

  it('matches the same decoding run sentence by sentence on the main thread', async () => {
    const doc = await pooled.translateText(ARTICLE);
    const model = await AutoModelForSeq2SeqLM.from_pretrained(TINY_MODEL_DIR, { dtype: 'fp32', local_files_only: true });
    const tokenizer = await AutoTokenizer.from_pretrained(TINY_MODEL_DIR, { local_files_only: true });
    try {
      for (const pair of doc.paragraphs.flatMap((p) => p.pairs).filter((pair) => !pair.flags.includes('verbatim'))) {
        const [sentence] = await translateBatch(model, tokenizer, [pair.source], searchConfig(model, { ...DEFAULT_DECODE, ...decode }));
        expect(pair.target).toBe(sentence.text.trim());
      }
    } finally {
      await model.dispose();
    }
  });

  it('keeps the header date, the credit line verbatim and every source sentence, with offsets', async () => {
    const doc = await pooled.translateText(ARTICLE);
    const [header, , credit] = doc.paragraphs;
    expect(header.kind).toBe('header');
    expect(header.pairs[0]).toMatchObject({ source: 'date 2023-03', target: 'date 2023-03', flags: ['verbatim'] });
    expect(header.target.startsWith('date 2023-03 ')).toBe(true);
    expect(credit.pairs.map((p) => [p.target, p.flags])).toEqual([['AP Photo/Jacquelyn Martin', ['verbatim']]]);
    for (const paragraph of doc.paragraphs) {
      for (const pair of paragraph.pairs) expect(paragraph.source.slice(pair.start, pair.end)).toBe(pair.source);
      expect(ARTICLE.replace(/\r/g, '').slice(paragraph.start).startsWith(paragraph.source)).toBe(true);
    }
  });

  it('keeps paragraph count and order on a 200-paragraph input', async () => {
    const text = Array.from({ length: 200 }, (_, i) => `Paragraphe numéro ${i} du texte. Il compte ${i % 7} phrases de plus.`).join('\n\n');
    const doc = await pooled.translateText(text);
    expect(doc.paragraphs.map((p) => p.index)).toEqual([...Array(200).keys()]);
    expect(doc.paragraphs.map((p) => p.source)).toEqual(text.split('\n\n'));
    expect(doc.paragraphs.every((p) => p.pairs.length === 2 && p.pairs.every((pair) => pair.target !== ''))).toBe(true);
  });

  it('translates every piece of a 3,000-token paragraph and cuts nothing', async () => {
    const clause = 'les élus du conseil régional ont longuement débattu du budget consacré aux transports scolaires';
    const sentence = `${Array.from({ length: 120 }, (_, i) => `${clause} numéro ${i}`).join(', ')}.`;
    const sent: string[] = [];
    const spy: SentenceMemory = { getMany: () => new Map(), putMany: (entries) => entries.forEach(([source]) => sent.push(source)) };
    const doc = await pooled.translateText(sentence, 'long.txt', { memory: spy });
    const [pair] = doc.paragraphs[0].pairs;
    expect(doc.paragraphs[0].pairs).toHaveLength(1);
    expect(pair.flags).toEqual(['split']);
    expect(sent.length).toBeGreaterThanOrEqual(15);
    // The pieces sent to the model rebuild the sentence exactly (only the spaces at cuts differ).
    expect(sent.slice().sort((a, b) => sentence.indexOf(a) - sentence.indexOf(b)).join(' ')).toBe(sentence);
    expect(pair.target.split(' ').length).toBeGreaterThanOrEqual(sent.length * 5);
  });

  it('replaces a worker killed mid-batch (SIGKILL) and still translates every paragraph', async () => {
    const text = Array.from({ length: 40 }, (_, i) => `Le paragraphe ${i} parle de la réunion. Il y a ${i} participants.`).join('\n\n');
    const reference = await single.translateText(text);
    const crashOnceFile = path.join(mkdtempSync(path.join(tmpdir(), 'fr2en-crash-')), 'taken');
    const crashy = await createTranslator({ model: TINY_MODEL_DIR, dtype: 'fp32', workers: 2, threads: 1, batchSize: 4, decode }, { faults: { crashOnceFile } });
    try {
      const doc = await crashy.translateText(text);
      expect(existsSync(crashOnceFile)).toBe(true); // a worker did die with a batch in hand
      expect(doc.paragraphs).toHaveLength(40);
      expect(doc.paragraphs.flatMap((p) => p.pairs).some((pair) => pair.flags.includes('failed'))).toBe(false);
      expect(targets(doc)).toEqual(targets(reference));
    } finally {
      await crashy.close();
    }
  });

  it('abandons a batch stuck past its timeout without taking the process down, and goes on', async () => {
    const text = Array.from({ length: 12 }, (_, i) => `Phrase numéro ${i} du texte.`).join('\n\n');
    const reference = await single.translateText(text);
    const hangOnceFile = path.join(mkdtempSync(path.join(tmpdir(), 'fr2en-hang-')), 'taken');
    const stuck = await createTranslator({ model: TINY_MODEL_DIR, dtype: 'fp32', workers: 1, threads: 1, batchSize: 4, decode, taskTimeoutMs: 1500 }, { faults: { hangOnceFile } });
    try {
      const doc = await stuck.translateText(text);
      expect(existsSync(hangOnceFile)).toBe(true); // one batch did hang, and was retried on a new worker
      expect(targets(doc)).toEqual(targets(reference));
    } finally {
      await stuck.close();
    }
  });

  it('runs concurrent calls on one Translator, and several Translators at once, with sequential results', async () => {
    const texts = [0, 1, 2, 3].map((k) => Array.from({ length: 10 }, (_, i) => `Texte ${k}, phrase ${i}. Elle parle du budget ${i * k}.`).join('\n\n'));
    const sequential: string[][][] = [];
    for (const text of texts) sequential.push(targets(await single.translateText(text)));
    // Concurrent calls on one pool; their batches interleave in the workers.
    expect((await Promise.all(texts.map((text) => pooled.translateText(text)))).map(targets)).toEqual(sequential);
    // Two Translators created at once (each starts its own worker processes).
    const [a, b] = await Promise.all([0, 1].map(() => Translator.create({ model: TINY_MODEL_DIR, dtype: 'fp32', workers: 1, threads: 1, batchSize: 3, decode })));
    try {
      const results = await Promise.all([a.translateText(texts[0]), b.translateText(texts[1]), a.translateText(texts[2]), b.translateText(texts[3])]);
      expect(results.map(targets)).toEqual(sequential);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it.skipIf(!existsSync('../shared/seed/000_67085f7ddb66eaad.txt'))('translates the seed article keeping its header date', async () => {
    const seed = readFileSync('../shared/seed/000_67085f7ddb66eaad.txt', 'utf8');
    const doc = await pooled.translateText(seed, 'seed.txt');
    expect(doc.paragraphs[0].target.startsWith('date 2023-03 ')).toBe(true);
    expect(doc.paragraphs.length).toBe(seed.trim().split(/\n\s*\n/).length);
    expect(doc.paragraphs[2].pairs[0].source.startsWith('M. Blinken a rencontré M. Lavrov pendant moins de 10 minutes')).toBe(true);
  });
});
