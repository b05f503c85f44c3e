/**
 * The run configuration: made once, from library options or CLI flags, before any I/O; checked
 * field by field (each error names the option, what it accepts and what it got); frozen. Pool,
 * scheduler, cache keys and "up to date" keys are all derived from it, never declared again.
 *
 * Precedence (highest first): an explicit option > the environment (read by the CLI only, which
 * passes it in as options) > the defaults here.
 */
import os from 'node:os';
import path from 'node:path';
import { QA_CHECKS, type QaCheck } from './document.js';
import { UsageError } from './errors.js';
import { DEFAULT_DTYPE, DEFAULT_MODEL_ID, DEFAULT_REVISION, MODEL_DTYPES, type ModelDtype } from './models/files.js';
import { DEFAULT_MODELS_DIR } from './models/store.js';
import { parseExtensions, parseShard, type Shard } from './read/discover.js';
import { resolveEncoding, type ResolvedEncoding } from './read/bytes.js';
import type { DecodeSettings } from './translate/protocol.js';
import { DEFAULT_WIDTH, MIN_SBS_WIDTH, OUTPUT_FORMATS, isOutputFormat, type OutputFormat } from './write/index.js';

export const DEFAULT_MODEL = DEFAULT_MODEL_ID;
export const DTYPES: readonly ModelDtype[] = MODEL_DTYPES;

/** Settings of a Translator: which model, how many workers, how to decode, what to check. */
export interface TranslatorOptions {
  /** Hub model id (looked up under modelsDir) or a path to a model folder. @default 'Xenova/opus-mt-fr-en' */
  model?: string;
  /** Folder holding downloaded models in the hub's layout. @default 'models' */
  modelsDir?: string;
  /**
   * An already resolved model folder (skips the lookup under modelsDir). The CLI passes the folder
   * that model management verified or downloaded.
   */
  modelPath?: string;
  /** Weights to load: int8-quantized (`q8`, fast, small) or full precision (`fp32`). @default 'q8' */
  dtype?: ModelDtype;
  /**
   * Worker processes, each with its own copy of the model (about 300 MB in q8). Two workers of one
   * thread each beat one of two threads by about 58% on 2 cores (see the benchmark).
   * @default defaultWorkers(): one per core, as free memory allows
   */
  workers?: number;
  /** ONNX Runtime intra-op threads per worker. @default 1 */
  threads?: number;
  /** Sentences per model call. @default 16 */
  batchSize?: number;
  /** Longest piece sent to the model, in tokens; longer sentences are cut at clauses. @default 200 */
  tokenBudget?: number;
  /** A model call running longer than this (ms, from its start in a worker) is abandoned and retried. @default 120000 */
  taskTimeoutMs?: number;
  /** Tries for a failing batch; the last goes sentence by sentence. @default 3 */
  maxAttempts?: number;
  /** Decoding: beam width, length limits, repetition guard (and a forced length for benchmarks). */
  decode?: Partial<DecodeSettings>;
  /**
   * Quality checks run on every translated pair (src/qa/): the names to run, or `false` for none.
   * `low-confidence` runs only when `minConfidence` is set. @default every check
   */
  qa?: readonly QaCheck[] | false;
  /** Flag pairs whose confidence (mean log-probability per token) is below this. @default off */
  minConfidence?: number;
  /**
   * Translate on remote workers (`fr2en worker`) through a Redis queue at this URL
   * (`redis://host:6379`) instead of local worker processes. @default local workers
   */
  redis?: string;
}

/** Where model work runs: this machine's worker processes, or workers behind a Redis queue. */
export type BackendConfig = { readonly kind: 'local' } | { readonly kind: 'redis'; readonly url: string };

export interface TranslatorConfig {
  readonly model: string;
  readonly modelsDir: string;
  readonly modelPath: string | undefined;
  readonly dtype: ModelDtype;
  readonly workers: number;
  readonly threads: number;
  readonly batchSize: number;
  readonly tokenBudget: number;
  readonly taskTimeoutMs: number;
  readonly maxAttempts: number;
  readonly decode: Readonly<DecodeSettings>;
  /** Checks to run on each pair (empty: none). */
  readonly qa: readonly QaCheck[];
  readonly minConfidence: number | undefined;
  readonly backend: BackendConfig;
}

