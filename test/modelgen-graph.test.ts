/**
 * Checks the generated ONNX graphs against MarianMT's math, computed here independently in plain
 * float64 loops from the same seeded weights, and checks the cache path (position = past_len +
 * i) and int8 quantization against the fp32 graph. Runs the files through onnxruntime-node, the
 * runtime transformers.js uses on Node.
 */
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveDims } from '../tools/modelgen/index.js';
import { generateWeights, type Attention, type LayerNorm, type Linear, type MarianWeights } from '../tools/modelgen/weights.js';
import { TINY_MODEL_DIR } from './helpers/models.js';

type Rows = Float64Array[];

const linear = (x: Rows, l: Linear): Rows =>
  x.map((row) => {
    const y = new Float64Array(l.outDim);
    for (let o = 0; o < l.outDim; o++) {
      let s = l.bias[o];
      for (let i = 0; i < l.inDim; i++) s += row[i] * l.weight[i * l.outDim + o];
      y[o] = s;
    }
    return y;
  });
const add = (a: Rows, b: Rows): Rows => a.map((row, t) => row.map((v, j) => v + b[t][j]));
const layerNorm = (x: Rows, n: LayerNorm): Rows =>
  x.map((row) => {
    const mean = row.reduce((s, v) => s + v, 0) / row.length;
    const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / row.length;
    return row.map((v, j) => ((v - mean) / Math.sqrt(variance + 1e-5)) * n.gamma[j] + n.beta[j]);
  });
const swish = (x: Rows): Rows => x.map((row) => row.map((v) => v / (1 + Math.exp(-v))));

/** Multi-head attention; with `causal`, query t sees keys 0..t only. */
function attention(xq: Rows, xkv: Rows, a: Attention, heads: number, causal: boolean): Rows {
  const [q, k, v] = [linear(xq, a.q), linear(xkv, a.k), linear(xkv, a.v)];
  const d = a.q.outDim;
  const hd = d / heads;
  const context = q.map((qRow, t) => {
    const out = new Float64Array(d);
    for (let h = 0; h < heads; h++) {
      const visible = causal ? t + 1 : k.length;
      const scores = Array.from({ length: visible }, (_, s) => {
        let dot = 0;
        for (let i = 0; i < hd; i++) dot += qRow[h * hd + i] * k[s][h * hd + i];
        return dot / Math.sqrt(hd);
      });
      const max = Math.max(...scores);
      const exps = scores.map((s) => Math.exp(s - max));
      const total = exps.reduce((s, e) => s + e, 0);
      for (let s = 0; s < visible; s++) {
        for (let i = 0; i < hd; i++) out[h * hd + i] += (exps[s] / total) * v[s][h * hd + i];
      }
    }
    return out;
  });
  return linear(context, a.out);
}

/** Embeddings * sqrt(d) + Marian positions: sin(p / 10000^(2j/d)) in the first half, cos in the second. */
function embed(w: MarianWeights, ids: number[]): Rows {
  const d = w.dims.dModel;
  return ids.map((id, p) => {
    const row = new Float64Array(d);
    for (let j = 0; j < d; j++) row[j] = w.embeddings[id * d + j] * Math.sqrt(d);
    for (let j = 0; j < d / 2; j++) {
      const angle = p / 10000 ** ((2 * j) / d);
      row[j] += Math.sin(angle);
      row[d / 2 + j] += Math.cos(angle);
    }
    return row;
  });
}

function referenceEncoder(w: MarianWeights, ids: number[]): Rows {
  let x = embed(w, ids);
  for (const l of w.encoder) {
    x = layerNorm(add(x, attention(x, x, l.selfAttn, w.dims.heads, false)), l.selfAttnNorm);
    x = layerNorm(add(x, linear(swish(linear(x, l.fc1)), l.fc2)), l.finalNorm);
  }
  return x;
}

