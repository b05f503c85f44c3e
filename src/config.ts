/**
 * Translator options: defaults in one table, each field checked once here, frozen after.
 * Precedence (highest first): explicit option > environment (CLI only) > DEFAULTS.
 */
import { UsageError } from './errors.js';
import { DEFAULT_DTYPE, DEFAULT_MODEL_ID, MODEL_DTYPES, type ModelDtype } from './models/files.js';
import { DEFAULT_MODELS_DIR } from './models/store.js';
import type { DecodeSettings } from './translate/protocol.js';

export const DEFAULT_MODEL = DEFAULT_MODEL_ID;
export const DTYPES: readonly ModelDtype[] = MODEL_DTYPES;

export interface TranslatorOptions {
  /** Hub model id (looked up under modelsDir) or a path to a model folder. @default 'Xenova/opus-mt-fr-en' */
  model?: string;
  /** Folder holding downloaded models in the hub's layout. @default 'models' */
  modelsDir?: string;
  /** Weights to load: int8-quantized (`q8`, fast, small) or full precision (`fp32`). @default 'q8' */
  dtype?: ModelDtype;
  /**
   * Worker threads, each with its own copy of the model (about 300 MB in q8). Two workers of one
   * thread each beat one of two threads by about 58% on 2 cores (see the benchmark). @default 2
   */
  workers?: number;
  /** ONNX Runtime intra-op threads per worker. @default 1 */
  threads?: number;
  /** Sentences per model call. @default 16 */
  batchSize?: number;
  /** Beam width; 1 is greedy. @default 1 */
  beams?: number;
  /** Longest piece sent to the model, in tokens; longer sentences are cut at clauses. @default 200 */
  tokenBudget?: number;
  /** A model call running longer than this is abandoned and retried. @default 120000 */
  taskTimeoutMs?: number;
  /** Tries for a failing batch; the last goes sentence by sentence. @default 3 */
  maxAttempts?: number;
  /** Decoding overrides (length limits, repetition guard, forced length for benchmarks). */
  decode?: Partial<DecodeSettings>;
}

export type ResolvedTranslatorOptions = Readonly<Required<Omit<TranslatorOptions, 'decode'>> & { decode: Readonly<DecodeSettings> }>;

export const DEFAULTS = {
  model: DEFAULT_MODEL,
  modelsDir: DEFAULT_MODELS_DIR,
  dtype: DEFAULT_DTYPE,
  workers: 2,
  threads: 1,
  batchSize: 16,
  beams: 1,
  tokenBudget: 200,
  taskTimeoutMs: 120_000,
  maxAttempts: 3,
} as const satisfies Required<Omit<TranslatorOptions, 'decode'>>;

export const DEFAULT_DECODE: DecodeSettings = {
  beams: DEFAULTS.beams,
  // English runs about as long as French in tokens; 1.5x + 10 leaves room and still stops a loop.
  maxNewTokensFactor: 1.5,
  maxNewTokensMargin: 10,
  // opus-mt-fr-en loops on headlines and fragments (Helsinki-NLP/Opus-MT#89); a repeated 4-gram
  // is almost never right in one sentence, so forbidding it cuts loops short.
  noRepeatNgramSize: 4,
  repetitionPenalty: 1,
};

export function resolveTranslatorOptions(options: TranslatorOptions = {}): ResolvedTranslatorOptions {
  const merged = { ...DEFAULTS, ...stripUndefined(options) };
  if (!(DTYPES as readonly string[]).includes(merged.dtype)) {
    throw new UsageError(`Expected \`dtype\` to be one of ${DTYPES.join(', ')}, got ${String(merged.dtype)}`);
  }
  checkInteger('workers', merged.workers, 1, 64);
  checkInteger('threads', merged.threads, 1, 256);
  checkInteger('batchSize', merged.batchSize, 1, 1024);
  checkInteger('beams', merged.beams, 1, 32);
  checkInteger('tokenBudget', merged.tokenBudget, 8, 500);
  checkInteger('taskTimeoutMs', merged.taskTimeoutMs, 1, 24 * 3600 * 1000);
  checkInteger('maxAttempts', merged.maxAttempts, 1, 10);
  const decode = Object.freeze({ ...DEFAULT_DECODE, ...stripUndefined(options.decode ?? {}), beams: merged.beams });
  return Object.freeze({ ...merged, decode });
}

function checkInteger(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`Expected \`${name}\` to be an integer from ${min} to ${max}, got ${String(value)}`);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
