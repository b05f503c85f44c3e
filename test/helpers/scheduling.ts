/** Schedulers over a given backend (a fake or an instant echo), for tests that do not need a model. */
import { DEFAULT_DECODE } from '../../src/config.js';
import type { SourceParagraph } from '../../src/document.js';
import type { TranslationBackend } from '../../src/translate/backend.js';
import { BatchQueue } from '../../src/translate/batch-queue.js';
import { maxBatchTokens, Scheduler, type SchedulerOptions } from '../../src/translate/scheduler.js';
import { wordTokenCounter } from '../../src/translate/token-counter.js';

/** About a token per four characters: enough for budgets and batch sizes. */
export const roughCounter = wordTokenCounter((word) => Math.max(1, Math.ceil(word.length / 4)));

export type SchedulerSettings = Omit<SchedulerOptions, 'queue' | 'counter' | 'capacity'> & { maxAttempts?: number };

/** A Scheduler on its own queue over `backend`. */
export function schedulerOver(backend: TranslationBackend, settings: SchedulerSettings): Scheduler {
  const queue = new BatchQueue({
    backend,
    decode: DEFAULT_DECODE,
    batchSize: settings.batchSize,
    maxBatchTokens: maxBatchTokens(settings.batchSize),
    maxAttempts: settings.maxAttempts ?? 3,
  });
  return new Scheduler({ queue, counter: roughCounter, capacity: backend.capacity, ...settings });
}

/** A backend that "translates" instantly by upper-casing. */
export const echoBackend: TranslationBackend = {
  capacity: 2,
  translate: async ({ texts }) => ({ translations: texts.map((text) => ({ text: text.toUpperCase(), tokens: 1, logprob: 0, truncated: false })) }),
  close: async () => undefined,
};

/** What the batch job needs of a Translator, over the echo backend. */
export const echoTranslator = {
  translateParagraphs: (paragraphs: AsyncIterable<SourceParagraph> | Iterable<SourceParagraph>) =>
    schedulerOver(echoBackend, { batchSize: 16, tokenBudget: 200, maxAttempts: 1 }).translate(paragraphs),
};
