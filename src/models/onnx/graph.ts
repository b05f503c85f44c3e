/**
 * An ONNX GraphProto opened up for editing: its nodes (with their attributes, and the subgraphs
 * of `If` nodes as graphs of their own), inputs and outputs. Every field fr2en does not edit is
 * kept as the bytes it was read from, so `encodeGraph(parseGraph(bytes))` writes the graph back
 * as it was (field order within a kind kept).
 */
import {
  decodeMessage,
  encodeMessage,
  firstString,
  intField,
  intValue,
  messageField,
  readVarint,
  stringField,
  strings,
  type MessageField,
} from './message.js';

/** onnx.proto field numbers fr2en reads or writes (the file check, the graph edits, external data). */
export const PB = {
  model: { graph: 7 },
  graph: { node: 1, initializer: 5, input: 11, output: 12 },
  node: { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 },
  attribute: { name: 1, i: 3, g: 6, ints: 8, type: 20 },
  valueInfo: { name: 1, type: 2 },
  typeProto: { tensorType: 1 },
  tensorType: { elemType: 1, shape: 2 },
  shape: { dim: 1 },
  dim: { value: 1, param: 2 },
  tensor: { rawData: 9, externalData: 13, dataLocation: 14 },
  entry: { key: 1, value: 2 },
} as const;

/** onnx.proto AttributeProto.AttributeType.INT. */
const ATTRIBUTE_INT = 2;
/** onnx.proto AttributeProto.AttributeType.INTS. */
const ATTRIBUTE_INTS = 7;
/** onnx.proto TensorProto.DataType values used here. */
export const DATA_TYPE = { float: 1, int64: 7 } as const;

export interface Attribute {
  name: string;
  /** The AttributeProto's fields (name included). */
  fields: MessageField[];
  /** For a graph attribute (an `If` branch): the graph, edited in place and re-encoded. */
  graph?: Graph;
}

export interface Node {
  inputs: string[];
  outputs: string[];
  opType: string;
  domain: string;
  attributes: Attribute[];
  /** Every other field (name, doc_string, ...), as read. */
  rest: MessageField[];
}

export interface Graph {
  nodes: Node[];
  inputs: MessageField[];
  outputs: MessageField[];
  /** Every other field (initializers, value_info, name, ...), as read. */
  rest: MessageField[];
}

export function parseGraph(bytes: Buffer): Graph {
  return graphFromFields(decodeMessage(bytes));
}

export function graphFromFields(fields: readonly MessageField[]): Graph {
  const graph: Graph = { nodes: [], inputs: [], outputs: [], rest: [] };
  for (const field of fields) {
    if (field.number === PB.graph.node && field.wire === 2) graph.nodes.push(parseNode(field.data));
    else if (field.number === PB.graph.input) graph.inputs.push(field);
    else if (field.number === PB.graph.output) graph.outputs.push(field);
    else graph.rest.push(field);
  }
  return graph;
}

export function encodeGraph(graph: Graph): Buffer {
  return encodeMessage([
    ...graph.nodes.map((node) => messageField(PB.graph.node, encodeNodeFields(node))),
    ...graph.rest,
    ...graph.inputs,
    ...graph.outputs,
  ]);
}

function parseNode(bytes: Buffer): Node {
  const fields = decodeMessage(bytes);
  const node: Node = {
    inputs: strings(fields, PB.node.input),
    outputs: strings(fields, PB.node.output),
    opType: firstString(fields, PB.node.opType) ?? '',
    domain: firstString(fields, PB.node.domain) ?? '',
    attributes: [],
    rest: fields.filter((f) => ![PB.node.input, PB.node.output, PB.node.opType, PB.node.domain, PB.node.attribute].includes(f.number as never)),
  };
  for (const field of fields.filter((f) => f.number === PB.node.attribute)) {
    const attributeFields = decodeMessage(field.data);
    const name = firstString(attributeFields, PB.attribute.name) ?? '';
    const graphField = attributeFields.find((f) => f.number === PB.attribute.g);
    node.attributes.push({ name, fields: attributeFields, ...(graphField ? { graph: parseGraph(graphField.data) } : {}) });
  }
  return node;
}