function referenceLogits(w: MarianWeights, encoded: Rows, decoderIds: number[]): Rows {
  let x = embed(w, decoderIds);
  for (const l of w.decoder) {
    x = layerNorm(add(x, attention(x, x, l.selfAttn, w.dims.heads, true)), l.selfAttnNorm);
    x = layerNorm(add(x, attention(x, encoded, l.crossAttn, w.dims.heads, false)), l.crossAttnNorm);
    x = layerNorm(add(x, linear(swish(linear(x, l.fc1)), l.fc2)), l.finalNorm);
  }
  const { vocabSize: V, dModel: d } = w.dims;
  return x.map((row) => {
    const logits = new Float64Array(V);
    for (let t = 0; t < V; t++) {
      let s = w.finalLogitsBias[t];
      for (let j = 0; j < d; j++) s += row[j] * w.embeddings[t * d + j];
      logits[t] = s;
    }
    return logits;
  });
}

const int64 = (rows: number[][]): ort.Tensor =>
  new ort.Tensor('int64', BigInt64Array.from(rows.flat(), (v) => BigInt(v)), [rows.length, rows[0].length]);

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** Row `t` of sequence `b` of a [B, T, N] tensor. */
const row = (tensor: ort.Tensor, b: number, t: number): Float32Array => {
  const [, T, N] = tensor.dims;
  return (tensor.data as Float32Array).subarray((b * T + t) * N, (b * T + t + 1) * N);
};

