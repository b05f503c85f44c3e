/**
 * A structural check of an ONNX file before ONNX Runtime opens it. ONNX Runtime reports most
 * damaged files cleanly, but a truncated one can abort the process that loads it. An ONNX file
 * is a protobuf ModelProto; walking its top-level fields, and those of its graph, reads only the
 * field headers (a few kilobytes of a 140 MB file) and finds any field that runs past the end of
 * the file, which is what truncation does.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelError } from './errors.js';
import { onnxFiles, type ModelDtype } from './files.js';

/** ModelProto.graph (onnx.proto). */
const MODEL_GRAPH_FIELD = 7;
/** GraphProto.node and GraphProto.initializer: a graph with neither is not a model. */
const GRAPH_NODE_FIELD = 1;
const GRAPH_INITIALIZER_FIELD = 5;

export async function checkOnnxFiles(folder: string, dtype: ModelDtype): Promise<void> {
  for (const file of onnxFiles(dtype)) await checkOnnxFile(join(folder, file));
}

export async function checkOnnxFile(path: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new ModelError('io', `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { file: path, cause: error });
  }
  try {
    const size = (await handle.stat()).size;
    const reader = new FieldReader(handle);
    const fail = (problem: string): never => {
      throw new ModelError('corrupt', `${path} is damaged (${problem}); download the model again (fr2en models download) or restore the file`, { file: path });
    };
    let graph: { start: number; end: number } | undefined;
    await reader.walk(0, size, (field, start, end) => {
      if (field === MODEL_GRAPH_FIELD) graph = { start, end };
    }, fail);
    if (graph === undefined) fail('no graph');
    let parts = 0;
    await reader.walk(graph!.start, graph!.end, (field) => {
      if (field === GRAPH_NODE_FIELD || field === GRAPH_INITIALIZER_FIELD) parts++;
    }, fail);
    if (parts === 0) fail('an empty graph');
  } finally {
    await handle.close();
  }
}

/** Reads protobuf field headers (tag, then length or value) without reading field contents. */
class FieldReader {
  readonly #handle: FileHandle;
  readonly #buffer = Buffer.alloc(64 * 1024);
  #bufferStart = 0;
  #bufferEnd = 0;

  constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  /** Calls `onField(number, contentStart, contentEnd)` for each field in [from, to). */
  async walk(from: number, to: number, onField: (field: number, start: number, end: number) => void, fail: (problem: string) => never): Promise<void> {
    let at = from;
    while (at < to) {
      const tag = await this.#varint(at, to, fail);
      at = tag.next;
      const field = Number(tag.value >> 3n);
      const wire = Number(tag.value & 7n);
      let end: number;
      if (wire === 0) end = (await this.#varint(at, to, fail)).next;
      else if (wire === 1) end = at + 8;
      else if (wire === 5) end = at + 4;
      else if (wire === 2) {
        const length = await this.#varint(at, to, fail);
        at = length.next;
        end = at + Number(length.value);
      } else return fail(`unexpected protobuf wire type ${wire} at byte ${at}`);
      if (field === 0) fail(`field number 0 at byte ${at}`);
      if (end > to) fail(`a field ends at byte ${end}, past the end of its container at byte ${to}: the file is truncated`);
      onField(field, at, end);
      at = end;
    }
  }

  async #varint(at: number, limit: number, fail: (problem: string) => never): Promise<{ value: bigint; next: number }> {
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      if (at + i >= limit) fail(`a field header is cut at byte ${at + i}: the file is truncated`);
      const byte = await this.#byte(at + i);
      value |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) return { value, next: at + i + 1 };
    }
    return fail(`a malformed field header at byte ${at}`);
  }

  async #byte(position: number): Promise<number> {
    if (position < this.#bufferStart || position >= this.#bufferEnd) {
      const { bytesRead } = await this.#handle.read(this.#buffer, 0, this.#buffer.length, position);
      this.#bufferStart = position;
      this.#bufferEnd = position + bytesRead;
      if (bytesRead === 0) return 0x80; // reading past the end: reported by the caller's limit check
    }
    return this.#buffer[position - this.#bufferStart];
  }
}
