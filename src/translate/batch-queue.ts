/**
 * One queue of sentences for all the calls a Translator serves at once. Calls (a file in a batch
 * run, a request to the service) submit the texts they need translated; the queue cuts them into
 * batches across calls and keeps the backend's capacity busy. Sentences from many small requests
 * thus share batches, which is what makes serving small requests fast.
 *
 * Order and fairness: each call's texts run in the order it submitted them (earlier windows
 * first, longest first within a window: the Scheduler sorts them). Batches take texts from the
 * waiting calls in turn, a fair share each, so one huge call cannot starve small ones; with one
 * call (a batch run) a batch is the next `batchSize` texts of its window, as before.
 */
import PQueue from 'p-queue';
import type { PieceOutcome } from '../align/index.js';
import type { TranslationBackend } from './backend.js';
import type { DecodeSettings } from './protocol.js';
import { translateWithRetry } from './retry.js';

export interface QueueItem {
  text: string;
  /** Source tokens, for the batch's padded size. */
  tokens: number;
}

export interface BatchQueueOptions {
  backend: TranslationBackend;
  decode: DecodeSettings;
  batchSize: number;
  /** Padded source tokens per batch (rows x longest row). */
  maxBatchTokens: number;
  maxAttempts: number;
}

interface Pending {
  item: QueueItem;
  caller: Caller;
  resolve: (outcome: PieceOutcome) => void;
  reject: (error: unknown) => void;
}

/** One submitting call: its waiting texts, in order. */
interface Caller {
  readonly waiting: Pending[];
  readonly onSettled?: SettledHandler;
}

/**
 * Told, once per batch, what became of the caller's texts in it, before their promises settle:
 * the place to store them and report progress. If it throws (a failing translation memory), the
 * caller's promises reject with that error.
 */
export type SettledHandler = (settled: ReadonlyArray<readonly [item: QueueItem, outcome: PieceOutcome]>) => void;

export class BatchQueue {
  readonly #options: BatchQueueOptions;
  /**
   * Runs batches, as many at once as the backend can take. Each task forms its batch only when it
   * starts, from whatever is waiting then: late arrivals join, and turns stay fair.
   */
  readonly #slots: PQueue;
  /** Callers with texts waiting, in turn order. */
  #turns: Caller[] = [];
  #waiting = 0;

  constructor(options: BatchQueueOptions) {
    this.#options = options;
    this.#slots = new PQueue({ concurrency: options.backend.capacity });
  }

  /** Texts submitted and not yet in a running batch (for backpressure: a service answers 429 above a bound). */
  get waiting(): number {
    return this.#waiting;
  }

  /** Batches running now. */
  get running(): number {
    return this.#slots.pending;
  }

  /** A handle for one call: its submissions run in order, and stop when `signal` aborts. */
  caller(signal?: AbortSignal, onSettled?: SettledHandler): { submit(items: readonly QueueItem[]): Promise<PieceOutcome>[] } {
    const caller: Caller = { waiting: [], onSettled };
    signal?.addEventListener(
      'abort',
      () => {
        // Texts not yet started are dropped; batches already running finish.
        for (const pending of caller.waiting.splice(0)) pending.reject(signal.reason);
        this.#recount();
      },
      { once: true },
    );
    return {
      submit: (items) => {
        signal?.throwIfAborted();
        const promises = items.map(
          (item) => new Promise<PieceOutcome>((resolve, reject) => caller.waiting.push({ item, caller, resolve, reject })),
        );
        if (items.length > 0 && !this.#turns.includes(caller)) this.#turns.push(caller);
        this.#recount();
        this.#dispatch();
        return promises;
      },
    };
  }

  #recount(): void {
    this.#turns = this.#turns.filter((caller) => caller.waiting.length > 0);
    this.#waiting = this.#turns.reduce((n, caller) => n + caller.waiting.length, 0);
  }

  /** Queues enough batch tasks for what is waiting (a task that finds nothing left just ends). */
  #dispatch(): void {
    const needed = Math.ceil(this.#waiting / this.#options.batchSize);
    for (let queued = this.#slots.size; queued < needed; queued++) {
      void this.#slots.add(async () => {
        const batch = this.#nextBatch();
        if (batch.length > 0) await this.#run(batch);
        // Texts that did not fit the padded-token cap are still waiting.
        this.#dispatch();
      });
    }
  }

  /**
   * The next batch: texts taken from the waiting callers in turn, a fair share of `batchSize`
   * each (any share left over goes to those with more waiting), keeping each caller's order and
   * the padded-token cap. The callers' turn order then rotates.
   */
  #nextBatch(): Pending[] {
    const { batchSize, maxBatchTokens } = this.#options;
    const batch: Pending[] = [];
    let widest = 0;
    const fits = (pending: Pending) => {
      const width = Math.max(widest, pending.item.tokens);
      return batch.length === 0 || width * (batch.length + 1) <= maxBatchTokens;
    };
    const share = Math.max(1, Math.ceil(batchSize / this.#turns.length));
    for (let round = 0; batch.length < batchSize; round++) {
      let took = false;
      for (const caller of this.#turns) {
        const limit = round === 0 ? share : batchSize;
        let taken = 0;
        while (caller.waiting.length > 0 && batch.length < batchSize && taken < limit && fits(caller.waiting[0])) {
          const pending = caller.waiting.shift()!;
          widest = Math.max(widest, pending.item.tokens);
          batch.push(pending);
          taken++;
          took = true;
        }
      }
      if (!took) break;
    }
    // The first caller served goes last next time.
    if (this.#turns.length > 1) this.#turns.push(this.#turns.shift()!);
    this.#recount();
    return batch;
  }

  async #run(batch: Pending[]): Promise<void> {
    const { backend, decode, maxAttempts } = this.#options;
    let outcomes: PieceOutcome[];
    try {
      outcomes = await translateWithRetry(
        batch.map((pending) => pending.item.text),
        { backend, decode, maxAttempts },
      );
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const caller of new Set(batch.map((pending) => pending.caller))) {
      const mine = batch.flatMap((pending, i) => (pending.caller === caller ? [[pending, outcomes[i]] as const] : []));
      try {
        caller.onSettled?.(mine.map(([pending, outcome]) => [pending.item, outcome] as const));
        for (const [pending, outcome] of mine) pending.resolve(outcome);
      } catch (error) {
        for (const [pending] of mine) pending.reject(error);
      }
    }
  }
}
