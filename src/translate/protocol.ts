/**
 * Messages between the main thread and the translation workers, typed in one place and
 * imported by both sides. Errors cross `postMessage` as plain data, so the worker reports a
 * load failure as a value and the main side rebuilds a typed error from it.
 */

import type { ModelDtype } from '../models/files.js';
import type { EncoderInput } from './search/marian-decoder.js';

export type { ModelDtype };

/** Everything a worker process needs to load its model, sent once on its command line. */
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
 * Failures a test can inject, shared by every worker of a pool (replacements included) through
 * files: the first worker to create the file (exclusively) takes the fault.
 * - `crashOnceFile`: dies of SIGKILL with a batch in hand, as a crashing worker would.
 * - `hangOnceFile`: never answers its batch, as a worker stuck in a model call would.
 */
export interface WorkerFaults {
  crashOnceFile?: string;
  hangOnceFile?: string;
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
  /** The sentences, tokenized and padded on the main process (see model-tokenizer.ts). */
  batch: EncoderInput;
  decode: DecodeSettings;
}

/** What the decoder made of one sentence. */
export interface DecodedRow {
  /** Target token ids, no decoder start token. */
  tokens: number[];
  /** Sum of the log-probabilities of `tokens` under the model, before any logits processor. */
  logprob: number;
  /** Reached the sentence's token limit without the model choosing end-of-sentence. */
  truncated: boolean;
}

export type TranslateReply =
  | { ok: true; rows: DecodedRow[] }
  | { ok: false; error: { kind: 'load' | 'translate'; message: string } };

/** The worker's methods, as the pool calls them by name. */
export const WORKER_METHODS = { translate: 'translate', ping: 'ping' } as const;

/** Sent by a worker (a workerpool event) when it starts a batch: the batch's timeout starts then. */
export const BATCH_STARTED = 'batch-started';
