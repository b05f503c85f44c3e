/**
 * MarianMT's forward pass as two ONNX graphs, the encoder and the merged decoder, with the input
 * and output names transformers.js feeds (see /work/shared/notes/marian-onnx-contract.md).
 *
 * The math follows Hugging Face's MarianMTModel: embeddings * sqrt(d_model) + sinusoidal
 * positions, post-layer-norm layers (x = LN(x + sublayer(x))), SiLU feed-forward, no final
 * encoder or decoder norm, tied output projection + final_logits_bias.
 * Simplifications, none of which changes the result:
 * - padding and causal masks add -1e9 rather than float32's lowest value; exp() underflows to 0
 *   either way;
 * - the `If` on use_cache_branch only chooses where the past (self k/v) and the encoder k/v come
 *   from; everything else runs once, after it, instead of being duplicated in both branches as
 *   in Optimum's exports.
 */
import { GraphBuilder } from './graph-builder.js';
import { encodeModel, IR_VERSION, OPSET, type GraphMessage } from './onnx-proto.js';
import type { MarianDims } from './presets.js';
import { quantizeSymmetric, transposeInt8 } from './quantize.js';
import { sinusoidalPositions, type Attention, type LayerNorm, type Linear, type MarianWeights } from './weights.js';

export type WeightDtype = 'fp32' | 'q8';

/** Additive mask value for positions a query must not see. */
const MASKED = -1e9;
const LAYER_NORM_EPS = 1e-5;

/** How weights enter the graph: fp32 MatMul/Gather, or int8 with dynamic quantization. */
interface WeightOps {
  /** x [.., in] -> x W + b [.., out]. */
  linear(g: GraphBuilder, x: string, lin: Linear, name: string): string;
  /** input_ids [B, T] -> scaled token embeddings [B, T, d]. */
  embed(g: GraphBuilder, ids: string): string;
  /** h [B, T, d] -> logits [B, T, V] (tied projection + final_logits_bias). */
  logits(g: GraphBuilder, h: string): string;
}

function fp32Ops(w: MarianWeights): WeightOps {
  const { vocabSize, dModel } = w.dims;
  let table: string | undefined;
  const embeddingTable = (g: GraphBuilder): string =>
    (table ??= g.initializer('model.shared.weight', w.embeddings, [vocabSize, dModel]));
  return {
    linear(g, x, lin, name) {
      const weight = g.initializer(`${name}.weight`, lin.weight, [lin.inDim, lin.outDim]);
      const bias = g.initializer(`${name}.bias`, lin.bias, [lin.outDim]);
      return g.op('Add', [g.op('MatMul', [x, weight]), bias]);
    },
    embed(g, ids) {
      const rows = g.op('Gather', [embeddingTable(g), ids], { axis: 0 });
      return g.op('Mul', [rows, g.constFloat([Math.sqrt(dModel)], [])]);
    },
    logits(g, h) {
      // Gemm with transB reads the [V, d] embedding table as is: no transposed copy in the
      // file or in memory. Gemm wants 2-D input, hence the reshapes.
      const bias = g.initializer('final_logits_bias', w.finalLogitsBias, [vocabSize]);
      const flat = g.op('Reshape', [h, g.constInt64([-1, dModel])]);
      const out = g.op('Gemm', [flat, embeddingTable(g), bias], { transB: 1 });
      const batchAndTime = g.op('Slice', [g.op('Shape', [h]), g.constInt64([0]), g.constInt64([2])]);
      return g.op('Reshape', [out, g.op('Concat', [batchAndTime, g.constInt64([vocabSize])], { axis: 0 })]);
    },
  };
}

/** The encoder and the decoder share the embedding table: quantize it once per model (30.5M values at full size). */
const embeddingCache = new WeakMap<MarianWeights, ReturnType<typeof quantizeSymmetric>>();
function quantizedEmbeddings(w: MarianWeights, quantize: () => ReturnType<typeof quantizeSymmetric>): ReturnType<typeof quantizeSymmetric> {
  let cached = embeddingCache.get(w);
  if (cached === undefined) embeddingCache.set(w, (cached = quantize()));
  return cached;
}

