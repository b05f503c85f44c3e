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
 * The merged decoder has Optimum's layout (the whole decoder in each branch of an `If` on
 * use_cache_branch, empty encoder entries in the cached branch's `present`), so a step costs
 * what a step of the real export costs: no copies of the cache or the logits.
 */
import { GraphBuilder, tensor } from './graph-builder.js';
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
  const embeddingTable = (g: GraphBuilder): string => g.weight('model.shared.weight', [vocabSize, dModel], () => w.embeddings);
  return {
    linear(g, x, lin, name) {
      const weight = g.weight(`${name}.weight`, [lin.inDim, lin.outDim], () => lin.weight);
      const bias = g.weight(`${name}.bias`, [lin.outDim], () => lin.bias);
      return g.op('Add', [g.op('MatMul', [x, weight]), bias]);
    },
    embed(g, ids) {
      const rows = g.op('Gather', [embeddingTable(g), ids], { axis: 0 });
      return g.op('Mul', [rows, g.constFloat([Math.sqrt(dModel)], [])]);
    },
    logits(g, h) {
      // Gemm with transB reads the [V, d] embedding table as is: no transposed copy in the
      // file or in memory. Gemm wants 2-D input, hence the reshapes.
      const bias = g.weight('final_logits_bias', [vocabSize], () => w.finalLogitsBias);
      const flat = g.op('Reshape', [h, g.constInt64([-1, dModel])]);
      const out = g.op('Gemm', [flat, embeddingTable(g), bias], { transB: 1 });
      const batchAndTime = g.op('Slice', [g.op('Shape', [h]), g.constInt64([0]), g.constInt64([2])]);
      return g.op('Reshape', [out, g.op('Concat', [batchAndTime, g.constInt64([vocabSize])], { axis: 0 })]);
    },
  };
}

type Quantized = ReturnType<typeof quantizeSymmetric>;

/** Each weight matrix is quantized once per model, however many graphs and branches read it. */
const quantizedCache = new WeakMap<object, Quantized>();
function quantizedOnce(key: object, quantize: () => Quantized): Quantized {
  let cached = quantizedCache.get(key);
  if (cached === undefined) quantizedCache.set(key, (cached = quantize()));
  return cached;
}

function q8Ops(w: MarianWeights): WeightOps {
  const { vocabSize, dModel } = w.dims;
  // Per-row scales for the Gather table; the same int8 values, transposed, with the same
  // scales per column, serve the output projection.
  const embQ = () => quantizedOnce(w.embeddings, () => quantizeSymmetric(w.embeddings, vocabSize, dModel, 0));
  const quantizedMatMul = (g: GraphBuilder, x: string, weight: string, scales: string, bias: string): string => {
    const [xq, xScale, xZero] = g.opN('DynamicQuantizeLinear', [x], 3);
    const product = g.op('MatMulInteger', [xq, weight, xZero]);
    const scale = g.op('Mul', [xScale, scales]);
    return g.op('Add', [g.op('Mul', [g.op('Cast', [product], { to: 1 /* FLOAT */ }), scale]), bias]);
  };
  return {
    linear(g, x, lin, name) {
      const q = () => quantizedOnce(lin, () => quantizeSymmetric(lin.weight, lin.inDim, lin.outDim, 1));
      const weight = g.weight(`${name}.weight_quantized`, [lin.inDim, lin.outDim], () => q().values);
      const scales = g.weight(`${name}.weight_scale`, [lin.outDim], () => q().scales);
      const bias = g.weight(`${name}.bias`, [lin.outDim], () => lin.bias);
      return quantizedMatMul(g, x, weight, scales, bias);
    },
    embed(g, ids) {
      const values = g.weight('model.shared.weight_quantized', [vocabSize, dModel], () => embQ().values);
      // sqrt(d_model) is folded into the row scales: one Mul instead of two.
      const scales = g.weight('model.shared.weight_scale_x_sqrt_d', [vocabSize, 1], () =>
        embQ().scales.map((scale) => scale * Math.sqrt(dModel)),
      );
      const rows = g.op('Cast', [g.op('Gather', [values, ids], { axis: 0 })], { to: 1 });
      return g.op('Mul', [rows, g.op('Gather', [scales, ids], { axis: 0 })]);
    },
    logits(g, h) {
      const weight = g.weight('lm_head.weight_quantized', [dModel, vocabSize], () => transposeInt8(embQ().values, vocabSize, dModel));
      const scales = g.weight('lm_head.weight_scale', [vocabSize], () => embQ().scales);
      const bias = g.weight('final_logits_bias', [vocabSize], () => w.finalLogitsBias);
      return quantizedMatMul(g, h, weight, scales, bias);
    },
  };
}

