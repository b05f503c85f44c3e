/**
 * The generated models through the real loading path: transformers.js, offline, on
 * onnxruntime-node. The graph math itself is checked in modelgen-graph.test.ts.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  AutoModelForSeq2SeqLM,
  AutoTokenizer,
  env,
  pipeline,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
} from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../tools/modelgen/cli.js';
import { generateModel, resolveDims } from '../tools/modelgen/index.js';
import { tokenizerConfig, tokenizerJson } from '../tools/modelgen/tokenizer.js';
import { GENERATED_MODELS_DIR, MICRO_MODEL_DIR, TINY_MODEL_DIR } from './helpers/models.js';

env.allowRemoteModels = false;
env.localModelPath = GENERATED_MODELS_DIR;

const SEED_TEXT = '/work/shared/seed/000_67085f7ddb66eaad.txt';

/** Sentences of different lengths, so a batch is padded. */
const SENTENCES = [
  "Le secrétaire d'État américain a rencontré brièvement jeudi à New Delhi le ministre russe des Affaires étrangères.",
  'Bonjour.',
  "« Nous gardons toujours l'espoir », a déclaré le fonctionnaire.",
  'Il a 10 minutes.',
];

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'fr2en-modelgen-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const sha256 = async (file: string): Promise<string> => createHash('sha256').update(await readFile(file)).digest('hex');

/** Token ids of each output row, stopping at the first pad after the start token. */
const rowsOf = (output: Tensor, pad: number): number[][] =>
  (output.tolist() as bigint[][]).map((ids) => {
    const row = ids.map(Number);
    const end = row.indexOf(pad, 1);
    return end === -1 ? row : row.slice(0, end);
  });

describe('tiny model through transformers.js', () => {
  it.each(['fp32', 'q8'] as const)('loads offline and translates French end to end (%s)', async (dtype) => {
    const translator = await pipeline('translation', 'tiny', { dtype });
    try {
      const first = (await translator(SENTENCES.slice(0, 2))) as { translation_text: string }[];
      expect(first).toHaveLength(2);
      for (const { translation_text } of first) expect(translation_text.trim().length).toBeGreaterThan(0);
      // Deterministic: the same input gives the same (meaningless) text.
      expect(await translator(SENTENCES.slice(0, 2))).toEqual(first);
    } finally {
      await translator.dispose();
    }
  });

  it('gives the same output batched as one sentence at a time', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained('tiny');
    const model = await AutoModelForSeq2SeqLM.from_pretrained('tiny', { dtype: 'fp32' });
    try {
      const pad = resolveDims('tiny').vocabSize - 1;
      const options = { max_new_tokens: 12 };
      const batch = tokenizer(SENTENCES, { padding: true });
      expect(new Set((batch.attention_mask as Tensor).sum(1).tolist()).size).toBeGreaterThan(1); // padded
      const batched = rowsOf((await model.generate({ ...batch, ...options })) as Tensor, pad);
      const single: number[][] = [];
      for (const sentence of SENTENCES) {
        single.push(rowsOf((await model.generate({ ...tokenizer(sentence), ...options })) as Tensor, pad)[0]);
      }
      expect(batched).toEqual(single);
      // Guard: the outputs depend on the input, so a row mix-up would show.
      expect(new Set(single.map((ids) => ids.join(' '))).size).toBeGreaterThan(1);
    } finally {
      await model.dispose();
    }
  });

  it('regenerates byte-identical files from the same seed, different weights from another', async () => {
    const again = await generateModel({ preset: 'tiny', outDir: path.join(scratch, 'tiny'), dtypes: ['fp32', 'q8'], seed: 0 });
    expect(again.files).toContain('onnx/decoder_model_merged_quantized.onnx');
    for (const file of again.files) {
      expect(await sha256(path.join(again.outDir, file)), file).toBe(await sha256(path.join(TINY_MODEL_DIR, file)));
    }
    const other = await generateModel({ preset: 'tiny', outDir: path.join(scratch, 'tiny-seed-1'), seed: 1 });
    const encoder = 'onnx/encoder_model.onnx';
    expect(await sha256(path.join(other.outDir, encoder))).not.toBe(await sha256(path.join(TINY_MODEL_DIR, encoder)));
  });

  it('writes opus-mt-fr-en token ids: </s> 0, <unk> 1, <pad> last, as decoder start', async () => {
    const config = JSON.parse(await readFile(path.join(TINY_MODEL_DIR, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      model_type: 'marian',
      is_encoder_decoder: true,
      vocab_size: 2000,
      eos_token_id: 0,
      decoder_start_token_id: 1999,
      pad_token_id: 1999,
      bad_words_ids: [[1999]],
    });
    const tokenizer = await AutoTokenizer.from_pretrained('tiny');
    expect(tokenizer.convert_tokens_to_ids(['</s>', '<unk>', '<pad>'])).toEqual([0, 1, 1999]);
  });

  it('makes EOS unreachable on request', async () => {
    // The micro preset pushes towards EOS (eosBias 1.5) and stops early on some inputs; with
    // eosUnreachable, it never does.
    const lengths = async (dir: string): Promise<number[]> => {
      const tokenizer = await AutoTokenizer.from_pretrained(dir);
      const model = await AutoModelForSeq2SeqLM.from_pretrained(dir, { dtype: 'fp32' });
      try {
        const result: number[] = [];
        for (const input of ['e', 'eats', 'tea', 'a sea', 'set', 'tats', 'sat']) {
          const out = (await model.generate({ ...tokenizer(input), max_new_tokens: 12 })) as Tensor;
          result.push(out.dims[1] - 1);
        }
        return result;
      } finally {
        await model.dispose();
      }
    };
    const never = path.join(scratch, 'micro-no-eos');
    await generateModel({ preset: 'micro', outDir: never, eosUnreachable: true });
    expect(Math.min(...(await lengths(MICRO_MODEL_DIR)))).toBeLessThan(12);
    expect(await lengths(never)).toEqual(Array(7).fill(12));
  });
});