function q8Ops(w: MarianWeights): WeightOps {
  const { vocabSize, dModel } = w.dims;
  // Per-row scales for the Gather table; the same int8 values, transposed, with the same
  // scales per column, serve the output projection.
  const embQ = quantizedEmbeddings(w, () => quantizeSymmetric(w.embeddings, vocabSize, dModel, 0));
  const quantizedMatMul = (g: GraphBuilder, x: string, weight: string, scales: string, bias: string): string => {
    const [xq, xScale, xZero] = g.opN('DynamicQuantizeLinear', [x], 3);
    const product = g.op('MatMulInteger', [xq, weight, xZero]);
    const scale = g.op('Mul', [xScale, scales]);
    return g.op('Add', [g.op('Mul', [g.op('Cast', [product], { to: 1 /* FLOAT */ }), scale]), bias]);
  };
  let table: { values: string; scales: string } | undefined;
  return {
    linear(g, x, lin, name) {
      const q = quantizeSymmetric(lin.weight, lin.inDim, lin.outDim, 1);
      const weight = g.initializer(`${name}.weight_quantized`, q.values, [lin.inDim, lin.outDim]);
      const scales = g.initializer(`${name}.weight_scale`, q.scales, [lin.outDim]);
      const bias = g.initializer(`${name}.bias`, lin.bias, [lin.outDim]);
      return quantizedMatMul(g, x, weight, scales, bias);
    },
    embed(g, ids) {
      // sqrt(d_model) is folded into the row scales: one Mul instead of two.
      table ??= {
        values: g.initializer('model.shared.weight_quantized', embQ.values, [vocabSize, dModel]),
        scales: g.initializer(
          'model.shared.weight_scale_x_sqrt_d',
          embQ.scales.map((s) => s * Math.sqrt(dModel)),
          [vocabSize, 1],
        ),
      };
      const rows = g.op('Cast', [g.op('Gather', [table.values, ids], { axis: 0 })], { to: 1 });
      return g.op('Mul', [rows, g.op('Gather', [table.scales, ids], { axis: 0 })]);
    },
    logits(g, h) {
      const weight = g.initializer('lm_head.weight_quantized', transposeInt8(embQ.values, vocabSize, dModel), [dModel, vocabSize]);
      const scales = g.initializer('lm_head.weight_scale', embQ.scales, [vocabSize]);
      const bias = g.initializer('final_logits_bias', w.finalLogitsBias, [vocabSize]);
      return quantizedMatMul(g, h, weight, scales, bias);
    },
  };
}

/** Shared pieces of both graphs. */
class Layers {
  readonly #g: GraphBuilder;
  readonly #ops: WeightOps;
  readonly #dims: MarianDims;

  constructor(g: GraphBuilder, ops: WeightOps, dims: MarianDims) {
    this.#g = g;
    this.#ops = ops;
    this.#dims = dims;
  }

  get headDim(): number {
    return this.#dims.dModel / this.#dims.heads;
  }

