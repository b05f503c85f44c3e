/**
 * One queue of sentences for all the calls a Translator serves at once. Calls (a file in a batch
 * run, a request to the service) submit the texts they need translated; the queue cuts them into
 * batches across calls and keeps the backend's capacity busy. Sentences from many small requests
 * thus share batches, which is what makes serving small requests fast.
 *
 * Order and fairness: the calls take turns leading a batch; the leader puts in its next texts in
 * the order it submitted them (earlier windows first, longest first within a window: the
 * Scheduler sorts them), up to a fair share, and the rest of the batch is the waiting texts
 * closest in length to the leader's, a few per call first. So one huge call cannot starve
 * small ones, and texts of similar length share batches across calls as sorting makes them do
 * within one call. With one call (a batch run) a batch is the next `batchSize` texts of its
 * window, as before; with several, a call's texts may run out of their order.
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
  /** Which submission of its caller it came in: a batch never mixes two (see #nextBatch). */
  submission: number;
  resolve: (outcome: PieceOutcome) => void;
  reject: (error: unknown) => void;
}

/** One submitting call: its waiting texts, in order. */
interface Caller {
  readonly waiting: Pending[];
  readonly onSettled?: SettledHandler;
}

/** One call's handle on the queue. */
export interface QueueCaller {
  /** Queues texts (in this order, after the caller's earlier ones); one promise per text. */
  submit(items: readonly QueueItem[]): Promise<PieceOutcome>[];
  /** The call is over: its waiting texts are dropped and it stops listening to its signal. */
  release(): void;
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
  caller(signal?: AbortSignal, onSettled?: SettledHandler): QueueCaller {
    const caller: Caller = { waiting: [], onSettled };
    let submissions = 0;
    // Texts not yet started are dropped; batches already running finish.
    const drop = (reason: unknown) => {
      for (const pending of caller.waiting.splice(0)) pending.reject(reason);
      this.#recount();
    };
    const onAbort = () => drop(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    return {
      release: () => {
        signal?.removeEventListener('abort', onAbort);
        drop(new Error('the call ended before these sentences were translated'));
      },
      submit: (items) => {
        signal?.throwIfAborted();
        const submission = submissions++;
        const promises = items.map(
          (item) => new Promise<PieceOutcome>((resolve, reject) => caller.waiting.push({ item, caller, submission, resolve, reject })),
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
   * The next batch. The caller whose turn it is leads: its next texts, in order, up to a fair
   * share of `batchSize` (its earliest submission only: a batch never mixes two of a caller's
   * submissions). The rest of the batch is the waiting texts closest in length to the leader's
   * first, from any caller (see #fill). Every row of a batch is padded to its longest source and
   * decoded alongside it, so texts of similar length should share one; filled in turn order
   * instead, one-paragraph requests from 32 clients made batches with twice the padding and about
   * half a single call's throughput (bench/serve.ts). Every batch keeps the padded-token cap, and
   * the turn order rotates, so every caller leads a batch within one round of turns.
   */
  #nextBatch(): Pending[] {
    const { batchSize, maxBatchTokens } = this.#options;
    const batch: Pending[] = [];
    let widest = 0;
    const add = (pending: Pending): boolean => {
      const width = Math.max(widest, pending.item.tokens);
      if (batch.length > 0 && width * (batch.length + 1) > maxBatchTokens) return false;
      widest = width;
      batch.push(pending);
      return true;
    };
    if (this.#turns.length === 0) return batch; // a task that finds nothing left
    const share = Math.max(1, Math.ceil(batchSize / this.#turns.length));
    const leader = this.#turns[0];
    const submission = leader.waiting[0].submission;
    while (leader.waiting[0]?.submission === submission && batch.length < share && add(leader.waiting[0])) leader.waiting.shift();
    if (batch.length < batchSize && this.#turns.length > 1) this.#fill(batch, add, share);
    // The leader goes last next time.
    if (this.#turns.length > 1) this.#turns.push(this.#turns.shift()!);
    this.#recount();
    return batch;
  }

  /**
   * Fills `batch` (the leader's texts) with the waiting texts closest in length to its first: at
   * most two shares per caller (the leader's texts included), then any. Among texts as close, each
   * caller's first comes before anyone's second, so callers tied on length share the batch. A
   * caller's texts come from its earliest submission only. (With one share per caller, 32
   * one-paragraph callers got 82-88% of a single call's throughput on the benchmark's model and
   * text; with two, 89-95%.)
   */
  #fill(batch: Pending[], add: (pending: Pending) => boolean, share: number): void {
    const length = batch[0].item.tokens;
    const distance = (pending: Pending) => Math.abs(pending.item.tokens - length);
    const leader = batch[0].caller;
    const earliest = (caller: Caller) =>
      caller.waiting.filter((pending) => pending.submission === (caller === leader ? batch[0] : caller.waiting[0]).submission);
    // Stable: among equals, turn order.
    const candidates = this.#turns
      .flatMap((caller) => earliest(caller).map((pending, rank) => ({ pending, rank })))
      .sort((a, b) => distance(a.pending) - distance(b.pending) || a.rank - b.rank)
      .map(({ pending }) => pending);
    const taken = new Map<Caller, number>([[leader, batch.length]]);
    const chosen = new Set<Pending>();
    for (const limit of [2 * share, Infinity]) {
      for (const pending of candidates) {
        if (batch.length >= this.#options.batchSize) break;
        const count = taken.get(pending.caller) ?? 0;
        if (chosen.has(pending) || count >= limit || !add(pending)) continue;
        chosen.add(pending);
        taken.set(pending.caller, count + 1);
      }
    }
    for (const caller of taken.keys()) {
      const left = caller.waiting.filter((pending) => !chosen.has(pending));
      caller.waiting.splice(0, caller.waiting.length, ...left);
    }
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