describe('tokenizer', () => {
  let full: PreTrainedTokenizer;
  beforeAll(async () => {
    // The full-size vocabulary without the (large) ONNX files.
    const dir = path.join(scratch, 'tokenizer-full');
    await generateModel({ preset: 'micro', outDir: dir }); // creates the folder and config
    await writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(59514)));
    await writeFile(path.join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig(512)));
    full = await AutoTokenizer.from_pretrained(dir);
  });

  it('has 59514 tokens with <pad> last', () => {
    expect(full.convert_tokens_to_ids(['<pad>'])).toEqual([59513]);
    expect(full.get_vocab().size).toBe(59514);
  });

  it('gives French text opus-mt-like token counts (1.2-1.6 per word) and no <unk>', async () => {
    const text = await readFile(SEED_TEXT, 'utf8');
    const paragraphs = text.split('\n').filter((p) => p.trim().length > 0);
    let words = 0;
    let tokens = 0;
    for (const paragraph of paragraphs) {
      const ids = full.encode(paragraph, { add_special_tokens: false });
      expect(ids, paragraph).not.toContain(1);
      words += paragraph.split(/\s+/).filter(Boolean).length;
      tokens += ids.length;
    }
    const perWord = tokens / words;
    expect(perWord).toBeGreaterThanOrEqual(1.2);
    expect(perWord).toBeLessThanOrEqual(1.6);
  });

  it('round-trips accents, apostrophes, guillemets and digits', () => {
    const text = "L’État a dit « oui » à l'été 2023 : 15,5 % de hausse ! Œuvre, ça, où ?";
    const ids = full.encode(text);
    expect(ids.at(-1)).toBe(0); // $A </s>
    expect(ids).not.toContain(1);
    expect(full.decode(ids, { skip_special_tokens: true })).toBe(text);
  });

  it('never yields <unk> for French text even with the tiny vocabulary', async () => {
    const tiny = await AutoTokenizer.from_pretrained('tiny');
    const text = await readFile(SEED_TEXT, 'utf8');
    expect(tiny.encode(text)).not.toContain(1);
  });
});

