/**
 * Seeded random weights in MarianMT's shapes. Each tensor draws from its own named stream
 * (rngFor), so the values do not depend on generation order.
 *
 * Init scale: N(0, 1/fan_in) for matrices and embeddings (times ATTENTION_GAIN for attention
 * projections) rather than the real init's N(0, 0.02).
 * At d_model 512 the two are close (0.044 vs 0.02), but at the tiny sizes 0.02 would give
 * near-uniform attention and near-constant logits, so outputs would barely depend on the input
 * and tests comparing batched with one-at-a-time output could not tell rows apart. With
 * 1/sqrt(fan_in), activations after each layer norm are O(1) and logits have std about 1.
 */
import type { MarianDims } from './presets.js';
import { rngFor } from './random.js';

/** y = x W + b, W stored [in, out] (the layout MatMul wants; HF stores [out, in]). */
export interface Linear {
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  readonly inDim: number;
  readonly outDim: number;
}

export interface LayerNorm {
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
}

export interface Attention {
  readonly q: Linear;
  readonly k: Linear;
  readonly v: Linear;
  readonly out: Linear;
}

export interface EncoderLayer {
  readonly selfAttn: Attention;
  readonly selfAttnNorm: LayerNorm;
  readonly fc1: Linear;
  readonly fc2: Linear;
  readonly finalNorm: LayerNorm;
}

export interface DecoderLayer extends EncoderLayer {
  readonly crossAttn: Attention;
  readonly crossAttnNorm: LayerNorm;
}

export interface MarianWeights {
  readonly dims: MarianDims;
  /** [vocabSize, dModel], shared by encoder input, decoder input and the output projection. */
  readonly embeddings: Float32Array;
  /** [vocabSize], added to the logits. */
  readonly finalLogitsBias: Float32Array;
  readonly encoder: readonly EncoderLayer[];
  readonly decoder: readonly DecoderLayer[];
}

/**
 * Gain on the attention projections' init. Measured on the tiny and micro presets: at gain 1
 * attention is nearly uniform, the encoder output's shared (positional) part dominates what
 * cross-attention reads, and greedy output is the same token stream for every input. At 2
 * (sharper attention, attention output as large as the residual) outputs differ by input.
 */
const ATTENTION_GAIN = 2;

/** Logit bias that makes a token unreachable; softmax gives it exactly 0 in float32. */
export const UNREACHABLE_BIAS = -1e9;

export interface WeightOptions {
  readonly seed: number;
  readonly eosUnreachable: boolean;
}

export function generateWeights(dims: MarianDims, { seed, eosUnreachable }: WeightOptions): MarianWeights {
  const { dModel, ffnDim, vocabSize } = dims;
  const normal = (name: string, n: number, std: number, mean = 0): Float32Array =>
    rngFor(seed, name).normalArray(n, std, mean);
  const linear = (name: string, inDim: number, outDim: number, gain = 1): Linear => ({
    weight: normal(`${name}.weight`, inDim * outDim, gain / Math.sqrt(inDim)),
    // Small non-zero biases, so a graph that drops a bias changes the output.
    bias: normal(`${name}.bias`, outDim, 0.02),
    inDim,
    outDim,
  });
  // Gamma near 1 and beta near 0, jittered so that swapping the two would show.
  const layerNorm = (name: string): LayerNorm => ({
    gamma: normal(`${name}.weight`, dModel, 0.02, 1),
    beta: normal(`${name}.bias`, dModel, 0.02),
  });
  const attention = (name: string): Attention => ({
    q: linear(`${name}.q_proj`, dModel, dModel, ATTENTION_GAIN),
    k: linear(`${name}.k_proj`, dModel, dModel, ATTENTION_GAIN),
    v: linear(`${name}.v_proj`, dModel, dModel, ATTENTION_GAIN),
    out: linear(`${name}.out_proj`, dModel, dModel, ATTENTION_GAIN),
  });
  const encoderLayer = (name: string): EncoderLayer => ({
    selfAttn: attention(`${name}.self_attn`),
    selfAttnNorm: layerNorm(`${name}.self_attn_layer_norm`),
    fc1: linear(`${name}.fc1`, dModel, ffnDim),
    fc2: linear(`${name}.fc2`, ffnDim, dModel),
    finalNorm: layerNorm(`${name}.final_layer_norm`),
  });
  const decoderLayer = (name: string): DecoderLayer => ({
    ...encoderLayer(name),
    crossAttn: attention(`${name}.encoder_attn`),
    crossAttnNorm: layerNorm(`${name}.encoder_attn_layer_norm`),
  });

  // Zero, as in the real model (Marian's final_logits_bias is an all-zero buffer), except EOS.
  const finalLogitsBias = new Float32Array(vocabSize);
  finalLogitsBias[0] = eosUnreachable ? UNREACHABLE_BIAS : dims.eosBias;

  return {
    dims,
    embeddings: normal('model.shared.weight', vocabSize * dModel, 1 / Math.sqrt(dModel)),
    finalLogitsBias,
    encoder: Array.from({ length: dims.encoderLayers }, (_, i) => encoderLayer(`model.encoder.layers.${i}`)),
    decoder: Array.from({ length: dims.decoderLayers }, (_, i) => decoderLayer(`model.decoder.layers.${i}`)),
  };
}

/**
 * Learned parameters as Hugging Face counts them for MarianMTModel: the shared embedding once,
 * every layer's projections and norms, plus `final_logits_bias`. The sinusoidal position tables
 * are fixed, not learned, and left out.
 */
export function countParameters(w: MarianWeights): number {
  const lin = (l: Linear): number => l.weight.length + l.bias.length;
  const norm = (n: LayerNorm): number => n.gamma.length + n.beta.length;
  const attn = (a: Attention): number => lin(a.q) + lin(a.k) + lin(a.v) + lin(a.out);
  const enc = (l: EncoderLayer): number =>
    attn(l.selfAttn) + norm(l.selfAttnNorm) + lin(l.fc1) + lin(l.fc2) + norm(l.finalNorm);
  const dec = (l: DecoderLayer): number => enc(l) + attn(l.crossAttn) + norm(l.crossAttnNorm);
  return (
    w.embeddings.length +
    w.finalLogitsBias.length +
    w.encoder.reduce((s, l) => s + enc(l), 0) +
    w.decoder.reduce((s, l) => s + dec(l), 0)
  );
}

/**
 * Marian's sinusoidal position table [maxPositions, dModel]: column j < d/2 holds
 * sin(pos / 10000^(2j/d)), column d/2 + j holds cos of the same angle (HF's
 * MarianSinusoidalPositionalEmbedding; not interleaved as in the original Transformer).
 */
export function sinusoidalPositions(maxPositions: number, dModel: number): Float32Array {
  const half = dModel / 2;
  const table = new Float32Array(maxPositions * dModel);
  for (let pos = 0; pos < maxPositions; pos++) {
    for (let j = 0; j < half; j++) {
      const angle = pos / Math.pow(10000, (2 * j) / dModel);
      table[pos * dModel + j] = Math.sin(angle);
      table[pos * dModel + half + j] = Math.cos(angle);
    }
  }
  return table;
}
