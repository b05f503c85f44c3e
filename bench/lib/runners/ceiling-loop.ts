/**
 * The ceiling's inner loop: the encoder and the merged decoder run with onnxruntime-node (the
 * build transformers.js uses) on batches of equal-length rows: no tokenizer, no padding, no
 * logits processors, greedy argmax, the KV cache fed back as the library does (encoder entries
 * from the first step only). One loop per JavaScript thread: ONNX Runtime's Node binding runs a
 * session on the calling thread, so two loops in one thread would only take turns.
 */
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { argmax } from '../../../src/translate/search/top-k.js';
import type { CeilingConfig } from '../types.js';
import { LENGTH_FACTOR } from '../workload.js';

const SUFFIX = { fp32: '', q8: '_quantized' } as const;
// opus-mt-fr-en's layout (tools/modelgen/config.ts): eos 0, unk 1, pad = decoder start = last id.
const EOS = 0n;

export interface ModelShape {
  layers: number;
  heads: number;
  headDim: number;
  vocab: number;
  start: bigint;
}

export interface BatchShape {
  rows: number;
  /** Source tokens of every row, without </s>. */
  sourceLength: number;
}

export const newTokensFor = (sourceLength: number): number => Math.ceil(LENGTH_FACTOR * sourceLength);

export interface CeilingLoop {
  runBatch(shape: BatchShape): Promise<void>;
  release(): Promise<void>;
}

export async function openCeilingLoop(spec: CeilingConfig, modelDir: string, shape: ModelShape): Promise<CeilingLoop> {
  const options: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: spec.threads,
    interOpNumThreads: 1,
    ...(spec.graphOptimizationLevel ? { graphOptimizationLevel: spec.graphOptimizationLevel } : {}),
    ...(spec.enableCpuMemArena === undefined ? {} : { enableCpuMemArena: spec.enableCpuMemArena }),
    ...(spec.allowSpinning === undefined ? {} : { extra: { session: { intra_op: { allow_spinning: spec.allowSpinning ? '1' : '0' } } } }),
  };
  const file = (name: string) => path.join(modelDir, 'onnx', `${name}${SUFFIX[spec.dtype]}.onnx`);
  const [encoder, decoder] = await Promise.all([
    ort.InferenceSession.create(file('encoder_model'), options),
    ort.InferenceSession.create(file('decoder_model_merged'), options),
  ]);
  let seed = 1;
  const randomId = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return BigInt(2 + (seed % (shape.vocab - 3)));
  };

  const runBatch = async ({ rows: B, sourceLength }: BatchShape): Promise<void> => {
    const newTokens = newTokensFor(sourceLength);
    // Source rows: L random ids then </s>, as the tokenizer would produce.
    const L = sourceLength + 1;
    const ids = new BigInt64Array(B * L);
    for (let r = 0; r < B; r++) {
      for (let t = 0; t < L - 1; t++) ids[r * L + t] = randomId();
      ids[r * L + L - 1] = EOS;
    }
    const mask = new ort.Tensor('int64', new BigInt64Array(B * L).fill(1n), [B, L]);
    const { last_hidden_state: hidden } = await encoder.run({ input_ids: new ort.Tensor('int64', ids, [B, L]), attention_mask: mask });
    const empty = new ort.Tensor('float32', new Float32Array(0), [B, shape.heads, 0, shape.headDim]);
    let past: Record<string, ort.Tensor> = {};
    for (let i = 0; i < shape.layers; i++) {
      for (const part of ['decoder', 'encoder']) for (const kv of ['key', 'value']) past[`past_key_values.${i}.${part}.${kv}`] = empty;
    }
    let tokens = new BigInt64Array(B).fill(shape.start);
    // After the first step the encoder half of the cache only passes through: not fetched.
    const stepFetches = decoder.outputNames.filter((name) => !name.includes('.encoder.'));
    for (let step = 0; step < newTokens; step++) {
      const feeds = {
        encoder_attention_mask: mask,
        input_ids: new ort.Tensor('int64', tokens, [B, 1]),
        encoder_hidden_states: hidden,
        use_cache_branch: new ort.Tensor('bool', [step > 0], [1]),
        ...past,
      };
      const out = step === 0 ? await decoder.run(feeds) : await decoder.run(feeds, stepFetches);
      const logits = out.logits.data as Float32Array;
      const next = new BigInt64Array(B);
      for (let r = 0; r < B; r++) next[r] = BigInt(argmax(logits, r * shape.vocab, shape.vocab));
      tokens = next;
      const nextPast: Record<string, ort.Tensor> = {};
      for (let i = 0; i < shape.layers; i++) {
        for (const kv of ['key', 'value']) {
          nextPast[`past_key_values.${i}.decoder.${kv}`] = out[`present.${i}.decoder.${kv}`];
          // The encoder half of the cache is computed at the first step and reused after.
          const encoderKey = `past_key_values.${i}.encoder.${kv}`;
          nextPast[encoderKey] = step === 0 ? out[`present.${i}.encoder.${kv}`] : past[encoderKey];
        }
      }
      past = nextPast;
    }
  };

  return {
    runBatch,
    release: async () => {
      await Promise.all([encoder.release(), decoder.release()]);
    },
  };
}
