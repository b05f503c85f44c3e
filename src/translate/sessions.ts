/**
 * A Marian model's two sessions as a worker runs them: loaded by transformers.js
 * (`AutoModelForSeq2SeqLM.from_pretrained`: its file naming per dtype, its session setup on the
 * onnxruntime-node it ships), then driven directly by fr2en's search (search/marian-decoder.ts),
 * which re-forms rows and caches between steps as transformers.js' own `generate` cannot.
 * transformers.js opens the ONNX files by path, so the weights of a prepared model are mapped, not
 * copied (src/models/onnx/external-data.ts).
 */
import type { ModelDtype } from '../models/files.js';
import type { MarianSessions } from './search/marian-decoder.js';
import { sessionsOfModel } from './search/transformers-model.js';
import type { ModelConfigs } from './search-settings.js';

export type LoadedModel = MarianSessions &
  ModelConfigs & {
    release(): Promise<void>;
    /** Writes ONNX Runtime's profile of each session (opened with `enableProfiling`). */
    endProfiling(): Promise<void>;
  };

/** `extraOptions`: more ONNX Runtime session options (the benchmark's profile row turns on ORT's profiler). */
export async function openMarianSessions(modelPath: string, dtype: ModelDtype, threads: number, extraOptions: Record<string, unknown> = {}): Promise<LoadedModel> {
  const { AutoModelForSeq2SeqLM, env, LogLevel } = await import('@huggingface/transformers');
  // fr2en resolves and downloads models itself: the library must never fetch. Its warning that
  // MarianTokenizer has no "fast" implementation concerns a tokenizer workers do not load.
  env.allowRemoteModels = false;
  env.logLevel = LogLevel.ERROR;
  // Spinning off: between two decoder steps the process runs JavaScript (search bookkeeping);
  // intra-op threads spinning meanwhile would take the cores it needs (+24% measured with 2
  // intra-op threads; moot with the default 1).
  const session_options = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    logSeverityLevel: 3 as const,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
    ...extraOptions,
  };
  const model = await AutoModelForSeq2SeqLM.from_pretrained(modelPath, { dtype, session_options, local_files_only: true });
  return {
    ...sessionsOfModel(model),
    generation_config: (model as unknown as { generation_config?: object | null }).generation_config ?? null,
    release: async () => {
      await model.dispose();
    },
    endProfiling: async () => {
      for (const session of Object.values(model.sessions as Record<string, { endProfiling(): Promise<void> }>)) await session.endProfiling();
    },
  };
}
