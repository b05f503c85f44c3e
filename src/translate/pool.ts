/**
 * A fixed pool of translation workers (piscina), each holding one loaded model, and the model's
 * tokenizer on this thread: texts are encoded here, decoded by a worker into token ids, and
 * turned back into text here. piscina replaces a worker that crashes or is terminated on
 * timeout; this wrapper turns every way a task can fail into a typed PoolError the scheduler can
 * act on.
 */
import { Piscina } from 'piscina';
import { PoolError, errorMessage } from '../errors.js';
import { workerFile } from '../util/worker-file.js';
import { loadModelTokenizer, type ModelTokenizer } from './model-tokenizer.js';
import type { DecodeSettings, TokenRows, TranslateReply, WorkerInit, WorkerRequest } from './protocol.js';
import type { TokenCounter } from './token-counter.js';
import { WORKER_OLD_SPACE_MIB, withWorkerOldSpace } from './worker-heap.js';

export interface PoolOptions extends WorkerInit {
  workers: number;
  /** A batch running longer than this is abandoned and its worker replaced. */
  taskTimeoutMs: number;
  /** Initial old-generation size of each worker's heap, MiB (0: V8's default). @default WORKER_OLD_SPACE_MIB */
  workerOldSpaceMiB?: number;
}

export interface BatchResult {
  translations: string[];
  generatedTokens: number;
}

/** One batch to translate: texts in, translations out, in the same order. */
export interface BatchRequest {
  texts: string[];
  decode: DecodeSettings;
}

export class TranslationPool {
  readonly #piscina: Piscina;
  readonly #timeoutMs: number;
  /** Set by start(), before the pool is handed out. */
  #tokenizer!: ModelTokenizer;
  #closed = false;

  private constructor(options: PoolOptions) {
    const { filename, execArgv } = workerFile('./worker.js', import.meta.url);
    const init: WorkerInit = {
      modelPath: options.modelPath,
      dtype: options.dtype,
      threads: options.threads,
      ...(options.faults ? { faults: options.faults } : {}),
    };
    this.#timeoutMs = options.taskTimeoutMs;
    this.#piscina = new Piscina({
      filename,
      execArgv,
      workerData: init,
      minThreads: options.workers,
      maxThreads: options.workers,
      // Loading a model takes seconds: keep workers alive between batches.
      idleTimeout: Number.POSITIVE_INFINITY,
      // Abortable tasks never share a worker anyway; one batch per worker keeps memory predictable.
      concurrentTasksPerWorker: 1,
      closeTimeout: options.taskTimeoutMs,
    });
  }

  /** Starts the workers and waits until each has loaded its model (or failed to). */
  static async start(options: PoolOptions): Promise<TranslationPool> {
    // A worker that piscina starts later (replacing a crashed one) gets V8's default heap: slower, not wrong.
    return withWorkerOldSpace(options.workerOldSpaceMiB ?? WORKER_OLD_SPACE_MIB, async () => {
      const pool = new TranslationPool(options);
      try {
        const [tokenizer] = await Promise.all([
          loadModelTokenizer(options.modelPath),
          ...Array.from({ length: options.workers }, () => pool.#run({ kind: 'ping' })),
        ]);
        pool.#tokenizer = tokenizer;
      } catch (error) {
        await pool.destroy();
        throw error;
      }
      return pool;
    });
  }

  /** Counts model tokens with the pool's tokenizer (for the token budget). */
  get counter(): TokenCounter {
    return this.#tokenizer.counter;
  }

  get workers(): number {
    return this.#piscina.threads.length;
  }

  /** The live worker threads (tests use this to kill one mid-batch). */
  get threads(): readonly import('node:worker_threads').Worker[] {
    return this.#piscina.threads;
  }

  async translate({ texts, decode }: BatchRequest): Promise<BatchResult> {
    const batch = this.#tokenize(() => this.#tokenizer.encode(texts));
    const tokens = await this.#run({ kind: 'translate', batch, decode });
    return {
      translations: this.#tokenize(() => this.#tokenizer.decode(tokens)).map((text) => text.trim()),
      generatedTokens: tokens.reduce((sum, ids) => sum + ids.length, 0),
    };
  }

  /** A tokenizer failure is a failed batch (retried, then flagged), as it was in a worker. */
  #tokenize<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw new PoolError('translate', `tokenization failed: ${errorMessage(error)}`, { cause: error });
    }
  }

  async #run(request: WorkerRequest): Promise<TokenRows> {
    if (this.#closed) throw new PoolError('closed', 'the translation pool is closed');
    let reply: TranslateReply;
    try {
      // Loading a model (the ping's wait) may take far longer than a batch: only batches time out.
      const signal = request.kind === 'translate' ? AbortSignal.timeout(this.#timeoutMs) : undefined;
      reply = (await this.#piscina.run(request, { signal })) as TranslateReply;
    } catch (error) {
      if (this.#closed) throw new PoolError('closed', 'the translation pool is closed', { cause: error });
      const timedOut = error instanceof Error && (error.name === 'AbortError' || /abort/i.test(error.message));
      throw timedOut
        ? new PoolError('timeout', `a translation batch ran past ${this.#timeoutMs} ms; its worker was replaced`, { cause: error })
        : new PoolError('crashed', `a translation worker stopped: ${errorMessage(error)}`, { cause: error });
    }
    if (!reply.ok) {
      throw new PoolError(reply.error.kind, reply.error.kind === 'load'
        ? `the model could not be loaded: ${reply.error.message}`
        : `translation failed: ${reply.error.message}`);
    }
    return reply.tokens;
  }

  /** Lets running batches finish, then stops the workers. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#piscina.close();
  }

  /** Stops the workers now; running batches are rejected. */
  async destroy(): Promise<void> {
    this.#closed = true;
    await this.#piscina.destroy();
  }
}