export const DEFAULTS = {
  model: DEFAULT_MODEL,
  modelsDir: DEFAULT_MODELS_DIR,
  dtype: DEFAULT_DTYPE,
  threads: 1,
  batchSize: 16,
  tokenBudget: 200,
  taskTimeoutMs: 120_000,
  maxAttempts: 3,
} as const;

export const DEFAULT_DECODE: DecodeSettings = {
  // Greedy: 4 beams (what opus-mt-fr-en's generation_config asks) cost about 3x the time for +1.3 BLEU; see README.
  beams: 1,
  // English runs about as long as French in tokens; 1.5x + 10 leaves room and still stops a loop.
  maxNewTokensFactor: 1.5,
  maxNewTokensMargin: 10,
  // opus-mt-fr-en loops on headlines and fragments (Helsinki-NLP/Opus-MT#89); a repeated 4-gram
  // is almost never right in one sentence, so forbidding it cuts loops short.
  noRepeatNgramSize: 4,
  repetitionPenalty: 1,
};

/** Resident memory of one worker at the default batch size (the benchmark's peak RSS, rounded up). */
export const WORKER_MEMORY_MB: Readonly<Record<ModelDtype, number>> = { q8: 300, fp32: 800 };

/**
 * Workers that fit this machine: one per core (at `threads` cores each), as long as free memory
 * holds a model copy per worker; at least one. On 2 cores this is 2, the benchmark's best.
 */
export function defaultWorkers(dtype: ModelDtype, threads = 1, machine = machineResources()): number {
  const byCores = Math.floor(machine.cores / threads);
  const byMemory = Math.floor(machine.freeMemoryMB / WORKER_MEMORY_MB[dtype]);
  return Math.max(1, Math.min(byCores, byMemory, 64));
}

export function machineResources(): { cores: number; freeMemoryMB: number } {
  // A container's memory limit can be far below the host's free memory.
  const constrained = process.constrainedMemory?.() ?? 0;
  const free = constrained > 0 ? Math.min(os.freemem(), constrained) : os.freemem();
  return { cores: os.availableParallelism(), freeMemoryMB: Math.floor(free / 2 ** 20) };
}

export function resolveTranslatorOptions(options: TranslatorOptions = {}): TranslatorConfig {
  const o = stripUndefined(options);
  const dtype = o.dtype ?? DEFAULTS.dtype;
  if (!(DTYPES as readonly string[]).includes(dtype)) {
    throw new UsageError(`Expected \`dtype\` to be one of ${DTYPES.join(', ')}, got ${String(dtype)}`);
  }
  const threads = checkInteger('threads', o.threads ?? DEFAULTS.threads, 1, 256);
  const decode = Object.freeze({ ...DEFAULT_DECODE, ...stripUndefined(o.decode ?? {}) });
  checkInteger('decode.beams', decode.beams, 1, 32);
  checkNumber('decode.maxNewTokensFactor', decode.maxNewTokensFactor, 0, 16);
  checkInteger('decode.maxNewTokensMargin', decode.maxNewTokensMargin, 0, 512);
  checkInteger('decode.noRepeatNgramSize', decode.noRepeatNgramSize, 0, 64);
  checkNumber('decode.repetitionPenalty', decode.repetitionPenalty, 0.01, 100);
  if (o.minConfidence !== undefined) checkNumber('minConfidence', o.minConfidence, -1000, 0);
  const qa = resolveChecks(o.qa, o.minConfidence);
  return Object.freeze({
    model: checkString('model', o.model ?? DEFAULTS.model),
    modelsDir: checkString('modelsDir', o.modelsDir ?? DEFAULTS.modelsDir),
    modelPath: o.modelPath,
    dtype,
    workers: checkInteger('workers', o.workers ?? defaultWorkers(dtype, threads), 1, 64),
    threads,
    batchSize: checkInteger('batchSize', o.batchSize ?? DEFAULTS.batchSize, 1, 1024),
    tokenBudget: checkInteger('tokenBudget', o.tokenBudget ?? DEFAULTS.tokenBudget, 8, 500),
    taskTimeoutMs: checkInteger('taskTimeoutMs', o.taskTimeoutMs ?? DEFAULTS.taskTimeoutMs, 1, 24 * 3600 * 1000),
    maxAttempts: checkInteger('maxAttempts', o.maxAttempts ?? DEFAULTS.maxAttempts, 1, 10),
    decode,
    qa,
    minConfidence: o.minConfidence,
    backend: o.redis === undefined ? Object.freeze({ kind: 'local' as const }) : Object.freeze({ kind: 'redis' as const, url: checkRedisUrl(o.redis) }),
  });
}

