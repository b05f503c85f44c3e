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
  /** Called with the texts of each successful call and their outcomes. */
  onTranslated?: (texts: readonly string[], outcomes: readonly PieceOutcome[]) => void;
  onFailed?: (text: string) => void;
}

export async function translateWithRetry(texts: readonly string[], options: RetryOptions): Promise<PieceOutcome[]> {
  const wholeBatchTries = texts.length > 1 ? options.maxAttempts - 1 : options.maxAttempts;
  for (let attempt = 0; attempt < wholeBatchTries; attempt++) {
    try {
      return await call(texts, options);
    } catch (error) {
      throwIfFatal(error);
    }
  }
  if (texts.length === 1) return [failed(texts[0], options)];
  const outcomes: PieceOutcome[] = [];
  for (const text of texts) {
    try {
      outcomes.push(...(await call([text], options)));
    } catch (error) {
      throwIfFatal(error);
      outcomes.push(failed(text, options));
    }
  }
  return outcomes;
}

async function call(texts: readonly string[], options: RetryOptions): Promise<PieceOutcome[]> {
  const result = await options.backend.translate({ texts: [...texts], decode: options.decode });
  const outcomes = result.translations.map(({ text, tokens, logprob, truncated }) => ({ target: text, failed: false, tokens, logprob, truncated }));
  options.onTranslated?.(texts, outcomes);
  return outcomes;
}

function failed(text: string, options: RetryOptions): PieceOutcome {
  options.onFailed?.(text);
  return { target: text, failed: true };
}

function throwIfFatal(error: unknown): void {
  if (!(error instanceof PoolError) || error.fatal) throw error;
}
