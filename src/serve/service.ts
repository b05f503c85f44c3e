/**
 * Between HTTP and the Translator: whether the model is ready, which requests are let in (the
 * bounded queue), and how a request ends early (its timeout, its client leaving). Every request
 * shares the one Translator, so sentences from concurrent requests share batches (see
 * src/translate/batch-queue.ts); the queue's fair turns keep a huge request from starving small ones.
 */
import { PoolError } from '../errors.js';
import type { ProgressEvent } from '../translate/scheduler.js';
import type { Translator } from '../translator.js';
import type { ServeConfig } from './config.js';
import { HttpError } from './http-error.js';
import type { Gauges, Metrics } from './metrics.js';

/** Why a request's signal aborted. */
export class ClientClosed extends Error {
  override readonly name = 'ClientClosed';
  constructor() {
    super('the client closed the connection');
  }
}

export class RequestTimedOut extends Error {
  override readonly name = 'RequestTimedOut';
}

/** The response a request is writing, to notice a client that goes away. */
export interface Connection {
  once(event: 'close', listener: () => void): unknown;
  readonly writableFinished: boolean;
}

/** One admitted request: its share of the queue, its signal, its progress. */
export interface Ticket {
  readonly translator: Translator;
  /** Aborts on the request timeout or when the client leaves; the queue then drops the request's waiting sentences. */
  readonly signal: AbortSignal;
  /** Pass as `onProgress`: feeds the metrics, then `listener`. */
  progress(listener?: (event: ProgressEvent) => void): (event: ProgressEvent) => void;
  /** What to answer for an error thrown while translating (ClientClosed when nobody is listening). */
  failure(error: unknown): HttpError | ClientClosed;
  /** Gives the request's share of the queue back; call once, when it ends whichever way. */
  release(): void;
}

export class TranslationService {
  readonly config: ServeConfig;
  readonly metrics: Metrics;
  #translator: Translator | undefined;
  /** Sentences of admitted requests not finished yet. */
  #admitted = 0;

  constructor(config: ServeConfig, metrics: Metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  /** The model is loaded: requests are taken from now on. */
  ready(translator: Translator): void {
    this.#translator = translator;
  }

  get isReady(): boolean {
    return this.#translator !== undefined;
  }

  /** The model in use (its id or folder), once ready. */
  get model(): string | undefined {
    return this.#translator?.config.model;
  }

  gauges(): Gauges {
    const load = this.#translator?.load ?? { waiting: 0, running: 0 };
    return { ...load, admitted: this.#admitted, ready: this.isReady };
  }

  /**
   * Lets a request of `sentences` sentences in, or throws: 503 while the model loads, 429 when
   * the queue would go past `maxQueue`. A request alone is always let in, however big (it passed
   * `maxChars`), so that no request is refused forever.
   */
  admit(sentences: number, connection: Connection): Ticket {
    const translator = this.#translator;
    if (!translator) throw new HttpError(503, 'The translation model is still loading; retry shortly', { 'Retry-After': '5' });
    const { maxQueue, requestTimeoutMs } = this.config;
    if (this.#admitted > 0 && this.#admitted + sentences > maxQueue) {
      const wait = this.#retryAfter(this.#admitted + sentences - maxQueue);
      throw new HttpError(429, `Slowdown: the translation queue is full (${this.#admitted} sentences ahead, at most ${maxQueue}); retry in ${wait} s`, {
        'Retry-After': String(wait),
      });
    }
    this.#admitted += sentences;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new RequestTimedOut(`Translation timed out after ${seconds(requestTimeoutMs)} s`)), requestTimeoutMs);
    timer.unref();
    connection.once('close', () => {
      if (!connection.writableFinished) controller.abort(new ClientClosed());
    });
    let released = false;
    return {
      translator,
      signal: controller.signal,
      progress: (listener) => (event) => {
        this.metrics.translated(event);
        listener?.(event);
      },
      failure: (error) => {
        const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
        if (reason instanceof ClientClosed) return reason;
        if (reason instanceof RequestTimedOut) return new HttpError(503, reason.message, { 'Retry-After': String(this.#retryAfter(this.#admitted)) });
        if (reason instanceof HttpError) return reason;
        const detail = reason instanceof PoolError ? reason.message : 'internal error';
        return new HttpError(500, `Cannot translate text: ${detail}`, {}, { cause: reason });
      },
      release: () => {
        if (released) return;
        released = true;
        clearTimeout(timer);
        this.#admitted -= sentences;
      },
    };
  }

  /** Seconds until `sentences` more are translated at the last minute's rate (1 to 120; 10 without a rate). */
  #retryAfter(sentences: number): number {
    const rate = this.metrics.rates().sentences;
    if (rate <= 0) return 10;
    return Math.min(120, Math.max(1, Math.ceil(sentences / rate)));
  }
}

const seconds = (ms: number): string => String(Math.round(ms / 100) / 10);