/**
 * How attention is written: `4d` (fr2en's own, products batched over [batch, heads]) or `bmm`
 * (Optimum's export of transformers' Marian: reshaped to 3-D for each product).
 */
export type AttentionLayout = '4d' | 'bmm';

/** The layers' building blocks, written into one graph (the encoder's, or a decoder branch). */
class Layers {
  readonly #g: GraphBuilder;
  readonly #ops: WeightOps;
  readonly #dims: MarianDims;
  readonly #layout: AttentionLayout;

  constructor(g: GraphBuilder, ops: WeightOps, dims: MarianDims, layout: AttentionLayout) {
    this.#g = g;
    this.#ops = ops;
    this.#dims = dims;
    this.#layout = layout;
  }

  get headDim(): number {
    return this.#dims.dModel / this.#dims.heads;
  }

  /** x [B, T, d] -> [B, H, T, head_dim], the layout of the k/v cache. */
  projectHeads(x: string, lin: Linear, name: string): string {
    const g = this.#g;
    const y = this.#ops.linear(g, x, lin, name);
    const split = g.op('Reshape', [y, g.constInt64([0, -1, this.#dims.heads, this.headDim])]);
    return g.op('Transpose', [split], { perm: [0, 2, 1, 3] });
  }

  /** Scaled dot-product attention of x's queries over keys/values [B, H, S, hd]. */
  attend(x: string, keys: string, values: string, mask: string, attn: Attention, name: string): string {
    const g = this.#g;
    const q = this.projectHeads(x, attn.q, `${name}.q_proj`);
    const scaled = g.op('Mul', [q, g.constFloat([1 / Math.sqrt(this.headDim)], [])]);
    const context = this.#layout === 'bmm' ? this.#contextBmm(scaled, keys, values, mask) : this.#context4d(scaled, keys, values, mask);
    const merged = g.op('Reshape', [g.op('Transpose', [context], { perm: [0, 2, 1, 3] }), g.constInt64([0, -1, this.#dims.dModel])]);
    return this.#ops.linear(g, merged, attn.out, `${name}.out_proj`);
  }

  /** Attention in 4-D: products batched over [B, H]. Returns the context [B, H, T, hd]. */
  #context4d(q: string, keys: string, values: string, mask: string): string {
    const g = this.#g;
    const scores = g.op('MatMul', [q, g.op('Transpose', [keys], { perm: [0, 1, 3, 2] })]);
    const probs = g.op('Softmax', [g.op('Add', [scores, mask])], { axis: -1 });
    return g.op('MatMul', [probs, values]);
  }

  /**
   * Attention as transformers' Marian writes it and Optimum exports it: queries, keys and values
   * reshaped to [B*H, len, hd] for 3-D products (`bmm`), the mask added in 4-D between them.
   */
  #contextBmm(q: string, keys: string, values: string, mask: string): string {
    const g = this.#g;
    const { heads } = this.#dims;
    // (batch * heads, -1, head_dim), batch read from the queries, as the export reads it from the hidden states.
    const rowsTimesHeads = g.op('Mul', [this.dims(q, [0]), g.constInt64([heads])]);
    const shape3 = g.op('Concat', [rowsTimesHeads, g.constInt64([-1, this.headDim])], { axis: 0 });
    const flat = (x: string) => g.op('Reshape', [x, shape3]);
    const flatKeys = flat(keys);
    const scores = g.op('MatMul', [flat(q), g.op('Transpose', [flatKeys], { perm: [0, 2, 1] })]);
    // view(batch, heads, target length, source length), the source length read from the keys.
    const scores4 = g.op('Reshape', [scores, g.op('Concat', [this.dims(q, [0, 1, 2]), this.dims(flatKeys, [1])], { axis: 0 })]);
    const masked = g.op('Add', [scores4, mask]);
    const probs = g.op('Softmax', [g.op('Reshape', [masked, g.op('Concat', [rowsTimesHeads, this.dims(q, [2]), this.dims(flatKeys, [1])], { axis: 0 })])], { axis: -1 });
    const context = g.op('MatMul', [probs, flat(values)]);
    return g.op('Reshape', [context, g.op('Concat', [this.dims(q, [0, 1, 2]), g.constInt64([-1])], { axis: 0 })]);
  }

  /** Post-norm residual: LN(residual + x). */
  addNorm(residual: string, x: string, norm: LayerNorm, name: string): string {
    const g = this.#g;
    const d = this.#dims.dModel;
    const gamma = g.weight(`${name}.weight`, [d], () => norm.gamma);
    const beta = g.weight(`${name}.bias`, [d], () => norm.beta);
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
    const table = g.weight(tableName, [maxPositions, dModel], () => sinusoidalPositions(maxPositions, dModel));
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
  dim(x: string, index: number): string {
    return this.#shapeAt(x, this.#g.constInt64([index], []));
  }

  /** Elements `indices` of a tensor's shape, as a 1-D int64 tensor. */
  dims(x: string, indices: readonly number[]): string {
    return this.#shapeAt(x, this.#g.constInt64(indices));
  }

  #shapeAt(x: string, indices: string): string {
    const g = this.#g;
    return g.op('Gather', [g.op('Shape', [x]), indices], { axis: 0 });
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

export function buildEncoder(w: MarianWeights, dtype: WeightDtype, layout: AttentionLayout = '4d'): Uint8Array {
  const { dModel } = w.dims;
  const g = new GraphBuilder('marian_encoder');
  const L = new Layers(g, opsFor(w, dtype), w.dims, layout);
  const ids = g.input('input_ids', 'INT64', ['batch_size', 'encoder_sequence_length']);
  const mask = g.input('attention_mask', 'INT64', ['batch_size', 'encoder_sequence_length']);

  const length = L.dim(ids, 1);
  const positions = g.op('Range', [g.constInt64([0], []), length, g.constInt64([1], [])]);
  let x = L.embedWithPositions(ids, positions, 'model.encoder.embed_positions.weight');
  const padding = L.paddingMask(mask);

  w.encoder.forEach((layer, i) => {
    const name = `model.encoder.layers.${i}`;
    const k = L.projectHeads(x, layer.selfAttn.k, `${name}.self_attn.k_proj`);
    const v = L.projectHeads(x, layer.selfAttn.v, `${name}.self_attn.v_proj`);
    const attended = L.attend(x, k, v, padding, layer.selfAttn, `${name}.self_attn`);
    x = L.addNorm(x, attended, layer.selfAttnNorm, `${name}.self_attn_layer_norm`);
    x = L.addNorm(x, L.feedForward(x, layer.fc1, layer.fc2, name), layer.finalNorm, `${name}.final_layer_norm`);
  });

  g.output(x, 'last_hidden_state', 'FLOAT', ['batch_size', 'encoder_sequence_length', dModel]);
  return wrapModel(g.build(), `MarianMT encoder (generated, random weights, ${dtype})`);
}

interface DecoderInputs {
  ids: string;
  encoderStates: string;
  encoderMask: string;
  past: { selfKey: string; selfValue: string; encoderKey: string; encoderValue: string }[];
}

/**
 * One branch of the merged decoder. As in Optimum's merged exports, each branch holds the whole
 * decoder, so a step copies nothing it does not need:
 * - `cached`: the self-attention cache grows by Concat and the cross-attention reads the encoder
 *   k/v inputs directly; the encoder entries of `present` are empty placeholders
 *   ([0, heads, 1, head_dim], Optimum's shape), because callers keep the first step's;
 * - not cached (first step): the past inputs are never read (older runtimes send them with a
 *   wrong batch size) and the encoder k/v are projected from encoder_hidden_states.
 */
function decoderBranch(root: GraphBuilder, name: string, cached: boolean, w: MarianWeights, ops: WeightOps, inputs: DecoderInputs, layout: AttentionLayout): GraphMessage {
  const g = root.subgraph(name);
  const L = new Layers(g, ops, w.dims, layout);
  const { heads } = w.dims;
  const one = g.constInt64([1], []);

  // Positions continue after the cached tokens: position = past_len + i.
  const newLength = L.dim(inputs.ids, 1);
  const pastLength = cached ? L.dim(inputs.past[0].selfKey, 2) : g.constInt64([0], []);
  const totalLength = cached ? g.op('Add', [pastLength, newLength]) : newLength;
  const positions = g.op('Range', [pastLength, totalLength, one]);
  let x = L.embedWithPositions(inputs.ids, positions, 'model.decoder.embed_positions.weight');

  // Causal mask [T, past + T]: query at position p sees keys at positions <= p.
  const keyPositions = g.op('Range', [g.constInt64([0], []), totalLength, one]);
  const future = g.op('Greater', [
    g.op('Unsqueeze', [keyPositions, g.constInt64([0])]),
    g.op('Unsqueeze', [positions, g.constInt64([1])]),
  ]);
  const causal = g.op('Where', [future, g.constFloat([MASKED], []), g.constFloat([0], [])]);
  const crossMask = L.paddingMask(inputs.encoderMask);
  const placeholder = () =>
    g.op('Constant', [], { value: { tensor: tensor('empty_encoder_kv', new Float32Array(0), [0, heads, 1, L.headDim]) } });

  const presents: string[] = [];
  w.decoder.forEach((layer, i) => {
    const prefix = `model.decoder.layers.${i}`;
    const past = inputs.past[i];
    const newK = L.projectHeads(x, layer.selfAttn.k, `${prefix}.self_attn.k_proj`);
    const newV = L.projectHeads(x, layer.selfAttn.v, `${prefix}.self_attn.v_proj`);
    const keys = cached ? g.op('Concat', [past.selfKey, newK], { axis: 2 }) : newK;
    const values = cached ? g.op('Concat', [past.selfValue, newV], { axis: 2 }) : newV;
    const encoderKey = cached ? past.encoderKey : L.projectHeads(inputs.encoderStates, layer.crossAttn.k, `${prefix}.encoder_attn.k_proj`);
    const encoderValue = cached ? past.encoderValue : L.projectHeads(inputs.encoderStates, layer.crossAttn.v, `${prefix}.encoder_attn.v_proj`);
    const selfAttended = L.attend(x, keys, values, causal, layer.selfAttn, `${prefix}.self_attn`);
    x = L.addNorm(x, selfAttended, layer.selfAttnNorm, `${prefix}.self_attn_layer_norm`);
    const crossAttended = L.attend(x, encoderKey, encoderValue, crossMask, layer.crossAttn, `${prefix}.encoder_attn`);
    x = L.addNorm(x, crossAttended, layer.crossAttnNorm, `${prefix}.encoder_attn_layer_norm`);
    x = L.addNorm(x, L.feedForward(x, layer.fc1, layer.fc2, prefix), layer.finalNorm, `${prefix}.final_layer_norm`);
    presents.push(keys, values, cached ? placeholder() : encoderKey, cached ? placeholder() : encoderValue);
  });

  [ops.logits(g, x), ...presents].forEach((value, j) => g.output(value, `${name}.output_${j}`, 'FLOAT'));
  return g.build(false);
}

export function buildDecoder(w: MarianWeights, dtype: WeightDtype, layout: AttentionLayout = '4d'): Uint8Array {
  const { dModel, heads, vocabSize } = w.dims;
  const g = new GraphBuilder('marian_decoder_merged');
  const ops = opsFor(w, dtype);
  const hd = dModel / heads;

  const encoderMask = g.input('encoder_attention_mask', 'INT64', ['batch_size', 'encoder_sequence_length']);
  const ids = g.input('input_ids', 'INT64', ['batch_size', 'decoder_sequence_length']);
  const encoderStates = g.input('encoder_hidden_states', 'FLOAT', ['batch_size', 'encoder_sequence_length', dModel]);
  const past = w.decoder.map((_, i) => ({
    selfKey: g.input(`past_key_values.${i}.decoder.key`, 'FLOAT', ['batch_size', heads, 'past_decoder_sequence_length', hd]),
    selfValue: g.input(`past_key_values.${i}.decoder.value`, 'FLOAT', ['batch_size', heads, 'past_decoder_sequence_length', hd]),
    encoderKey: g.input(`past_key_values.${i}.encoder.key`, 'FLOAT', ['batch_size', heads, 'encoder_sequence_length_out', hd]),
    encoderValue: g.input(`past_key_values.${i}.encoder.value`, 'FLOAT', ['batch_size', heads, 'encoder_sequence_length_out', hd]),
  }));
  const useCache = g.input('use_cache_branch', 'BOOL', [1]);
  const inputs = { ids, encoderStates, encoderMask, past };

  const presentNames = w.decoder.flatMap((_, i) =>
    ['decoder.key', 'decoder.value', 'encoder.key', 'encoder.value'].map((part) => `present.${i}.${part}`),
  );
  const results = g.opN('If', [useCache], 1 + presentNames.length, {
    then_branch: { graph: decoderBranch(g, 'use_cache', true, w, ops, inputs, layout) },
    else_branch: { graph: decoderBranch(g, 'no_cache', false, w, ops, inputs, layout) },
  }, 'cache_select');
  g.output(results[0], 'logits', 'FLOAT', ['batch_size', 'decoder_sequence_length', vocabSize]);
  presentNames.forEach((name, j) => {
    const length = name.includes('.decoder.') ? 'present_decoder_sequence_length' : 'encoder_sequence_length_out';
    g.output(results[j + 1], name, 'FLOAT', ['batch_size', heads, length, hd]);
  });
  return wrapModel(g.build(), `MarianMT merged decoder (generated, random weights, ${dtype})`);
}
