/**
 * A structural check of an ONNX file before ONNX Runtime opens it. ONNX Runtime reports most
 * damaged files cleanly, but a truncated one can abort the process that loads it. An ONNX file
 * is a protobuf ModelProto; walking its top-level fields, and those of its graph, reads only the
 * field headers (a few kilobytes of a 140 MB file) and finds any field that runs past the end of
 * the file, which is what truncation does.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelError } from '../errors.js';
import { onnxFiles, type ModelDtype } from '../files.js';
import { FieldReader, type Fail, type Field } from './fields.js';
import { PB } from './graph.js';

export async function checkOnnxFiles(folder: string, dtype: ModelDtype): Promise<void> {
  for (const file of onnxFiles(dtype)) await checkOnnxFile(join(folder, file));
}

export async function checkOnnxFile(path: string): Promise<void> {
  await withOnnxFile(path, async () => undefined);
}

/** The model's fields and its graph's, checked for truncation, for `use` to look further. */
export interface OnnxLayout {
  reader: FieldReader;
  size: number;
  modelFields: Field[];
  graph: Field;
  graphFields: Field[];
  fail: Fail;
}

export async function withOnnxFile<T>(path: string, use: (layout: OnnxLayout) => Promise<T>): Promise<T> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new ModelError('io', `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { file: path, cause: error });
  }
  try {
    const size = (await handle.stat()).size;
    const reader = new FieldReader(handle);
    const fail: Fail = (problem) => {
      throw new ModelError('corrupt', `${path} is damaged (${problem}); download the model again (fr2en models download) or restore the file`, { file: path });
    };
    const modelFields = await reader.fields(0, size, fail);
    const graph = modelFields.find((field) => field.number === PB.model.graph && field.wire === 2) ?? fail('no graph');
    const graphFields = await reader.fields(graph.start, graph.end, fail);
    if (!graphFields.some((field) => field.number === PB.graph.node || field.number === PB.graph.initializer)) fail('an empty graph');
    return await use({ reader, size, modelFields, graph, graphFields, fail });
  } finally {
    await handle.close();
  }
}
