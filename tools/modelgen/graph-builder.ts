/**
 * A small builder for ONNX graphs: unique value names, typed constants, initializers and
 * subgraphs (the `If` branches of the merged decoder). Every initializer, including the
 * constants created inside a subgraph, lives in the root graph: subgraphs may read outer-scope
 * values, and one copy of each weight is all the file should hold.
 */
import {
  AttributeType,
  DataType,
  type AttributeMessage,
  type DataTypeName,
  type Dim,
  type GraphMessage,
  type NodeMessage,
  type TensorMessage,
  type ValueInfoMessage,
  valueInfo,
} from './onnx-proto.js';

/** Attribute values: an integer number is INT, an array of numbers INTS; wrap the rest. */
export type AttrValue = number | number[] | { float: number } | { graph: GraphMessage } | { tensor: TensorMessage };

export type TensorData = Float32Array | Int8Array | Uint8Array | BigInt64Array | Int32Array;

const typeOfData = (data: TensorData): number => {
  if (data instanceof Float32Array) return DataType.FLOAT;
  if (data instanceof Int8Array) return DataType.INT8;
  if (data instanceof Uint8Array) return DataType.UINT8;
  if (data instanceof BigInt64Array) return DataType.INT64;
  return DataType.INT32;
};

export function tensor(name: string, data: TensorData, dims: readonly number[]): TensorMessage {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new Error(`Tensor ${name}: dims [${dims.join(', ')}] need ${count} values, got ${data.length}`);
  }
  // ONNX raw_data is little-endian; typed arrays are host-endian, little-endian on every
  // platform Node ships for.
  return {
    name,
    dims: [...dims],
    data_type: typeOfData(data),
    raw_data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

function attribute(name: string, value: AttrValue): AttributeMessage {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`Attribute ${name}: wrap floats as { float: ${value} }`);
    return { name, type: AttributeType.INT, i: value };
  }
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  if ('graph' in value) return { name, type: AttributeType.GRAPH, g: value.graph };
  return { name, type: AttributeType.TENSOR, t: value.tensor };
}

interface Shared {
  counter: number;
  initializers: TensorMessage[];
  initializerNames: Set<string>;
  constants: Map<string, string>;
}

export class GraphBuilder {
  readonly #name: string;
  readonly #shared: Shared;
  readonly #nodes: NodeMessage[] = [];
  readonly #inputs: ValueInfoMessage[] = [];
  readonly #outputs: ValueInfoMessage[] = [];

  constructor(name: string, shared?: Shared) {
    this.#name = name;
    this.#shared = shared ?? { counter: 0, initializers: [], initializerNames: new Set(), constants: new Map() };
  }

  /** A branch graph (for `If`): shares names and initializers with this one. */
  subgraph(name: string): GraphBuilder {
    return new GraphBuilder(name, this.#shared);
  }

  input(name: string, type: DataTypeName, shape: readonly Dim[]): string {
    this.#inputs.push(valueInfo(name, type, shape));
    return name;
  }

  /**
   * Declares `value` as a graph output called `name`. A value computed by this graph's nodes is
   * renamed in place; anything else (an input, an outer-scope value) goes through an Identity,
   * which copies it at run time. Without a shape only the element type is declared, as `If`
   * branch outputs allow.
   */
  output(value: string, name: string, type: DataTypeName, shape?: readonly Dim[]): void {
    if (value !== name) {
      if (this.#nodes.some((node) => node.output.includes(value))) renameValue(this.#nodes, value, name);
      else this.#node('Identity', [value], [name], {});
    }
    this.#outputs.push(valueInfo(name, type, shape));
  }

  initializer(name: string, data: TensorData, dims: readonly number[]): string {
    if (this.#shared.initializerNames.has(name)) throw new Error(`Duplicate initializer ${name}`);
    this.#shared.initializerNames.add(name);
    this.#shared.initializers.push(tensor(name, data, dims));
    return name;
  }

  /** A weight read from several subgraphs (the decoder's two branches): made on first use only. */
  weight(name: string, dims: readonly number[], make: () => TensorData): string {
    return this.#shared.initializerNames.has(name) ? name : this.initializer(name, make(), dims);
  }

  /** A small constant, written once per distinct value. */
  constInt64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.#constant('i64', values, dims, () => BigInt64Array.from(values, (v) => BigInt(v)));
  }

  constFloat(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.#constant('f32', values, dims, () => Float32Array.from(values));
  }

  #constant(kind: string, values: readonly number[], dims: readonly number[], make: () => TensorData): string {
    const key = `${kind}:${dims.join('x')}:${values.join(',')}`;
    let name = this.#shared.constants.get(key);
    if (name === undefined) {
      name = `const_${kind}_${this.#shared.constants.size}`;
      this.initializer(name, make(), dims);
      this.#shared.constants.set(key, name);
    }
    return name;
  }

  /** Adds a node with one output and returns that output's name. */
  op(type: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, hint?: string): string {
    const [out] = this.opN(type, inputs, 1, attrs, hint);
    return out;
  }

  /** Adds a node with `n` outputs. An empty input name marks an omitted optional input. */
  opN(type: string, inputs: readonly string[], n: number, attrs: Record<string, AttrValue> = {}, hint?: string): string[] {
    const base = `${hint ?? type}_${this.#shared.counter++}`;
    const outputs = Array.from({ length: n }, (_, i) => (n === 1 ? base : `${base}:${i}`));
    this.#node(type, inputs, outputs, attrs, base);
    return outputs;
  }

  #node(type: string, inputs: readonly string[], outputs: string[], attrs: Record<string, AttrValue>, name?: string): void {
    this.#nodes.push({
      name: name ?? `${type}_${this.#shared.counter++}`,
      op_type: type,
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
  }

  /** The graph message; initializers are attached to the root graph only. */
  build(isRoot = true): GraphMessage {
    return {
      name: this.#name,
      node: this.#nodes,
      initializer: isRoot ? this.#shared.initializers : [],
      input: this.#inputs,
      output: this.#outputs,
    };
  }
}

/** Renames a value where nodes produce or read it, including inside their subgraphs. */
function renameValue(nodes: NodeMessage[], from: string, to: string): void {
  for (const node of nodes) {
    node.input = node.input.map((v) => (v === from ? to : v));
    node.output = node.output.map((v) => (v === from ? to : v));
    for (const attr of node.attribute) if (attr.g) renameValue(attr.g.node, from, to);
  }
}