function checkRedisUrl(value: unknown): string {
  const url = typeof value === 'string' ? URL.parse(value) : null;
  if (url === null || !['redis:', 'rediss:'].includes(url.protocol)) {
    throw new UsageError(`Expected \`redis\` to be a URL such as redis://localhost:6379, got ${JSON.stringify(value)}`);
  }
  return value as string;
}

function resolveChecks(qa: TranslatorOptions['qa'], minConfidence: number | undefined): readonly QaCheck[] {
  if (qa === false) {
    if (minConfidence !== undefined) throw new UsageError('`minConfidence` needs the quality checks; it conflicts with turning them off');
    return Object.freeze([]);
  }
  const names = qa ?? QA_CHECKS;
  const unknown = names.filter((name) => !(QA_CHECKS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new UsageError(`Unknown quality check ${unknown.join(', ')}: expected ${QA_CHECKS.join(', ')}`);
  // low-confidence needs a threshold; a good one depends on the model, so there is no default.
  return Object.freeze([...new Set(names)].filter((name) => name !== 'low-confidence' || minConfidence !== undefined));
}

/** Where the model comes from when it is not on disk yet. */
export interface HubOptions {
  /** Never use the network. */
  offline?: boolean;
  /** A mirror or private hub with the hub's URL layout. @default 'https://huggingface.co' */
  hubUrl?: string;
  revision?: string;
  /** Token for private or gated models (never printed). */
  token?: string;
}

/** A batch job: which files, where the outputs go, in which formats. */
export interface RunOptions extends TranslatorOptions, HubOptions {
  /** Files, folders, globs, or `-` for standard input. */
  inputs: readonly string[];
  /** Output folder. Without it, standard input is translated to standard output. */
  outDir?: string;
  /** @default ['txt', 'jsonl'] with outDir, ['txt'] to standard output */
  formats?: readonly string[];
  /** Extensions taken from folders. @default ['txt'] */
  extensions?: readonly string[] | string;
  /** Input encoding label; detected per file when absent. */
  encoding?: string;
  /** `K/N`: only the inputs of shard K. */
  shard?: string;
  /** Translate again even when outputs are up to date. */
  force?: boolean;
  /** Translation memory file, or `false` for none. @default '<outDir>/.fr2en/cache.db' */
  cache?: string | false;
  /**
   * When the translation memory fails during the run (a full disk, a lock held too long):
   * `stop` the run with one message, or `continue` without the memory. @default 'stop'
   */
  cacheErrors?: 'stop' | 'continue';
  /** Leave paragraphs that are not French untranslated. */
  skipNonFrench?: boolean;
  /**
   * Files translated at once. Their sentences share batches, which keeps every worker busy on a
   * corpus of short articles (and many remote workers busy with `redis`); the price is that in q8 a
   * sentence's translation can then depend on the other files' sentences that shared its batch.
   * @default 1
   */
  parallelFiles?: number;
  /** Width of `sbs` output. @default 100 */
  width?: number;
  /** ANSI colour in `sbs` output. @default false */
  color?: boolean;
  /** Folder relative paths are resolved against. @default process.cwd() */
  cwd?: string;
}

export interface RunConfig {
  readonly translator: TranslatorConfig;
  readonly hub: Readonly<Required<Pick<HubOptions, 'offline' | 'revision'>> & Pick<HubOptions, 'hubUrl' | 'token'>>;
  readonly cwd: string;
  readonly inputs: readonly string[];
  /** Absolute; undefined when writing to standard output. */
  readonly outDir: string | undefined;
  readonly formats: readonly OutputFormat[];
  readonly extensions: readonly string[];
  readonly encoding: ResolvedEncoding | undefined;
  readonly shard: Shard | undefined;
  readonly force: boolean;
  /** Absolute path of the translation memory, or undefined for none. */
  readonly cache: string | undefined;
  readonly cacheErrors: 'stop' | 'continue';
  readonly skipNonFrench: boolean;
  readonly parallelFiles: number;
  readonly write: { readonly width: number; readonly color: boolean };
}

export function resolveRunConfig(options: RunOptions): RunConfig {
  const o = stripUndefined(options);
  const cwd = o.cwd ?? process.cwd();
  const inputs = [...(o.inputs ?? [])];
  if (inputs.length === 0) throw new UsageError('Name at least one input: a file, a folder, a glob, or - for standard input');
  const outDir = o.outDir === undefined ? undefined : path.resolve(cwd, checkString('outDir', o.outDir));
  if (outDir === undefined && !(inputs.length === 1 && inputs[0] === '-')) {
    throw new UsageError('Give an output folder with -o (only standard input, `-`, can be translated to standard output)');
  }
  const formats = resolveFormats(o.formats ?? (outDir === undefined ? ['txt'] : ['txt', 'jsonl']));
  if (outDir === undefined && formats.length > 1) {
    throw new UsageError(`Standard output takes one format, got ${formats.join(',')}; give -o to write several`);
  }
  const width = checkInteger('width', o.width ?? DEFAULT_WIDTH, MIN_SBS_WIDTH, 10_000);
  const translator = resolveTranslatorOptions(o);
  const cache = o.cache === false || outDir === undefined && o.cache === undefined
    ? undefined
    : path.resolve(cwd, o.cache ?? path.join(outDir!, '.fr2en', 'cache.db'));
  return Object.freeze({
    translator,
    hub: Object.freeze({ offline: o.offline ?? false, revision: o.revision ?? DEFAULT_REVISION, hubUrl: o.hubUrl, token: o.token }),
    cwd,
    inputs: Object.freeze(inputs),
    outDir,
    formats,
    extensions: Object.freeze(typeof o.extensions === 'string' ? parseExtensions(o.extensions) : parseExtensions((o.extensions ?? ['txt']).join(','))),
    encoding: o.encoding === undefined ? undefined : resolveEncoding(o.encoding),
    shard: o.shard === undefined ? undefined : parseShard(o.shard),
    force: o.force ?? false,
    cache,
    cacheErrors: checkChoice('cacheErrors', o.cacheErrors ?? 'stop', ['stop', 'continue'] as const),
    skipNonFrench: o.skipNonFrench ?? false,
    parallelFiles: checkInteger('parallelFiles', o.parallelFiles ?? 1, 1, 256),
    write: Object.freeze({ width, color: o.color ?? false }),
  });
}

function resolveFormats(values: readonly string[]): readonly OutputFormat[] {
  const names = values.flatMap((v) => v.split(',')).map((v) => v.trim());
  if (names.length === 0 || names.some((name) => name === '')) {
    throw new UsageError(`Expected \`formats\` to name formats (${OUTPUT_FORMATS.join(', ')}), got ${JSON.stringify(values.join(','))}`);
  }
  const unknown = names.filter((name) => !isOutputFormat(name));
  if (unknown.length > 0) throw new UsageError(`Unknown \`formats\` ${unknown.join(', ')}: expected ${OUTPUT_FORMATS.join(', ')}`);
  return Object.freeze([...new Set(names)] as OutputFormat[]);
}

function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`Expected \`${name}\` to be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function checkNumber(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`Expected \`${name}\` to be a number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function checkChoice<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (!(choices as readonly unknown[]).includes(value)) throw new UsageError(`Expected \`${name}\` to be one of ${choices.join(', ')}, got ${String(value)}`);
  return value as T;
}

function checkString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`Expected \`${name}\` to be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
