/**
 * One cross-attention cache per sentence instead of one per beam.
 *
 * With beam search a batch of n sentences decodes n x beams rows, and every row of a sentence
 * attends over the same encoder keys and values. A merged decoder takes them as inputs of one row
 * each (`past_key_values.{i}.encoder.{key|value}`, `[rows, heads, source, head_dim]`), so the
 * caller holds each sentence's cache once per beam (at 16 sentences x 4 beams, about 75 MB more
 * per worker) and copies it to every beam when beams are expanded.
 *
 * After this edit those inputs take one row per sentence (their first dimension is named
 * `fr2en_sentences`), and the caller must keep each sentence's rows together, the same number for
 * every sentence (beam search does: numBeams rows per sentence; greedy search: one). In the cached
 * branch, each cross-attention product takes its queries as `[sentences, beams, heads, 1, d]` and
 * the cache as `[sentences, 1, heads, ...]`, broadcast over the beams, and its result goes back
 * to the original shape before anything else reads it. Each row's product is still a one-row
 * product over the same keys. One difference, measured: ONNX Runtime's kernels for the broadcast
 * products round differently with the batch's padded source length, so fp32 log-probabilities can
 * move in the 8th digit with the rows a sentence shares its batch with (token ids did not change
 * in any test here, but on the random full-size model only 34% of greedy q8 sentences kept every
 * token id). So prepare.ts makes this edit in a copy of its own, for beam search only.
 *
 * The edit applies to the two layouts a Marian decoder is written in: attention in 4-D (fr2en's
 * generator: keys `Transpose(past, [0, 1, 3, 2])` into the scores' MatMul, values straight into the
 * second MatMul) and in 3-D, as Optimum exports transformers' Marian attention (each cache first
 * reshaped to `[rows * heads, length, head_dim]`, keys then `Transpose([0, 2, 1])`). A graph whose
 * cross-attention reads its cache in any other way is left unchanged, and the caller keeps one
 * cache row per beam.
 */
import { DECODER_NAMES } from './decoder-names.js';
import { DATA_TYPE, PB, intAttribute, intsAttribute, intsAttributeValue, makeNode, producerOf, valueInfo, valueInfoName, type Attribute, type Graph, type Node } from './graph.js';
import { decodeMessage, firstString, intField, intValue, messageField, stringField, type MessageField } from './message.js';

const CROSS_INPUT = /^past_key_values\.(\d+)\.encoder\.(key|value)$/;
const ATTRIBUTE_TENSOR = 4;
const ATTRIBUTE_TENSOR_FIELD = 5;
const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9 } as const;

/** Nodes added to a branch, named after what they are for. */
class Builder {
  readonly nodes: Node[] = [];
  #count = 0;
  constructor(readonly prefix: string) {}

  #name(hint: string): string {
    return `${this.prefix}/${hint}_${this.#count++}`;
  }

  op(opType: string, inputs: string[], attributes: Attribute[] = [], output = this.#name(opType)): string {
    this.nodes.push(makeNode(opType, inputs, [output], attributes));
    return output;
  }

  int64(values: readonly number[]): string {
    const raw = Buffer.alloc(values.length * 8);
    values.forEach((v, i) => raw.writeBigInt64LE(BigInt(v), i * 8));
    const output = this.#name('const');
    const tensor = messageField(ATTRIBUTE_TENSOR_FIELD, [intField(TENSOR.dims, values.length), intField(TENSOR.dataType, DATA_TYPE.int64), stringField(TENSOR.name, output), { number: TENSOR.rawData, wire: 2, data: raw }]);
    return this.op('Constant', [], [{ name: 'value', fields: [stringField(PB.attribute.name, 'value'), tensor, intField(PB.attribute.type, ATTRIBUTE_TENSOR)] }], output);
  }

  /** Dimensions `indices` of `x`'s shape, as a 1-D int64 tensor. */
  dims(x: string, indices: readonly number[]): string {
    return this.op('Gather', [this.op('Shape', [x]), this.int64(indices)], [intAttribute('axis', 0)]);
  }
}

/** The graph's `If(use_cache_branch)` branch that reads the cross-attention inputs (the cached one). */
function cachedBranch(graph: Graph): Graph | undefined {
  const select = graph.nodes.find((node) => node.opType === 'If' && node.inputs[0] === 'use_cache_branch');
  const branches = select?.attributes.flatMap((a) => (a.graph ? [a.graph] : [])) ?? [];
  const reading = branches.filter((branch) => branch.nodes.some((node) => node.inputs.some((name) => CROSS_INPUT.test(name))));
  return reading.length === 1 ? reading[0] : undefined;
}

const readersOf = (graph: Graph, name: string) => graph.nodes.filter((node) => node.inputs.includes(name));

/** A cross-attention product and how it reads its cache input. */
interface CacheProduct {
  readonly cache: string;
  readonly product: Node;
  /** The Reshape to [rows * heads, length, head_dim] of the 3-D layout; undefined in 4-D. */
  readonly flatten: Node | undefined;
}

/**
 * How `cache` reaches its MatMul (as input 1), or undefined when not in one of the two layouts:
 * - 4-D: keys `Transpose(perm 0,1,3,2)`, values directly;
 * - 3-D (`bmm`): `Reshape` first, then keys `Transpose(perm 0,2,1)`, values directly.
 */