describe('generated graph computes MarianMT', () => {
  const dims = resolveDims('tiny');
  const weights = generateWeights(dims, { seed: 0, eosUnreachable: false });
  const pad = dims.vocabSize - 1;
  const heads = dims.heads;
  const hd = dims.dModel / heads;
  // Two sources of different lengths: the second is padded, so masks matter.
  const sources = [
    [15, 220, 37, 999, 4, 1500, 0],
    [88, 731, 9, 0],
  ];
  const width = Math.max(...sources.map((s) => s.length));
  const inputIds = int64(sources.map((s) => [...s, ...Array(width - s.length).fill(pad)]));
  const mask = int64(sources.map((s) => s.map(() => 1).concat(Array(width - s.length).fill(0))));
  const decoderIds = [pad, 42, 7, 1234, 512];

  let sessions: Record<'fp32' | 'q8', { encoder: ort.InferenceSession; decoder: ort.InferenceSession }>;
  beforeAll(async () => {
    const open = async (suffix: string) => ({
      encoder: await ort.InferenceSession.create(path.join(TINY_MODEL_DIR, `onnx/encoder_model${suffix}.onnx`)),
      decoder: await ort.InferenceSession.create(path.join(TINY_MODEL_DIR, `onnx/decoder_model_merged${suffix}.onnx`)),
    });
    sessions = { fp32: await open(''), q8: await open('_quantized') };
  });

  const emptyPast = (batch: number, layers: number): Record<string, ort.Tensor> => {
    const feeds: Record<string, ort.Tensor> = {};
    for (let i = 0; i < layers; i++) {
      for (const kind of ['decoder', 'encoder']) {
        for (const kv of ['key', 'value']) {
          feeds[`past_key_values.${i}.${kind}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [batch, heads, 0, hd]);
        }
      }
    }
    return feeds;
  };

  /** One decoder call; `past` null means the first step (use_cache_branch = false). */
  const decode = async (
    dtype: 'fp32' | 'q8',
    encoded: ort.Tensor,
    ids: number[][],
    past: Record<string, ort.Tensor> | null,
  ): Promise<ort.InferenceSession.OnnxValueMapType> =>
    sessions[dtype].decoder.run({
      encoder_attention_mask: mask,
      input_ids: int64(ids),
      encoder_hidden_states: encoded,
      ...(past ?? emptyPast(sources.length, dims.decoderLayers)),
      use_cache_branch: new ort.Tensor('bool', [past !== null], [1]),
    });

  /** The next step's past, as transformers.js builds it: the encoder entries stay those of the first step. */
  const presentsAsPast = (out: ort.InferenceSession.OnnxValueMapType, past: Record<string, ort.Tensor> | null): Record<string, ort.Tensor> =>
    Object.fromEntries(
      Object.entries(out)
        .filter(([name]) => name.startsWith('present.'))
        .map(([name, t]) => {
          const pastName = name.replace('present.', 'past_key_values.');
          return [pastName, past && name.includes('.encoder.') ? past[pastName] : (t as ort.Tensor)];
        }),
    );

  it('encoder output matches the reference for each sequence, padded or not', async () => {
    const { last_hidden_state: states } = await sessions.fp32.encoder.run({ input_ids: inputIds, attention_mask: mask });
    expect(states.dims).toEqual([2, width, dims.dModel]);
    sources.forEach((ids, b) => {
      const expected = referenceEncoder(weights, ids);
      expected.forEach((want, t) => expect(maxAbsDiff(row(states, b, t), want)).toBeLessThan(2e-4));
    });
  });

  it('decoder logits match the reference for a multi-token input (causal mask, cross-attention mask)', async () => {
    const { last_hidden_state: states } = await sessions.fp32.encoder.run({ input_ids: inputIds, attention_mask: mask });
    const out = await decode('fp32', states, [decoderIds, decoderIds], null);
    expect(out.logits.dims).toEqual([2, decoderIds.length, dims.vocabSize]);
    sources.forEach((ids, b) => {
      const expected = referenceLogits(weights, referenceEncoder(weights, ids), decoderIds);
      expected.forEach((want, t) => expect(maxAbsDiff(row(out.logits, b, t), want)).toBeLessThan(5e-4));
    });
    // The first step projects the encoder k/v; the cache shapes are what transformers.js expects.
    expect(out['present.0.encoder.key'].dims).toEqual([2, heads, width, hd]);
    expect(out['present.1.decoder.value'].dims).toEqual([2, heads, decoderIds.length, hd]);
  });

  it('one token at a time with the cache gives the same logits (positions continue after the past)', async () => {
    const { last_hidden_state: states } = await sessions.fp32.encoder.run({ input_ids: inputIds, attention_mask: mask });
    const full = await decode('fp32', states, [decoderIds, decoderIds], null);
    let out = await decode('fp32', states, [[decoderIds[0]], [decoderIds[0]]], null);
    let past: Record<string, ort.Tensor> | null = null;
    for (let t = 1; t < decoderIds.length; t++) {
      past = presentsAsPast(out, past);
      out = await decode('fp32', states, [[decoderIds[t]], [decoderIds[t]]], past);
      expect(out.logits.dims).toEqual([2, 1, dims.vocabSize]);
      for (let b = 0; b < 2; b++) expect(maxAbsDiff(row(out.logits, b, 0), row(full.logits, b, t))).toBeLessThan(1e-4);
    }
    expect(out['present.0.decoder.key'].dims).toEqual([2, heads, decoderIds.length, hd]);
    // As in Optimum's merged exports, the cached branch copies no encoder k/v: empty placeholders.
    expect(out['present.0.encoder.key'].dims).toEqual([0, heads, 1, hd]);
  });

  it('q8 logits stay close to fp32 logits', async () => {
    const logits = async (dtype: 'fp32' | 'q8'): Promise<Float32Array> => {
      const { last_hidden_state: states } = await sessions[dtype].encoder.run({ input_ids: inputIds, attention_mask: mask });
      return (await decode(dtype, states, [decoderIds, decoderIds], null)).logits.data as Float32Array;
    };
    const [exact, quantized] = [await logits('fp32'), await logits('q8')];
    let errSq = 0;
    let refSq = 0;
    for (let i = 0; i < exact.length; i++) {
      errSq += (quantized[i] - exact[i]) ** 2;
      refSq += exact[i] ** 2;
    }
    const relativeError = Math.sqrt(errSq / refSq);
    expect(relativeError).toBeGreaterThan(0); // really the int8 graph
    expect(relativeError).toBeLessThan(0.1);
  });
});
