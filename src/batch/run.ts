/**
 * A whole batch run, as `fr2en translate` does it and a library user can: find the inputs, make
 * sure the model is there (downloading it if allowed), open the translation memory, translate
 * every file, close everything. The configuration is resolved (and checked) before any of it.
 */
import { resolveRunConfig, type RunConfig, type RunOptions } from '../config.js';
import type { TranslationMemoryError } from '../cache/index.js';
import { ensureModel, type ProgressCallback } from '../models/index.js';
import { discoverInputs, type InputSource } from '../read/discover.js';
import type { InputError } from '../read/errors.js';
import { detectFrench } from '../read/language.js';
import type { ProgressEvent } from '../translate/scheduler.js';
import { Translator } from '../translator.js';
import { isOutputName, toolVersion } from '../write/index.js';
import { openRunCache, type RunCache } from './run-cache.js';
import { translateFiles, type BatchResult, type FileOutcome } from './translate-files.js';

export interface RunHooks {
  /** Inputs that could not be used (each is also in the result's `problems`), reported as found. */
  onProblem?: (problem: InputError) => void;
  /** The inputs found, before any is translated. */
  onStart?: (inputs: readonly InputSource[]) => void;
  onFile?: (outcome: FileOutcome) => void;
  onProgress?: (event: ProgressEvent) => void;
  /** Model download progress. */
  onDownload?: ProgressCallback;
  /** The translation memory failed and the run goes on without it (`cacheErrors: 'continue'`). */
  onCacheDisabled?: (error: TranslationMemoryError) => void;
  /** Stops scheduling; files in progress are dropped, finished ones kept. */
  signal?: AbortSignal;
  /** Where standard input's translation goes when there is no output folder. @default process.stdout */
  stdout?: { write(chunk: string): unknown };
  /** @default process.stdin */
  stdin?: AsyncIterable<Uint8Array>;
  /** Decides whether a paragraph is French. @default franc-based detection (src/read/language.ts) */
  isFrench?: (text: string) => boolean;
}

export interface RunResult extends BatchResult {
  config: RunConfig;
  problems: InputError[];
  /** Inputs left to other shards. */
  otherShards: number;
}

export async function runBatch(options: RunOptions | RunConfig, hooks: RunHooks = {}): Promise<RunResult> {
  const config = 'translator' in options ? options : resolveRunConfig(options);
  const discovery = await discoverInputs(config.inputs, {
    cwd: config.cwd,
    extensions: config.extensions,
    exclude: config.outDir ? [config.outDir] : [],
    outputs: config.outDir ? { dir: config.outDir, isOutputName } : undefined,
    shard: config.shard,
  });
  for (const problem of discovery.problems) hooks.onProblem?.(problem);
  const base = { config, problems: discovery.problems, otherShards: discovery.otherShards };
  if (discovery.inputs.length === 0) return { ...base, outcomes: [] };

  const { translator: settings, hub } = config;
  const model = await ensureModel({
    model: settings.model,
    dtype: settings.dtype,
    modelsDir: settings.modelsDir,
    offline: hub.offline,
    hubUrl: hub.hubUrl,
    revision: hub.revision,
    token: hub.token,
    onProgress: hooks.onDownload,
  });
  const version = toolVersion();
  let cache: RunCache | undefined;
  let translator: Translator | undefined;
  try {
    if (config.cache !== undefined) {
      cache = await openRunCache(config, model.folder, { toolVersion: version, onDisabled: hooks.onCacheDisabled });
    }
    hooks.onStart?.(discovery.inputs);
    const result = await translateFiles({
      config,
      inputs: discovery.inputs,
      translator: async () => (translator = await Translator.create(Object.freeze({ ...settings, modelPath: model.folder }))),
      records: cache?.outputs,
      memory: cache?.memory,
      toolVersion: version,
      stdout: hooks.stdout,
      stdin: hooks.stdin,
      isFrench: hooks.isFrench ?? ((text) => detectFrench(text).french),
      onProgress: hooks.onProgress,
      onFile: hooks.onFile,
      signal: hooks.signal,
    });
    return { ...base, ...result };
  } finally {
    cache?.close();
    await translator?.close();
  }
}
