/**
 * Generates MarianMT model folders with seeded random weights, loadable by transformers.js
 * exactly as Xenova/opus-mt-fr-en is (which cannot be downloaded here). Their output text is
 * meaningless; their shapes, file layout, token ids and cost per token are the real model's.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generationConfig, modelConfig } from './config.js';
import { buildDecoder, buildEncoder, type AttentionLayout, type WeightDtype } from './marian-graph.js';
import { resolveDims, type MarianDims, type PresetName } from './presets.js';
import { tokenizerConfig, tokenizerJson } from './tokenizer.js';
import { countParameters, generateWeights } from './weights.js';

export { PRESETS, PRESET_NAMES, resolveDims, type MarianDims, type PresetName } from './presets.js';
export type { AttentionLayout, WeightDtype } from './marian-graph.js';
export { buildVocabulary } from './tokenizer.js';
export { UNREACHABLE_BIAS } from './weights.js';
export { EOS_TOKEN_ID, UNK_TOKEN_ID, padTokenId } from './config.js';

export const WEIGHT_DTYPES = ['fp32', 'q8'] as const satisfies readonly WeightDtype[];

/** File-name suffix transformers.js looks for per `dtype` (utils/dtypes.js). */
const SUFFIX: Record<WeightDtype, string> = { fp32: '', q8: '_quantized' };

export interface GenerateModelOptions {
  readonly preset: PresetName;
  /** Replaces some of the preset's numbers, e.g. `{ vocabSize: 10 }`. */
  readonly overrides?: Partial<MarianDims>;
  /** Folder to write; created if missing, files in it overwritten. */
  readonly outDir: string;
  /**
   * ONNX weight formats to write: `fp32` (onnx/*_model.onnx) and `q8` (int8 dynamic
   * quantization, onnx/*_model_quantized.onnx).
   * @default ['fp32']
   */
  readonly dtypes?: readonly WeightDtype[];
  /**
   * Seed of the weights: the same seed (and options) gives byte-identical files.
   * @default 0
   */
  readonly seed?: number;
  /**
   * Sets `final_logits_bias[eos]` to -1e9, so the model never chooses EOS by itself and
   * generation always runs to `max_new_tokens` / `max_length` (forced_eos_token_id still ends it
   * there): every benchmark configuration does the same work.
   * @default false
   */
  readonly eosUnreachable?: boolean;
  /**
   * How the graphs write attention (see AttentionLayout): `bmm` imitates Optimum's export of
   * opus-mt, for testing graph edits on both layouts.
   * @default '4d'
   */
  readonly attentionLayout?: AttentionLayout;
}

export interface GeneratedModel {
  /** Absolute path of the model folder. */
  readonly outDir: string;
  /** Learned parameters as Hugging Face counts them (see countParameters). */
  readonly parameterCount: number;
  /** Paths written, relative to outDir, in write order. */
  readonly files: string[];
  readonly dims: MarianDims;
}

let tempCounter = 0;

export async function generateModel(options: GenerateModelOptions): Promise<GeneratedModel> {
  const dims = resolveDims(options.preset, options.overrides);
  const dtypes: WeightDtype[] = [...new Set<WeightDtype>(options.dtypes ?? ['fp32'])];
  for (const dtype of dtypes) {
    if (!(WEIGHT_DTYPES as readonly string[]).includes(dtype)) {
      throw new TypeError(`Expected \`dtypes\` entries to be one of ${WEIGHT_DTYPES.join(', ')}, got ${JSON.stringify(dtype)}`);
    }
  }
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new TypeError(`Expected \`seed\` to be an integer in [0, 2^32), got ${seed}`);
  }
  const eosUnreachable = options.eosUnreachable ?? false;
  const outDir = path.resolve(options.outDir);
  await mkdir(path.join(outDir, 'onnx'), { recursive: true });

  const files: string[] = [];
  const write = async (rel: string, data: string | Uint8Array): Promise<void> => {
    // Write then rename: a process loading the folder while another regenerates it (parallel
    // test runs share models/generated/) sees the old file or the new one, never half of one.
    const target = path.join(outDir, rel);
    const temp = `${target}.${process.pid}.${tempCounter++}.tmp`;
    await writeFile(temp, data);
    await rename(temp, target);
    files.push(rel);
  };
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

  await write('config.json', json(modelConfig(dims, { preset: options.preset, seed, eosUnreachable })));
  await write('generation_config.json', json(generationConfig(dims)));
  await write('tokenizer.json', json(tokenizerJson(dims.vocabSize)));
  await write('tokenizer_config.json', json(tokenizerConfig(dims.maxPositions)));

  const weights = generateWeights(dims, { seed, eosUnreachable });
  for (const dtype of dtypes) {
    // Built and written one at a time: a full-size graph is a few hundred MB.
    await write(`onnx/encoder_model${SUFFIX[dtype]}.onnx`, buildEncoder(weights, dtype, options.attentionLayout));
    await write(`onnx/decoder_model_merged${SUFFIX[dtype]}.onnx`, buildDecoder(weights, dtype, options.attentionLayout));
  }
  return { outDir, parameterCount: countParameters(weights), files, dims };
}
