/**
 * The one seam between scheduling and model work: sentences in, translations out. The local
 * process pool (pool.ts) is one backend; anything else that can run a batch (a queue of remote
 * workers) is another. Nothing above this interface knows which one it has.
 */
import type { DecodeSettings } from './protocol.js';

/** One batch to translate: texts in, translations out, in the same order. */
export interface BatchRequest {
  texts: string[];
  decode: DecodeSettings;
}

export interface TranslatedText {
  text: string;
  /** Target tokens the decoder produced (end-of-sentence token included). */
  tokens: number;
  /** Sum of the log-probabilities of those tokens under the model (natural log, <= 0). */
  logprob: number;
  /** The decoder reached the sentence's token limit without choosing the end-of-sentence token. */
  truncated: boolean;
}

export interface BatchResult {
  translations: TranslatedText[];
}

export interface TranslationBackend {
  /** Batches it can run at once: the scheduler keeps this many in flight. */
  readonly capacity: number;
  translate(request: BatchRequest): Promise<BatchResult>;
  /** Lets running batches finish, then releases the model(s). */
  close(): Promise<void>;
}
