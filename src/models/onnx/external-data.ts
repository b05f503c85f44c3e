/**
 * Copies an ONNX model with its weights moved to a data file beside it (ONNX's external data:
 * `model.onnx` keeps the graph and `model.onnx_data` the tensors' bytes), and lets the caller edit
 * the graph on the way. The weights are streamed from file to file, never held in memory.
 *
 * Why: ONNX Runtime copies weights stored inside the model into memory it owns, and keeps those
 * copies after it has repacked the int8 matrices for its kernels. Weights in a data file are
 * memory-mapped instead: the repacked matrices are the only copy in memory, and the tables read
 * row by row (the embeddings) cost only the rows a text uses, in pages the operating system shares
 * between the worker processes. Measured on opus-mt-fr-en q8: a worker's sessions take 137 MiB
 * instead of 257 after loading.
 */
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { withOnnxFile } from './check.js';
import type { Field, FieldReader } from './fields.js';
import { graphFromFields, encodeGraph, PB, type Graph } from './graph.js';
import { encodeMessage, intField, messageField, stringField, type MessageField } from './message.js';

/** Tensors at least this large go to the data file; smaller ones stay inline (they are copied anyway). */
const MIN_EXTERNAL_BYTES = 4096;
/** Offsets in the data file are multiples of this, so every tensor can be mapped on its own (64 KiB: Windows' mapping granularity). */
const ALIGNMENT = 65_536;
/** onnx.proto TensorProto.DataLocation.EXTERNAL. */
const EXTERNAL = 1;

/** The data file rewriteModel writes beside `model` (not `.onnx_data`, the exporters' own name, which a source model may already use). */
export function dataFileOf(model: string): string {
  return `${model}.data`;
}

/**
 * Writes to `dest` the model at `source` with its weights in `dataFileOf(dest)` (always written,
 * empty when no tensor is large enough), after `edit` changed its (now small) graph. Tensors
 * already in a data file of the source keep pointing at it (the caller links that file beside
 * `dest`). Fails (through the model file check) on a damaged file.
 */
export async function rewriteModel(source: string, dest: string, edit: (graph: Graph) => void): Promise<void> {
  const dataFile = dataFileOf(dest);
  const location = path.basename(dataFile);
  await withOnnxFile(source, async ({ reader, modelFields, graph: graphField, graphFields, fail }) => {
    const input = await open(source, 'r');
    const data = await open(dataFile, 'wx');
    let offset = 0;
    try {
      const fields: MessageField[] = [];
      for (const field of graphFields) {
        if (field.number !== PB.graph.initializer || field.wire !== 2) {
          fields.push(await readField(reader, field));
          continue;
        }
        const tensor = await reader.fields(field.start, field.end, fail);
        const raw = tensor.find((f) => f.number === PB.tensor.rawData && f.wire === 2);
        if (raw === undefined || raw.end - raw.start < MIN_EXTERNAL_BYTES || tensor.some((f) => f.number === PB.tensor.dataLocation)) {
          fields.push(await readField(reader, field));
          continue;
        }
        offset = Math.ceil(offset / ALIGNMENT) * ALIGNMENT;
        const length = raw.end - raw.start;
        await copyRange(input, data, raw.start, raw.end, offset);
        const header = await Promise.all(tensor.filter((f) => f !== raw).map((f) => readField(reader, f)));
        fields.push(
          messageField(PB.graph.initializer, [
            ...header,
            entry('location', location),
            entry('offset', String(offset)),
            entry('length', String(length)),
            intField(PB.tensor.dataLocation, EXTERNAL),
          ]),
        );
        offset += length;
      }
      const graph = graphFromFields(fields);
      edit(graph);
      const model: MessageField[] = [];
      for (const field of modelFields) {
        model.push(field === graphField ? { number: PB.model.graph, wire: 2, data: encodeGraph(graph) } : await readField(reader, field));
      }
      await data.sync();
      await writeModel(dest, model);
    } finally {
      await Promise.all([input.close(), data.close()]);
    }
  });
}

function entry(key: string, value: string): MessageField {
  return messageField(PB.tensor.externalData, [stringField(PB.entry.key, key), stringField(PB.entry.value, value)]);
}

/** A field of the file, read into memory (`start` is past the tag, and past the length for wire type 2). */
async function readField(reader: FieldReader, field: Field): Promise<MessageField> {
  return { number: field.number, wire: field.wire, data: await reader.bytes(field) };
}

async function writeModel(dest: string, fields: readonly MessageField[]): Promise<void> {
  const output = await open(dest, 'wx');
  try {
    await output.write(encodeMessage(fields));
    await output.sync();
  } finally {
    await output.close();
  }
}

async function copyRange(input: FileHandle, output: FileHandle, from: number, to: number, at: number): Promise<void> {
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (let position = from; position < to; ) {
    const { bytesRead } = await input.read(buffer, 0, Math.min(buffer.length, to - position), position);
    if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${position}`);
    await output.write(buffer.subarray(0, bytesRead), 0, bytesRead, at + (position - from));
    position += bytesRead;
  }
}