function productOf(branch: Graph, cache: string): CacheProduct | undefined {
  const only = (name: string, counts: (node: Node) => boolean = () => true) => {
    const readers = readersOf(branch, name).filter(counts);
    return readers.length === 1 ? readers[0] : undefined;
  };
  let reader = only(cache);
  const flatten = reader?.opType === 'Reshape' && reader.inputs[0] === cache ? reader : undefined;
  // The flattened cache may also have its shape read (the source length, dimension 1, unchanged here).
  if (flatten) reader = only(flatten.outputs[0], (node) => node.opType !== 'Shape');
  if (cache.endsWith('.key')) {
    const perm = flatten ? '0,2,1' : '0,1,3,2';
    if (reader?.opType !== 'Transpose' || intsAttributeValue(reader, 'perm')?.join() !== perm) return undefined;
    reader = only(reader.outputs[0]);
  }
  if (reader?.opType !== 'MatMul' || reader.inputs.length !== 2 || only(reader.inputs[1]) !== reader) return undefined;
  return { cache, product: reader, flatten };
}

/**
 * Applies the edit described above; false (and no change) when the cross-attention does not read
 * its cache in one of the two layouts.
 */
export function shareCrossAttention(graph: Graph): boolean {
  const inputs = graph.inputs.map(valueInfoName).filter((name) => CROSS_INPUT.test(name));
  const branch = cachedBranch(graph);
  if (inputs.length === 0 || branch === undefined) return false;
  const products = inputs.map((cache) => productOf(branch, cache));
  if (products.some((p) => p === undefined)) return false;

  const b = new Builder('fr2en_shared_cross');
  const concat = (parts: string[]) => b.op('Concat', parts, [intAttribute('axis', 0)]);
  const sentences = b.dims(inputs[0], [0]);
  const head = b.nodes.splice(0);
  const replacedOperands: string[] = [];
  for (const { cache, product, flatten } of products as CacheProduct[]) {
    // The cache as [sentences, 1, heads, length, head_dim], broadcast over each sentence's beams;
    // keys transposed right into the product, which ONNX Runtime folds into it (transB).
    const perSentence = b.op('Reshape', [cache, concat([sentences, b.int64([1]), b.dims(cache, [1, 2, 3])])]);
    const operand = cache.endsWith('.key') ? b.op('Transpose', [perSentence], [intsAttribute('perm', [0, 1, 2, 4, 3])]) : perSentence;
    // 3-D: the flattened cache stays for what reads its shape (the source length), one row per sentence.
    if (flatten) flatten.inputs = [cache, concat([b.int64([-1]), b.dims(cache, [2, 3])])];
    // All of these read only graph inputs: they go at the start of the branch, before any reader.
    head.push(...b.nodes.splice(0));

    // queries [rows, heads, 1, n] (3-D: [rows * heads, 1, n]) -> [sentences, beams, heads, 1, n]
    const [queries, replaced] = product.inputs;
    const last = flatten ? 2 : 3;
    const grouped = b.op('Reshape', [queries, concat([sentences, b.int64([-1]), b.dims(cache, [1]), b.int64([1]), b.dims(queries, [last])])]);
    const before = b.nodes.splice(0);
    // result [sentences, beams, heads, 1, m] -> the original shape
    const output = product.outputs[0];
    const groupedOutput = `${output}/fr2en_per_sentence`;
    product.inputs = [grouped, operand];
    product.outputs = [groupedOutput];
    b.op('Reshape', [groupedOutput, concat([b.dims(queries, Array.from({ length: last }, (_, i) => i)), b.int64([-1])])], [], output);
    branch.nodes.splice(branch.nodes.indexOf(product), 1, ...before, product, ...b.nodes.splice(0));
    replacedOperands.push(replaced);
  }
  branch.nodes.unshift(...head);
  // What fed the products and nothing reads any more (the keys' old Transpose, a 3-D flatten no
  // Shape reads) goes, with what only it read.
  for (const name of replacedOperands) dropUnread(branch, name);
  graph.inputs = graph.inputs.map((field) => (CROSS_INPUT.test(valueInfoName(field)) ? withFirstDim(field, DECODER_NAMES.sentenceDim) : field));
  return true;
}

/** Removes the node making `name` when nothing reads it any more, then its unread inputs' makers. */
function dropUnread(branch: Graph, name: string): void {
  const producer = producerOf(branch, name);
  if (producer === undefined || branch.outputs.some((field) => valueInfoName(field) === name)) return;
  if (producer.outputs.some((output) => readersOf(branch, output).length > 0)) return;
  branch.nodes.splice(branch.nodes.indexOf(producer), 1);
  for (const input of producer.inputs) if (input !== '') dropUnread(branch, input);
}

/** A graph input's value info with its first dimension renamed. */
function withFirstDim(field: MessageField, name: string): MessageField {
  const type = decodeMessage(field.data).find((f) => f.number === PB.valueInfo.type)!;
  const tensorType = decodeMessage(decodeMessage(type.data).find((f) => f.number === PB.typeProto.tensorType)!.data);
  const elem = Number(intValue(tensorType.find((f) => f.number === PB.tensorType.elemType)!));
  const shapeField = tensorType.find((f) => f.number === PB.tensorType.shape);
  const dims = shapeField
    ? decodeMessage(shapeField.data).map((dim) => {
        const fields = decodeMessage(dim.data);
        const value = fields.find((f) => f.number === PB.dim.value);
        return value ? Number(intValue(value)) : (firstString(fields, PB.dim.param) ?? '');
      })
    : [];
  return valueInfo(field.number, valueInfoName(field), elem, [name, ...dims.slice(1)]);
}
