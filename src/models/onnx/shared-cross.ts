/**
 * One cross-attention cache per sentence instead of one per beam.
 *
 * With beam search a batch of n sentences decodes n x beams rows, and every row of a sentence
 * attends over the same encoder keys and values. A merged decoder takes them as inputs of one row
 * each (`past_key_values.{i}.encoder.{key|value}`, `[rows, heads, source, head_dim]`), so the
 * caller holds each sentence's cache once per beam: at 16 sentences x 4 beams, about 75 MB more
 * per worker, and as many small matrix products per step as there are rows x heads.
 *
 * After this edit those inputs take one row per sentence (their first dimension is named
 * `fr2en_sentences`), and the caller must keep each sentence's rows together, the same number for
 * every sentence (beam search does: numBeams rows per sentence; greedy search: one). In the cached
 * branch, each cross-attention product regroups its query rows by sentence: queries
 * `[rows, heads, 1, d]` become `[sentences, heads, beams, d]`, one product per sentence and head
 * with the beams as its rows, and the result goes back to `[rows, heads, 1, source]` (or `d`)
 * before anything else reads it. The numbers are those of the original products: each output row
 * is still one query row times the same keys.
 *
 * The edit applies to the layout fr2en's generator writes (attention in 4-D: keys
 * `Transpose(past, [0, 1, 3, 2])` into the scores' MatMul, values straight into the second
 * MatMul). A graph whose cross-attention reads its cache in any other way is left unchanged, and
 * the caller keeps one cache row per beam.
 */
import { DECODER_NAMES } from './decoder-names.js';
import { DATA_TYPE, PB, intAttribute, makeNode, valueInfo, valueInfoName, type Attribute, type Graph, type Node } from './graph.js';
import { decodeMessage, firstString, intField, intValue, messageField, readVarint, stringField, type MessageField } from './message.js';

const CROSS_INPUT = /^past_key_values\.(\d+)\.encoder\.(key|value)$/;
const ATTRIBUTE_INTS = 7;
const ATTRIBUTE_TENSOR = 4;
const ATTRIBUTE_FIELD = { ints: 8, t: 5 } as const;
const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9 } as const;
const SWAP_1_2 = [0, 2, 1, 3];

function intsAttribute(name: string, values: readonly number[]): Attribute {
  return { name, fields: [stringField(PB.attribute.name, name), ...values.map((v) => intField(ATTRIBUTE_FIELD.ints, v)), intField(PB.attribute.type, ATTRIBUTE_INTS)] };
}

/** An ints attribute's values, written one field each or packed in one. */
function intsOf(node: Node, name: string): number[] | undefined {
  const attribute = node.attributes.find((a) => a.name === name);
  return attribute?.fields
    .filter((f) => f.number === ATTRIBUTE_FIELD.ints)
    .flatMap((f) => {
      if (f.wire === 0) return [Number(intValue(f))];
      const values: number[] = [];
      for (let at = 0; at < f.data.length; ) {
        const { value, next } = readVarint(f.data, at);
        values.push(Number(BigInt.asIntN(64, value)));
        at = next;
      }
      return values;
    });
}

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
    const tensor = messageField(ATTRIBUTE_FIELD.t, [intField(TENSOR.dims, values.length), intField(TENSOR.dataType, DATA_TYPE.int64), stringField(TENSOR.name, output), { number: TENSOR.rawData, wire: 2, data: raw }]);
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

/**
 * Applies the edit described above; false (and no change) when the cross-attention does not read
 * its cache as expected.
 */
export function shareCrossAttention(graph: Graph): boolean {
  const inputs = graph.inputs.map(valueInfoName).filter((name) => CROSS_INPUT.test(name));
  const branch = cachedBranch(graph);
  if (inputs.length === 0 || branch === undefined) return false;
  // For each cache input, the MatMul that reads it (keys through their Transpose) at input 1.
  const products: Node[] = [];
  for (const name of inputs) {
    const readers = readersOf(branch, name);
    if (readers.length !== 1) return false;
    let reader = readers[0];
    if (name.endsWith('.key')) {
      if (reader.opType !== 'Transpose' || intsOf(reader, 'perm')?.join() !== '0,1,3,2') return false;
      const next = readersOf(branch, reader.outputs[0]);
      if (next.length !== 1) return false;
      reader = next[0];
    }
    if (reader.opType !== 'MatMul' || reader.inputs.length !== 2 || readersOf(branch, reader.inputs[1]).length !== 1) return false;
    products.push(reader);
  }

  const b = new Builder('fr2en_shared_cross');
  // The sentences count first: every regrouping reads it.
  const sentences = b.dims(inputs[0], [0]);
  branch.nodes.unshift(...b.nodes.splice(0));
  for (const product of products) {
    // queries [rows, heads, 1, d] -> [sentences, beams, heads, d] -> [sentences, heads, beams, d]
    const [queries] = product.inputs;
    const grouped = b.op('Reshape', [queries, b.op('Concat', [sentences, b.int64([-1]), b.dims(queries, [1, 3])], [intAttribute('axis', 0)])]);
    const byHead = b.op('Transpose', [grouped], [intsAttribute('perm', SWAP_1_2)]);
    const before = b.nodes.splice(0);
    // result [sentences, heads, beams, n] -> [sentences, beams, heads, n] -> [rows, heads, 1, n]
    const output = product.outputs[0];
    const perSentence = `${output}/fr2en_per_sentence`;
    product.inputs = [byHead, product.inputs[1]];
    product.outputs = [perSentence];
    const back = b.op('Transpose', [perSentence], [intsAttribute('perm', SWAP_1_2)]);
    b.op('Reshape', [back, b.op('Concat', [b.dims(queries, [0, 1, 2]), b.int64([-1])], [intAttribute('axis', 0)])], [], output);
    const after = b.nodes.splice(0);
    const at = branch.nodes.indexOf(product);
    branch.nodes.splice(at, 1, ...before, product, ...after);
  }
  graph.inputs = graph.inputs.map((field) => (CROSS_INPUT.test(valueInfoName(field)) ? withFirstDim(field, DECODER_NAMES.sentenceDim) : field));
  return true;
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
