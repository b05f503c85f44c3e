/**
 * The prepared model (src/models/prepare.ts) that the workers load: the decoder picks tokens in
 * the graph and returns only the new cache positions, weights sit in data files. It must give the
 * token ids of the original graph, and its folder must stay usable when the model folder moves.
 */
import { cp, mkdir, mkdtemp, readdir, readlink, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DECODE } from '../src/config.js';
import type { ModelDtype } from '../src/models/files.js';
import { prepareModel } from '../src/models/prepare.js';
import { loadModelTokenizer } from '../src/translate/model-tokenizer.js';
import { decodeBatch } from '../src/translate/search/decode-batch.js';
import { searchConfig } from '../src/translate/search-settings.js';
import { openMarianSessions, type LoadedModel } from '../src/translate/sessions.js';
import type { DecodeSettings } from '../src/translate/protocol.js';
import { TINY_BMM_MODEL_DIR, TINY_MODEL_DIR } from './helpers/models.js';

const TEXTS = [
  'Le conseil municipal a voté le budget.',
  'Une phrase courte.',
  'Les élus ont débattu pendant quatre heures avant de se séparer sans accord sur les transports.',
  'Il pleut.',
  "L'économie française a progressé de 0,3 % au troisième trimestre, selon l'Insee.",
  'Oui.',
];

const SETTINGS: [string, DecodeSettings][] = [
  ['defaults (greedy, 4-gram guard)', DEFAULT_DECODE],
  ['greedy, no guard', { ...DEFAULT_DECODE, noRepeatNgramSize: 0 }],
  ['4 beams', { ...DEFAULT_DECODE, beams: 4 }],
  ['repetition penalty (whole rows)', { ...DEFAULT_DECODE, repetitionPenalty: 1.3 }],
];

// One tokenized batch for every decoder below (the tokenizer is the main process's).
const input = loadModelTokenizer(TINY_MODEL_DIR).then((tokenizer) => tokenizer.tokenize(TEXTS));

async function decodeWith(model: LoadedModel, decode: DecodeSettings) {
  return decodeBatch(model, await input, searchConfig(model, decode));
}

// The generator's own attention layout, and Optimum's (3-D products), which the real opus-mt export has.
const MODELS = [
  ['', TINY_MODEL_DIR],
  [', Optimum attention layout', TINY_BMM_MODEL_DIR],
] as const;

for (const [layout, modelDir] of MODELS) for (const dtype of ['fp32', 'q8'] as ModelDtype[]) for (const beams of [false, true]) {
  describe(`prepared ${dtype} decoder${beams ? ' for beams' : ''} against the original graph${layout}`, () => {
    let original: LoadedModel;
    let prepared: LoadedModel;
    beforeAll(async () => {
      const { folder } = await prepareModel(modelDir, dtype, { beams });
      expect(folder).not.toBe(modelDir);
      [original, prepared] = await Promise.all([openMarianSessions(modelDir, dtype, 1), openMarianSessions(folder, dtype, 1)]);
    });
    afterAll(async () => {
      await Promise.all([original?.release(), prepared?.release()]);
    });

    it('picks tokens in the graph and returns only the new cache positions', () => {
      expect(prepared.decoder.outputNames).toEqual(expect.arrayContaining(['top_ids', 'top_logprobs', 'ban_logprobs']));
      expect(prepared.decoder.outputNames.some((name) => name.startsWith('present_new.'))).toBe(true);
      expect(original.decoder.outputNames).not.toContain('top_ids');
    });

    it(beams ? 'takes the cross-attention cache once per sentence, however many beams' : 'takes the cross-attention cache as the original graph does', () => {
      const firstDim = (model: LoadedModel) => model.decoder.inputMetadata?.find((m) => m.name === 'past_key_values.0.encoder.key')?.shape?.[0];
      expect(firstDim(prepared)).toBe(beams ? 'fr2en_sentences' : 'batch_size');
      expect(firstDim(original)).toBe('batch_size');
    });

    for (const [name, decode] of SETTINGS) {
      it(`gives the same token ids and log-probabilities: ${name}`, async () => {
        const [theirs, ours] = await Promise.all([decodeWith(original, decode), decodeWith(prepared, decode)]);
        expect(ours.map((r) => r.tokens)).toEqual(theirs.map((r) => r.tokens));
        ours.forEach((result, i) => expect(result.modelLogprob).toBeCloseTo(theirs[i].modelLogprob, 3));
        expect(ours.some((r) => r.tokens.length > 1)).toBe(true);
      });
    }
  });
}

describe('prepared folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fr2en-prepare-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps weights in data files and links the other files relatively, so a moved model still loads', async () => {
    const first = path.join(dir, 'first');
    await cp(TINY_MODEL_DIR, first, { recursive: true, filter: (source) => !source.includes('.fr2en') });
    const { folder } = await prepareModel(first, 'q8');
    expect(folder.startsWith(path.join(first, '.fr2en'))).toBe(true);
    const onnx = await readdir(path.join(folder, 'onnx'));
    expect(onnx).toEqual(expect.arrayContaining(['encoder_model_quantized.onnx.data', 'decoder_model_merged_quantized.onnx.data']));
    expect(path.isAbsolute(await readlink(path.join(folder, 'config.json')))).toBe(false);

    const moved = path.join(dir, 'moved');
    await cp(first, moved, { recursive: true, verbatimSymlinks: true });
    await rm(first, { recursive: true });
    const again = await prepareModel(moved, 'q8');
    expect(again.folder).toBe(folder.replace(first, moved));
    const model = await openMarianSessions(again.folder, 'q8', 1);
    try {
      expect((await decodeWith(model, DEFAULT_DECODE)).length).toBe(TEXTS.length);
    } finally {
      await model.release();
    }
  });

  it("removes this version's folders for an older model file, and leaves other fr2en versions' folders", async () => {
    const model = path.join(dir, 'versions');
    await cp(TINY_MODEL_DIR, model, { recursive: true, filter: (source) => !source.includes('.fr2en') });
    const parent = path.join(model, '.fr2en', 'prepared');
    const { folder } = await prepareModel(model, 'fp32');
    const name = path.basename(folder);
    expect(name).toMatch(/^fp32-v\d+-[0-9a-f]{16}$/);
    const sameVersion = `${name.slice(0, name.lastIndexOf('-'))}-0000000000000000`;
    const otherVersion = 'fp32-v1-0000000000000000';
    await Promise.all([sameVersion, otherVersion].map((old) => mkdir(path.join(parent, old), { recursive: true })));
    // Rebuilt (a file is gone): the build cleans up after itself.
    await unlink(path.join(folder, 'config.json'));
    await prepareModel(model, 'fp32');
    expect((await readdir(parent)).sort()).toEqual([otherVersion, name].sort());
  });

  it('rebuilds a prepared folder whose links no longer resolve', async () => {
    const model = path.join(dir, 'broken');
    await cp(TINY_MODEL_DIR, model, { recursive: true, filter: (source) => !source.includes('.fr2en') });
    const { folder } = await prepareModel(model, 'fp32');
    await unlink(path.join(folder, 'tokenizer.json'));
    await unlink(path.join(folder, 'onnx', 'decoder_model_merged.onnx.data'));
    const again = await prepareModel(model, 'fp32');
    expect(again.folder).toBe(folder);
    expect(await readdir(folder)).toContain('tokenizer.json');
    const sessions = await openMarianSessions(again.folder, 'fp32', 1);
    await sessions.release();
  });
});
