/**
 * One batch through a backend, with retries: a crashed, timed-out or failed call is tried again,
 * and the last try goes one text at a time, so one poisonous sentence cannot sink its neighbours.
 * Never loses a text: what still fails comes back as its own source, marked failed. Failures that
 * would repeat on every try (the model cannot load, the backend is closed) are thrown at once.
 */
import type { PieceOutcome } from '../align/index.js';
import { PoolError } from '../errors.js';
import type { TranslationBackend } from './backend.js';
import type { DecodeSettings } from './protocol.js';

export interface RetryOptions {
  backend: TranslationBackend;
  decode: DecodeSettings;
  /** Tries in all: whole-batch tries, then one sentence-by-sentence try. */
  maxAttempts: number;
}

export async function translateWithRetry(texts: readonly string[], options: RetryOptions): Promise<PieceOutcome[]> {
  // With one try in all, or one text, every try is a whole-batch try.
  const oneByOne = texts.length > 1 && options.maxAttempts > 1;
  const wholeBatchTries = oneByOne ? options.maxAttempts - 1 : options.maxAttempts;
  for (let attempt = 0; attempt < wholeBatchTries; attempt++) {
    try {
      return await call(texts, options);
    } catch (error) {
      throwIfFatal(error);
    }
  }
  if (!oneByOne) return texts.map(failed);
  const outcomes: PieceOutcome[] = [];
  for (const text of texts) {
    try {
      outcomes.push(...(await call([text], options)));
    } catch (error) {
      throwIfFatal(error);
      outcomes.push(failed(text));
    }
  }
  return outcomes;
}

async function call(texts: readonly string[], options: RetryOptions): Promise<PieceOutcome[]> {
  const result = await options.backend.translate({ texts: [...texts], decode: options.decode });
  return result.translations.map(({ text, tokens, logprob, truncated }) => ({ target: text, failed: false, tokens, logprob, truncated }));
}

function failed(text: string): PieceOutcome {
  return { target: text, failed: true };
}

function throwIfFatal(error: unknown): void {
  if (!(error instanceof PoolError) || error.fatal) throw error;
}
