/**
 * Adds a `logprobs` output to a decoder: LogSoftmax over `logits`' last axis, computed inside
 * ONNX Runtime (vectorized) instead of in JavaScript. The search then reads log-probabilities
 * directly: greedy search gets each chosen token's log-probability (fr2en's confidence) for free,
 * and beam search no longer computes a log-sum-exp per row in JavaScript.
 *
 * The rewrite appends one node and one graph output to the GraphProto and copies every other byte
 * as it is: the weights are streamed, never parsed. Protobuf merges repeated fields in any
 * order, so the appended node and output are read as the graph's last ones.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { ONNX, withOnnxFile } from './check.js';
import { bytesField, stringField, stringOf, tag, varint, varintField, type Field, type FieldReader } from './fields.js';

export const LOGITS = 'logits';
export const LOG_PROBS = 'logprobs';

/** onnx.proto: AttributeProto.AttributeType.INT, TensorProto.DataType.FLOAT. */
const ATTRIBUTE_INT = 2;
const FLOAT = 1;

/** Whether the decoder at `path` has a `logits` output to add `logprobs` to (and none yet). */
export async function hasLogitsOutput(path: string): Promise<boolean> {
  return withOnnxFile(path, async ({ reader, graphFields }) => {
    const names = await outputNames(reader, graphFields);
    return names.includes(LOGITS) && !names.includes(LOG_PROBS);
  });
}

/** Writes to `dest` the decoder at `source` with the `logprobs` output added. */
export async function addLogProbsOutput(source: string, dest: string): Promise<void> {
  await withOnnxFile(source, async ({ reader, size, graph, graphFields, fail }) => {
    if (!(await outputNames(reader, graphFields)).includes(LOGITS)) fail(`no \`${LOGITS}\` output`);
    const appended = Buffer.concat([bytesField(ONNX.graph.node, logSoftmaxNode()), bytesField(ONNX.graph.output, logProbsValueInfo())]);
    const graphHeader = Buffer.concat([tag(ONNX.model.graph, 2), varint(graph.end - graph.start + appended.length)]);
    const input = await open(source, 'r');
    const output = await open(dest, 'wx');
    try {
      await copyRange(input, output, 0, graph.offset);
      await output.write(graphHeader);
      await copyRange(input, output, graph.start, graph.end);
      await output.write(appended);
      await copyRange(input, output, graph.end, size);
      await output.sync();
    } finally {
      await Promise.all([input.close(), output.close()]);
    }
  });
}

async function outputNames(reader: FieldReader, graphFields: readonly Field[]): Promise<string[]> {
  const names: string[] = [];
  for (const field of graphFields.filter((f) => f.number === ONNX.graph.output)) {
    const name = stringOf(await reader.bytes(field), ONNX.valueInfo.name);
    if (name !== undefined) names.push(name);
  }
  return names;
}

function logSoftmaxNode(): Buffer {
  const axis = Buffer.concat([stringField(1, 'axis'), varintField(3, -1), varintField(20, ATTRIBUTE_INT)]);
  return Buffer.concat([
    stringField(1, LOGITS), // input
    stringField(2, LOG_PROBS), // output
    stringField(3, 'fr2en_log_softmax'), // name
    stringField(4, 'LogSoftmax'), // op_type
    bytesField(5, axis), // attribute
  ]);
}

function logProbsValueInfo(): Buffer {
  const tensorType = varintField(1, FLOAT); // TypeProto.Tensor.elem_type; shape left to inference
  return Buffer.concat([stringField(1, LOG_PROBS), bytesField(2, bytesField(1, tensorType))]);
}

async function copyRange(input: FileHandle, output: FileHandle, from: number, to: number): Promise<void> {
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (let at = from; at < to; ) {
    const { bytesRead } = await input.read(buffer, 0, Math.min(buffer.length, to - at), at);
    if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${at}`);
    await output.write(buffer.subarray(0, bytesRead));
    at += bytesRead;
  }
}
