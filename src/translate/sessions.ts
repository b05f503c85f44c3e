/**
 * A Marian model's two sessions, opened by ONNX Runtime (the onnxruntime-node that transformers.js
 * runs on) from their files, as a worker process runs them: the weights of a prepared model are
 * then mapped, not copied (see src/models/onnx/external-data.ts). Nothing else of transformers.js
 * is loaded (the tokenizer stays in the main process); without it a worker holds about 57 MiB
 * less, and its JavaScript heap, whose collections a worker pays for every few steps, stays small.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { onnxFiles, type ModelDtype } from '../models/files.js';
import type { MarianSessions, OrtSessionLike, OrtTensorLike } from './search/marian-decoder.js';
import type { ModelConfigs } from './search-settings.js';

export type LoadedModel = MarianSessions & ModelConfigs & { release(): Promise<void> };

function readJson(file: string, optional: boolean): object | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as object;
  } catch (error) {
    if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function openMarianSessions(modelPath: string, dtype: ModelDtype, threads: number): Promise<LoadedModel> {
  const ort = await import('onnxruntime-node');
  // Spinning off: between two decoder steps the process runs JavaScript (search bookkeeping);
  // intra-op threads spinning meanwhile would take the cores it needs (+24% measured with 2
  // intra-op threads; moot with the default 1).
  const options = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    logSeverityLevel: 3 as const,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  const [encoderFile, decoderFile] = onnxFiles(dtype).map((rel) => path.join(modelPath, rel));
  const [encoder, decoder] = await Promise.all([ort.InferenceSession.create(encoderFile, options), ort.InferenceSession.create(decoderFile, options)]);
  return {
    encoder: encoder as unknown as OrtSessionLike,
    decoder: decoder as unknown as OrtSessionLike,
    config: readJson(path.join(modelPath, 'config.json'), false)!,
    generation_config: readJson(path.join(modelPath, 'generation_config.json'), true),
    tensor: (type, data, dims) => new ort.Tensor(type, data as never, [...dims]) as unknown as OrtTensorLike,
    release: async () => {
      await Promise.all([encoder.release(), decoder.release()]);
    },
  };
}