describe('micro model and overrides', () => {
  it('has 8 tokens and generates with them', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(MICRO_MODEL_DIR);
    const model: PreTrainedModel = await AutoModelForSeq2SeqLM.from_pretrained(MICRO_MODEL_DIR, { dtype: 'fp32' });
    try {
      expect(model.config).toMatchObject({ vocab_size: 8, pad_token_id: 7 });
      const out = (await model.generate({ ...tokenizer('eats'), max_new_tokens: 4 })) as Tensor;
      const ids = (out.tolist() as bigint[][])[0].map(Number);
      expect(ids[0]).toBe(7);
      expect(ids.every((id) => id >= 0 && id < 8)).toBe(true);
    } finally {
      await model.dispose();
    }
  });

  it('rejects inconsistent overrides with the field name', () => {
    expect(() => resolveDims('tiny', { heads: 5 })).toThrow(/divisible by `heads`/);
    expect(() => resolveDims('micro', { vocabSize: 3 })).toThrow(/`vocabSize`/);
    expect(() => resolveDims('tiny', { maxLength: 600 })).toThrow(/`maxLength`/);
    expect(resolveDims('micro', { vocabSize: 10 }).vocabSize).toBe(10);
  });

  it('make-model CLI writes a model with overrides and returns exit codes', async () => {
    const lines: string[] = [];
    const io = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
    const out = path.join(scratch, 'cli-micro');
    expect(await run(['--preset', 'micro', '--out', out, '--vocab-size', '10', '--seed', '3'], io)).toBe(0);
    const config = JSON.parse(await readFile(path.join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ vocab_size: 10, pad_token_id: 9 });
    expect(await run(['--preset', 'nope', '--out', out], io)).toBe(2);
    expect(await run(['--preset', 'micro', '--out', out, '--dtype', 'fp16'], io)).toBe(2);
    expect(await run(['--preset', 'micro', '--out', out, '--heads', '3'], io)).toBe(2);
  });
});

describe('full-size opus-mt-fr-en preset', () => {
  /** opus-mt-fr-en's learned parameters, from its architecture (not from the generator). */
  const realParameterCount = (): number => {
    const [V, d, ffn] = [59514, 512, 2048];
    const linear = (i: number, o: number): number => i * o + o;
    const attention = 4 * linear(d, d);
    const norm = 2 * d;
    const ffnBlock = linear(d, ffn) + linear(ffn, d);
    const encoderLayer = attention + norm + ffnBlock + norm;
    const decoderLayer = attention + norm + attention + norm + ffnBlock + norm;
    return V * d /* shared embeddings */ + V /* final_logits_bias */ + 6 * encoderLayer + 6 * decoderLayer;
  };

  it('matches the real parameter count and generates a forced 48-token output', { timeout: 300_000 }, async () => {
    expect(realParameterCount()).toBe(74_669_178);
    const dir = path.join(scratch, 'opus-mt-fr-en');
    const generated = await generateModel({ preset: 'opus-mt-fr-en', outDir: dir, dtypes: ['fp32'], eosUnreachable: true });
    expect(Math.abs(generated.parameterCount - realParameterCount()) / realParameterCount()).toBeLessThan(0.01);

    const tokenizer = await AutoTokenizer.from_pretrained(dir);
    const model = await AutoModelForSeq2SeqLM.from_pretrained(dir, { dtype: 'fp32' });
    try {
      const out = (await model.generate({ ...tokenizer(SENTENCES[0]), max_new_tokens: 48 })) as Tensor;
      const ids = (out.tolist() as bigint[][])[0].map(Number);
      expect(ids).toHaveLength(1 + 48); // decoder start + 48 new tokens
      // EOS never chosen; forced_eos_token_id (as in the real config) closes the last slot.
      expect(ids.slice(1, -1)).not.toContain(0);
    } finally {
      await model.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
