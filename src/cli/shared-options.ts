/**
 * Flags shared by several commands: which model, where it lives, where it comes from
 * (`translate`, `models`, `worker`, `serve`), and how the Translator runs (`translate`, `serve`).
 */
import type { Argv } from 'yargs';
import { DEFAULT_DECODE, DEFAULTS, DTYPES, defaultWorkers, type TranslatorOptions } from '../config.js';
import { QA_CHECKS } from '../document.js';
import { UsageError } from '../errors.js';
import { resolveModelEnv, type ModelDtype } from '../models/index.js';
import { parseQaChecks } from '../qa/index.js';

export interface ModelArgs {
  model: string;
  modelsDir: string;
  dtype: ModelDtype;
}

export interface HubArgs {
  offline: boolean;
  hubUrl?: string;
}

/** Where a missing model may come from: the hub flags and the token from the environment. */
export function hubSource(args: HubArgs, env: NodeJS.ProcessEnv): { offline: boolean; hubUrl?: string; token?: string } {
  return { offline: args.offline, hubUrl: args.hubUrl, token: resolveModelEnv(env).token };
}

export const modelsDirOption = (env: NodeJS.ProcessEnv) =>
  ({ type: 'string', default: resolveModelEnv(env).modelsDir ?? DEFAULTS.modelsDir, describe: 'Where models are stored (env FR2EN_MODELS_DIR)' }) as const;

export const hubUrlOption = (env: NodeJS.ProcessEnv) =>
  ({ type: 'string', default: resolveModelEnv(env).hubUrl, describe: 'Model hub or mirror URL (env HF_ENDPOINT; default https://huggingface.co)' }) as const;

export function modelOptions<T>(yargs: Argv<T>, env: NodeJS.ProcessEnv): Argv<T & ModelArgs> {
  return yargs.options({
    model: { alias: 'm', type: 'string', default: DEFAULTS.model, describe: 'Hub model id (any MarianMT ONNX export) or a local model folder (./path)' },
    'models-dir': modelsDirOption(env),
    dtype: { type: 'string', choices: DTYPES, default: DEFAULTS.dtype, describe: 'Model weights: q8 (int8, fast, small) or fp32' },
  }) as unknown as Argv<T & ModelArgs>;
}

export function hubOptions<T>(yargs: Argv<T>, env: NodeJS.ProcessEnv): Argv<T & HubArgs> {
  return yargs.options({
    offline: {
      type: 'boolean',
      default: resolveModelEnv(env).offline,
      describe: 'Never use the network (also FR2EN_OFFLINE=1, HF_HUB_OFFLINE=1, TRANSFORMERS_OFFLINE=1)',
    },
    'hub-url': hubUrlOption(env),
  }) as unknown as Argv<T & HubArgs>;
}

/** Flags that configure the Translator itself (pool, batches, decoding, checks, backend): `translate` and `serve`. */
export interface TranslatorArgs {
  workers?: number;
  threads: number;
  batchSize: number;
  beams: number;
  ngramGuard: number;
  redis?: string;
  timeout: number;
  qa: string;
  minConfidence?: number;
}

export function translatorOptions<T>(yargs: Argv<T>): Argv<T & TranslatorArgs> {
  return yargs.options({
    workers: {
      type: 'number',
      describe: `Worker processes, each with its own copy of the model (about 300 MB in q8) [default: one per core as free memory allows; here ${defaultWorkers(DEFAULTS.dtype)}]`,
    },
    threads: { type: 'number', default: DEFAULTS.threads, describe: 'ONNX Runtime intra-op threads per worker' },
    'batch-size': { type: 'number', default: DEFAULTS.batchSize, describe: 'Sentences per model call (similar lengths are grouped)' },
    beams: { type: 'number', default: DEFAULT_DECODE.beams, describe: 'Beam width; 1 decodes greedily' },
    // Not `--no-repeat-ngram`: yargs reads `--no-X` as X=false.
    'ngram-guard': { type: 'number', default: DEFAULT_DECODE.noRepeatNgramSize, describe: 'No run of this many tokens may repeat within a sentence (stops loops); 0 turns the guard off' },
    redis: {
      type: 'string',
      describe: 'Translate on `fr2en worker` processes through Redis at this URL (redis://host:6379) instead of local workers; stops if none serves the model within 30 s',
    },
    qa: { type: 'string', default: 'all', describe: `Quality checks: all, off, or a comma-separated list (${QA_CHECKS.join(', ')})` },
    'min-confidence': { type: 'number', describe: 'Flag pairs whose confidence (mean log-probability per token, e.g. -1.5) is below this' },
    timeout: { type: 'number', default: DEFAULTS.taskTimeoutMs / 1000, describe: 'Seconds a model call may run before it is stopped and retried' },
  }) as unknown as Argv<T & TranslatorArgs>;
}

/** The Translator's options from its flags (checked later, once, by resolveTranslatorOptions). */
export function translatorOptionsFrom(args: ModelArgs & TranslatorArgs): TranslatorOptions {
  if (!(args.timeout > 0 && Number.isFinite(args.timeout))) throw new UsageError(`Expected \`--timeout\` to be a number of seconds > 0, got ${args.timeout}`);
  const checks = parseQaChecks(args.qa);
  return {
    model: args.model,
    modelsDir: args.modelsDir,
    dtype: args.dtype,
    workers: args.workers,
    threads: args.threads,
    batchSize: args.batchSize,
    decode: { beams: args.beams, noRepeatNgramSize: args.ngramGuard },
    taskTimeoutMs: Math.max(1, Math.round(args.timeout * 1000)),
    qa: checks.size === 0 ? false : [...checks],
    minConfidence: args.minConfidence,
    redis: args.redis,
  };
}

/** Library option names as the flags a user typed, for usage messages. */
export const TRANSLATOR_FLAGS: Readonly<Record<string, string>> = {
  workers: '--workers',
  threads: '--threads',
  batchSize: '--batch-size',
  'decode.beams': '--beams',
  'decode.noRepeatNgramSize': '--ngram-guard',
  minConfidence: '--min-confidence',
  model: '--model',
  modelsDir: '--models-dir',
  redis: '--redis',
  taskTimeoutMs: '--timeout',
};