  /** x [B, T, d] -> [B, H, T, head_dim], the layout of the k/v cache. Works in any subgraph. */
  projectHeads(g: GraphBuilder, x: string, lin: Linear, name: string): string {
    const y = this.#ops.linear(g, x, lin, name);
    const split = g.op('Reshape', [y, g.constInt64([0, -1, this.#dims.heads, this.headDim])]);
    return g.op('Transpose', [split], { perm: [0, 2, 1, 3] });
  }

  /** Scaled dot-product attention of x's queries over keys/values [B, H, S, hd]. */
  attend(x: string, keys: string, values: string, mask: string, attn: Attention, name: string): string {
    const g = this.#g;
    const q = this.projectHeads(g, x, attn.q, `${name}.q_proj`);
    const scaled = g.op('Mul', [q, g.constFloat([1 / Math.sqrt(this.headDim)], [])]);
    const scores = g.op('MatMul', [scaled, g.op('Transpose', [keys], { perm: [0, 1, 3, 2] })]);
    const probs = g.op('Softmax', [g.op('Add', [scores, mask])], { axis: -1 });
    const context = g.op('Transpose', [g.op('MatMul', [probs, values])], { perm: [0, 2, 1, 3] });
    const merged = g.op('Reshape', [context, g.constInt64([0, -1, this.#dims.dModel])]);
    return this.#ops.linear(g, merged, attn.out, `${name}.out_proj`);
  }

  /** Post-norm residual: LN(residual + x). */
  addNorm(residual: string, x: string, norm: LayerNorm, name: string): string {
    const g = this.#g;
    const d = this.#dims.dModel;
    const gamma = g.initializer(`${name}.weight`, norm.gamma, [d]);
    const beta = g.initializer(`${name}.bias`, norm.beta, [d]);
    return g.op('LayerNormalization', [g.op('Add', [residual, x]), gamma, beta], {
      axis: -1,
      epsilon: { float: LAYER_NORM_EPS },
    });
  }

  feedForward(x: string, fc1: Linear, fc2: Linear, name: string): string {
    const g = this.#g;
    const h = this.#ops.linear(g, x, fc1, `${name}.fc1`);
    const silu = g.op('Mul', [h, g.op('Sigmoid', [h])]); // Marian's "swish"
    return this.#ops.linear(g, silu, fc2, `${name}.fc2`);
  }

  /** Token embeddings plus the position rows at `positions` (int64 [T]). */
  embedWithPositions(ids: string, positions: string, tableName: string): string {
    const g = this.#g;
    const { maxPositions, dModel } = this.#dims;
    const table = g.initializer(tableName, sinusoidalPositions(maxPositions, dModel), [maxPositions, dModel]);
    const pos = g.op('Gather', [table, positions], { axis: 0 }); // [T, d], broadcast over batch
    return g.op('Add', [this.#ops.embed(g, ids), pos]);
  }

  /** int64 mask [B, S] (1 = token, 0 = padding) -> additive float mask [B, 1, 1, S]. */
  paddingMask(mask: string): string {
    const g = this.#g;
    const keep = g.op('Cast', [mask], { to: 1 });
    const blocked = g.op('Sub', [g.constFloat([1], []), keep]);
    return g.op('Unsqueeze', [g.op('Mul', [blocked, g.constFloat([MASKED], [])]), g.constInt64([1, 2])]);
  }

  /** Element `index` of a tensor's shape, as an int64 scalar. */
  dim(g: GraphBuilder, x: string, index: number): string {
    return g.op('Gather', [g.op('Shape', [x]), g.constInt64([index], [])], { axis: 0 });
  }
}

function wrapModel(graph: GraphMessage, doc: string): Uint8Array {
  return encodeModel({
    ir_version: IR_VERSION,
    producer_name: 'fr2en-modelgen',
    producer_version: '1',
    doc_string: doc,
    graph,
    opset_import: [{ domain: '', version: OPSET }],
  });
}

function opsFor(w: MarianWeights, dtype: WeightDtype): WeightOps {
  return dtype === 'q8' ? q8Ops(w) : fp32Ops(w);
}

export function buildEncoder(w: MarianWeights, dtype: WeightDtype): Uint8Array {
  const { dModel } = w.dims;
  const g = new GraphBuilder('marian_encoder');
  const L = new Layers(g, opsFor(w, dtype), w.dims);
  const ids = g.input('input_ids', 'INT64', ['batch_size', 'encoder_sequence_length']);
  const mask = g.input('attention_mask', 'INT64', ['batch_size', 'encoder_sequence_length']);

  const length = L.dim(g, ids, 1);
  const positions = g.op('Range', [g.constInt64([0], []), length, g.constInt64([1], [])]);
  let x = L.embedWithPositions(ids, positions, 'model.encoder.embed_positions.weight');
  const padding = L.paddingMask(mask);

  w.encoder.forEach((layer, i) => {
    const name = `model.encoder.layers.${i}`;
    const k = L.projectHeads(g, x, layer.selfAttn.k, `${name}.self_attn.k_proj`);
    const v = L.projectHeads(g, x, layer.selfAttn.v, `${name}.self_attn.v_proj`);
    const attended = L.attend(x, k, v, padding, layer.selfAttn, `${name}.self_attn`);
    x = L.addNorm(x, attended, layer.selfAttnNorm, `${name}.self_attn_layer_norm`);
    x = L.addNorm(x, L.feedForward(x, layer.fc1, layer.fc2, name), layer.finalNorm, `${name}.final_layer_norm`);
  });

  g.output(x, 'last_hidden_state', 'FLOAT', ['batch_size', 'encoder_sequence_length', dModel]);
  return wrapModel(g.build(), `MarianMT encoder (generated, random weights, ${dtype})`);
}

export function buildDecoder(w: MarianWeights, dtype: WeightDtype): Uint8Array {
  const { dModel, heads, vocabSize } = w.dims;
  const g = new GraphBuilder('marian_decoder_merged');
  const ops = opsFor(w, dtype);
  const L = new Layers(g, ops, w.dims);
  const hd = L.headDim;
  const layers = w.decoder;

  const encMask = g.input('encoder_attention_mask', 'INT64', ['batch_size', 'encoder_sequence_length']);
  const ids = g.input('input_ids', 'INT64', ['batch_size', 'decoder_sequence_length']);
  const encStates = g.input('encoder_hidden_states', 'FLOAT', ['batch_size', 'encoder_sequence_length', dModel]);
  const past = layers.map((_, i) => ({
    selfKey: g.input(`past_key_values.${i}.decoder.key`, 'FLOAT', ['batch_size', heads, 'past_decoder_sequence_length', hd]),
    selfValue: g.input(`past_key_values.${i}.decoder.value`, 'FLOAT', ['batch_size', heads, 'past_decoder_sequence_length', hd]),
    encKey: g.input(`past_key_values.${i}.encoder.key`, 'FLOAT', ['batch_size', heads, 'encoder_sequence_length_out', hd]),
    encValue: g.input(`past_key_values.${i}.encoder.value`, 'FLOAT', ['batch_size', heads, 'encoder_sequence_length_out', hd]),
  }));
  const useCache = g.input('use_cache_branch', 'BOOL', [1]);

  // The If yields, per layer: past self k/v (empty on the first step) and the encoder k/v
  // (projected from encoder_hidden_states on the first step, taken from the cache after).
  const cacheOutputs = layers.flatMap((_, i) => [`self_k.${i}`, `self_v.${i}`, `enc_k.${i}`, `enc_v.${i}`]);

  const withCache = g.subgraph('use_cache');
  layers.forEach((_, i) => {
    const p = past[i];
    [p.selfKey, p.selfValue, p.encKey, p.encValue].forEach((src, j) =>
      withCache.output(withCache.op('Identity', [src]), `then_${cacheOutputs[4 * i + j]}`, 'FLOAT'),
    );
  });

  // First step: must not read the past inputs (older runtimes send them with a wrong batch).
  const noCache = g.subgraph('no_cache');
  const batch = noCache.op('Slice', [noCache.op('Shape', [ids]), noCache.constInt64([0]), noCache.constInt64([1])]);
  const emptyShape = noCache.op('Concat', [batch, noCache.constInt64([heads, 0, hd])], { axis: 0 });
  const empty = noCache.op('ConstantOfShape', [emptyShape]); // float zeros by default
  layers.forEach((layer, i) => {
    const name = `model.decoder.layers.${i}.encoder_attn`;
    const outs = [
      noCache.op('Identity', [empty]),
      noCache.op('Identity', [empty]),
      L.projectHeads(noCache, encStates, layer.crossAttn.k, `${name}.k_proj`),
      L.projectHeads(noCache, encStates, layer.crossAttn.v, `${name}.v_proj`),
    ];
    outs.forEach((value, j) => noCache.output(value, `else_${cacheOutputs[4 * i + j]}`, 'FLOAT'));
  });

  const branchOut = g.opN('If', [useCache], cacheOutputs.length, {
    then_branch: { graph: withCache.build(false) },
    else_branch: { graph: noCache.build(false) },
  }, 'cache_select');

  // Positions continue after the cached tokens: position = past_len + i.
  const pastLength = L.dim(g, branchOut[0], 2);
  const newLength = L.dim(g, ids, 1);
  const totalLength = g.op('Add', [pastLength, newLength]);
  const one = g.constInt64([1], []);
  const positions = g.op('Range', [pastLength, totalLength, one]);
  let x = L.embedWithPositions(ids, positions, 'model.decoder.embed_positions.weight');

  // Causal mask [T, past + T]: query at position p sees keys at positions <= p.
  const keyPositions = g.op('Range', [g.constInt64([0], []), totalLength, one]);
  const future = g.op('Greater', [
    g.op('Unsqueeze', [keyPositions, g.constInt64([0])]),
    g.op('Unsqueeze', [positions, g.constInt64([1])]),
  ]);
  const causal = g.op('Where', [future, g.constFloat([MASKED], []), g.constFloat([0], [])]);
  const crossMask = L.paddingMask(encMask);

  const presents: { name: string; value: string }[] = [];
  layers.forEach((layer, i) => {
    const name = `model.decoder.layers.${i}`;
    const [pastK, pastV, encK, encV] = branchOut.slice(4 * i, 4 * i + 4);
    const newK = L.projectHeads(g, x, layer.selfAttn.k, `${name}.self_attn.k_proj`);
    const newV = L.projectHeads(g, x, layer.selfAttn.v, `${name}.self_attn.v_proj`);
    const keys = g.op('Concat', [pastK, newK], { axis: 2 });
    const values = g.op('Concat', [pastV, newV], { axis: 2 });
    const selfAttended = L.attend(x, keys, values, causal, layer.selfAttn, `${name}.self_attn`);
    x = L.addNorm(x, selfAttended, layer.selfAttnNorm, `${name}.self_attn_layer_norm`);
    const crossAttended = L.attend(x, encK, encV, crossMask, layer.crossAttn, `${name}.encoder_attn`);
    x = L.addNorm(x, crossAttended, layer.crossAttnNorm, `${name}.encoder_attn_layer_norm`);
    x = L.addNorm(x, L.feedForward(x, layer.fc1, layer.fc2, name), layer.finalNorm, `${name}.final_layer_norm`);
    presents.push(
      { name: `present.${i}.decoder.key`, value: keys },
      { name: `present.${i}.decoder.value`, value: values },
      { name: `present.${i}.encoder.key`, value: encK },
      { name: `present.${i}.encoder.value`, value: encV },
    );
  });

  g.output(ops.logits(g, x), 'logits', 'FLOAT', ['batch_size', 'decoder_sequence_length', vocabSize]);
  for (const p of presents) {
    const length = p.name.includes('.decoder.') ? 'present_decoder_sequence_length' : 'encoder_sequence_length_out';
    g.output(p.value, p.name, 'FLOAT', ['batch_size', heads, length, hd]);
  }
  return wrapModel(g.build(), `MarianMT merged decoder (generated, random weights, ${dtype})`);
}
