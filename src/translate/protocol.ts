/**
 * Messages between the main thread and the translation workers, typed in one place and
 * imported by both sides. Errors cross `postMessage` as plain data, so the worker reports a
 * load failure as a value and the main side rebuilds a typed error from it.
 */

import type { ModelDtype } from '../models/files.js';
import type { EncoderInput } from './decode/marian-decoder.js';

export type { ModelDtype };

/** Everything a worker needs to load its model, sent once as piscina's workerData. */
export interface WorkerInit {
  /** Absolute path of the model folder (config.json, tokenizer.json, onnx/). */
  modelPath: string;
  dtype: ModelDtype;
  /** ONNX Runtime intra-op threads for this worker's sessions. */
  threads: number;
  /** For tests only: injected failures. */
  faults?: WorkerFaults;
}

/**
 * Failures a test can inject. `crashOnce`: a one-int SharedArrayBuffer shared by every worker of
 * the pool (replacements included); the first worker to take a batch while it holds 0 sets it to
 * 1 and dies of an uncaught error before answering, as a crashing worker would.
 */
export interface WorkerFaults {
  crashOnce?: SharedArrayBuffer;
}

/** Decoding settings shared by every batch of a run. */
export interface DecodeSettings {
  /** 1 = greedy. */
  beams: number;
  /** max_new_tokens = ceil(factor * source tokens) + margin: tied to the source so a loop stops. */
  maxNewTokensFactor: number;
  maxNewTokensMargin: number;
  /** Forbids any n-gram of this size from appearing twice (guards opus-mt's repetition loops). */
  noRepeatNgramSize: number;
  repetitionPenalty: number;
  /** For benchmarks: generate exactly max_new_tokens (EOS suppressed until then). */
  forceLength?: boolean;
}

export interface TranslateRequest {
  kind: 'translate';
  /** The sentences, tokenized and padded on the main thread (see model-tokenizer.ts). */
  batch: EncoderInput;
  decode: DecodeSettings;
}

export interface PingRequest {
  kind: 'ping';
}

export type WorkerRequest = TranslateRequest | PingRequest;

/** Per sentence, the target token ids (no decoder start token). */
export type TokenRows = readonly (readonly number[])[];

export type TranslateReply =
  | { ok: true; tokens: TokenRows }
  | { ok: false; error: { kind: 'load' | 'translate'; message: string } };