function encodeNodeFields(node: Node): MessageField[] {
  return [
    ...node.inputs.map((name) => stringField(PB.node.input, name)),
    ...node.outputs.map((name) => stringField(PB.node.output, name)),
    stringField(PB.node.opType, node.opType),
    ...(node.domain ? [stringField(PB.node.domain, node.domain)] : []),
    ...node.attributes.map((attribute) =>
      messageField(
        PB.node.attribute,
        attribute.graph ? attribute.fields.map((f) => (f.number === PB.attribute.g ? { number: PB.attribute.g, wire: 2, data: encodeGraph(attribute.graph!) } : f)) : attribute.fields,
      ),
    ),
    ...node.rest,
  ];
}

/** A new node; attributes from `intAttribute` and friends. */
export function makeNode(opType: string, inputs: string[], outputs: string[], attributes: Attribute[] = [], domain = ''): Node {
  return { inputs, outputs, opType, domain, attributes, rest: [stringField(PB.node.name, `fr2en_${outputs[0]}`)] };
}

export function intAttribute(name: string, value: number | bigint): Attribute {
  return { name, fields: [stringField(PB.attribute.name, name), intField(PB.attribute.i, value), intField(PB.attribute.type, ATTRIBUTE_INT)] };
}

export function intAttributeValue(node: Node, name: string): bigint | undefined {
  const attribute = node.attributes.find((a) => a.name === name);
  const field = attribute?.fields.find((f) => f.number === PB.attribute.i);
  return field === undefined ? undefined : intValue(field);
}

export function intsAttribute(name: string, values: readonly number[]): Attribute {
  return { name, fields: [stringField(PB.attribute.name, name), ...values.map((v) => intField(PB.attribute.ints, v)), intField(PB.attribute.type, ATTRIBUTE_INTS)] };
}

/** An ints attribute's values, written one field each or packed in one. */
export function intsAttributeValue(node: Node, name: string): number[] | undefined {
  const attribute = node.attributes.find((a) => a.name === name);
  return attribute?.fields
    .filter((f) => f.number === PB.attribute.ints)
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

/** A tensor graph input or output: `name`, element type, and a shape of numbers or named dimensions. */
export function valueInfo(number: number, name: string, elemType: number, shape?: readonly (number | string)[]): MessageField {
  const tensorType: MessageField[] = [intField(PB.tensorType.elemType, elemType)];
  if (shape) {
    const dims = shape.map((d) => messageField(PB.shape.dim, [typeof d === 'number' ? intField(PB.dim.value, d) : stringField(PB.dim.param, d)]));
    tensorType.push(messageField(PB.tensorType.shape, dims));
  }
  return messageField(number, [stringField(PB.valueInfo.name, name), messageField(PB.valueInfo.type, [messageField(PB.typeProto.tensorType, tensorType)])]);
}

export function valueInfoName(field: MessageField): string {
  return firstString(decodeMessage(field.data), PB.valueInfo.name) ?? '';
}

/** The value info `field` with its name replaced. */
export function renameValueInfo(field: MessageField, name: string): MessageField {
  const fields = decodeMessage(field.data).map((f) => (f.number === PB.valueInfo.name ? stringField(PB.valueInfo.name, name) : f));
  return messageField(field.number, fields);
}

/** The node that produces `name` in `graph`, if any. */
export function producerOf(graph: Graph, name: string): Node | undefined {
  return graph.nodes.find((node) => node.outputs.includes(name));
}

/** Renames every use of `from` as a node input in `graph` (not its producer). */
export function renameUses(graph: Graph, from: string, to: string): void {
  for (const node of graph.nodes) node.inputs = node.inputs.map((name) => (name === from ? to : name));
}
