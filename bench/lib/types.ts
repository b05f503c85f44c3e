/** What the parent sends each child (one configuration) and what it gets back. */
import type { ModelDtype } from '../../src/translate/protocol.js';

/** (a)/(b): one transformers.js translation pipeline on the main thread, one call per sentence. */
export interface NaiveConfig {
  kind: 'naive';
  dtype: ModelDtype;
}

/** fr2en options a row may set; those not given keep their defaults. */
interface Fr2enKnobs {
  dtype?: ModelDtype;
  workers?: number;
  threads?: number;
  batchSize?: number;
}

/** fr2en's Translator. */
export interface Fr2enConfig extends Fr2enKnobs {
  kind: 'fr2en';
  beams?: number;
  /** Overrides the repetition guard (fr2en default 4; 0 turns it off). */
  noRepeatNgramSize?: number;
  /** Translates the workload this many times, one translateParagraphs call per repeat. */
  repeat?: number;
  /** Quality checks off (fr2en runs every check by default). */
  qaOff?: boolean;
  /** Also samples the peak PSS (bench/lib/measure.ts: slower sampling that costs the row some speed). */
  samplePss?: boolean;
}

/**
 * fr2en's worker pool driven directly with the bench's own batches, to switch length sorting
 * (the Scheduler always sorts): `sorted` cuts the Scheduler's windows with fr2en's makeBatches,
 * exactly as the Scheduler does; `document-order` cuts the same windows without sorting.
 */
export interface PoolConfig extends Fr2enKnobs {
  kind: 'pool';
  order: 'sorted' | 'document-order';
  /** Initial old space of each worker's heap, MiB (0: V8's default); fr2en's WORKER_OLD_SPACE_MIB unless set. */
  workerOldSpaceMiB?: number;
}

/** The ceiling: encoder + merged decoder sessions driven with onnxruntime-node, greedy, KV cache. */
export interface CeilingConfig {
  kind: 'ceiling';
  dtype: ModelDtype;
  /** Rows per batch, all of the same length. */
  batch: number;
  /**
   * Row lengths. `workload` (the default): the workload's pieces sorted by length and cut into
   * batches, each run at its own mean length, once over the workload, so the ceiling does the
   * same mix of lengths as the rows it is compared with. `mean`: every batch at the workload's
   * mean length (`batches` timed batches); a step's cost grows with the length, so this figure
   * is higher than any mixed workload can reach and is reported for reference only.
   */
  lengths?: 'workload' | 'mean';
  threads: number;
  /** Timed batches with `lengths: 'mean'` (after one untimed warm-up batch). */
  batches: number;
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  enableCpuMemArena?: boolean;
  /** ORT's `session.intra_op.allow_spinning` (default on: idle pool threads spin before sleeping). */
  allowSpinning?: boolean;
  /** Loops run at once, each in its own worker thread with its own sessions (like fr2en's workers). @default 1 */
  parallel?: number;
  /** With `parallel` > 1: initial old space of each thread's heap, MiB, as fr2en sets its workers'. @default 0 (V8's default) */
  workerOldSpaceMiB?: number;
}

/**
 * Translation quality with real decoding: fr2en's Translator on a real model and a test set with
 * human translations (bench/lib/quality.ts), scored with BLEU and chrF. Options not given keep
 * fr2en's defaults.
 */
export interface QualityConfig {
  kind: 'quality';
  dtype?: ModelDtype;
  beams?: number;
  /** The repetition guard (fr2en default 4; 0 turns it off). */
  noRepeatNgramSize?: number;
}

/** The prepared graph against the original files: same token ids? (bench/lib/runners/agreement.ts) */
export interface AgreementConfig {
  kind: 'agreement';
  dtype: ModelDtype;
}

/** Where a worker's time goes, from ONNX Runtime's profiler (bench/lib/runners/profile.ts). */
export interface ProfileConfig {
  kind: 'profile';
  dtype: ModelDtype;
}

export type ConfigSpec = NaiveConfig | Fr2enConfig | PoolConfig | CeilingConfig | QualityConfig | AgreementConfig | ProfileConfig;

export interface BenchConfig {
  /** Short stable id, used by `--only` and as the key in results.json. */
  id: string;
  /** The row label in the table. */
  label: string;
  /** Which part of the plan the row belongs to (a, b, c, sweep, ceiling, scaling, beams, quality). */
  group: 'baseline' | 'defaults' | 'sweep' | 'ceiling' | 'scaling' | 'beams' | 'agreement' | 'profile' | 'quality';
  spec: ConfigSpec;
}

/** Sent to a child on its command line. */
export interface ChildJob {
  config: BenchConfig;
  modelDir: string;
  workloadFile: string;
  resultFile: string;
}

/** Written by a child to its result file. */
export interface RunResult {
  id: string;
  ok: boolean;
  error?: string;
  /** Creating the pipeline / Translator / sessions (all workers loaded), ms. */
  loadMs: number;
  /** Translating the workload (all repeats), ms. */
  runMs: number;
  /** Pieces translated (all repeats). */
  pieces: number;
  sourceWords: number;
  /** Useful target tokens: sum of ceil(1.1 x source tokens) over the pieces translated. */
  targetTokens: number;
  /**
   * Decoder positions if every row of a batch runs to the batch's longest row (transformers.js'
   * generate does; a decoder that stops rows early computes fewer): the padding-waste bound.
   */
  computedTokens: number | null;
  /** Intra-op threads x workers the configuration asked for. */
  threadsUsed: number;
  /** Peak resident set of the child (main thread and workers), MiB. */
  peakRssMiB: number;
  /** sha1 of the first repeat's outputs, in workload order: equal hashes mean equal outputs. */
  outputHash: string | null;
  /** Anything else a runner measured (ms, counts, the profile's shares), reported in results.json. */
  extra: Record<string, number | string | Record<string, number>>;
}

/** The result of a row that produced no measurement. */
export function failedResult(id: string, error: string, peakRssMiB: number): RunResult {
  return {
    id,
    ok: false,
    error,
    loadMs: 0,
    runMs: 0,
    pieces: 0,
    sourceWords: 0,
    targetTokens: 0,
    computedTokens: null,
    threadsUsed: 0,
    peakRssMiB,
    outputHash: null,
    extra: {},
  };
}
