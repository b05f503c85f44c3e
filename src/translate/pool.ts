/**
 * The local backend: a fixed pool of worker processes (workerpool), each holding one loaded model,
 * and the model's tokenizer in this process: texts are tokenized here, searched by a worker into
 * token ids, and turned back into text here.
 *
 * Failure handling: a worker that crashes fails only its batch and workerpool starts another. A
 * batch that runs past `taskTimeoutMs` (counted from the moment its worker starts it, not from
 * when it was queued) is cancelled: workerpool kills that worker process, which is always safe,
 * and starts another. Every way a batch can fail becomes a typed PoolError the scheduler acts on.
 */
import { fileURLToPath } from 'node:url';
import workerpool from 'workerpool';
import { PoolError, errorMessage } from '../errors.js';
import { workerFile } from '../util/worker-file.js';
import type { BatchRequest, BatchResult, TranslationBackend } from './backend.js';
import { prepareModel } from '../models/prepare.js';
import type { ModelTokenizer } from './model-tokenizer.js';
import { BATCH_STARTED, WORKER_METHODS, type TranslateReply, type WorkerInit } from './protocol.js';

export interface PoolOptions extends WorkerInit {
  workers: number;
  /** A batch running longer than this (from its start in a worker) is cancelled and its worker replaced. */
  taskTimeoutMs: number;
  /** The model's tokenizer, loaded once by the caller and shared with it. */
  tokenizer: ModelTokenizer;
  /** Initial old-generation size of each worker's heap, MiB (0: V8's default). @default WORKER_OLD_SPACE_MIB */
  workerOldSpaceMiB?: number;
  /** Load the model prepared for beam search (one cross-attention cache per sentence; see prepareModel). @default false */
  beams?: boolean;
}

/**
 * The old-generation size a worker's V8 heap starts with (MiB).
 *
 * Why: V8 counts the buffers a worker receives from ONNX Runtime against the old generation's
 * limit, which it sizes from the live heap (about 30 MB in a worker). When every step returned
 * the logits and the whole cache (about 20 MB at 16 rows), V8's default ran a full mark-compact
 * every step or two and this setting paid 20%. With the prepared decoder a step returns little;
 * it still measured 5 to 9% faster than V8's default in two full runs (`pool-sorted` against
 * `pool-v8-heap`), at the same peak RSS. Each worker is its own process, so the flag goes on its
 * command line and nothing process-wide changes.
 */
export const WORKER_OLD_SPACE_MIB = 64;

/**
 * A worker's environment: the parent's, with glibc's malloc told to map every block of 256 KiB
 * or more on its own (`MALLOC_MMAP_THRESHOLD_`, unless the user set it), so that freeing one
 * returns it to the system. glibc otherwise raises that threshold each time it frees a mapped
 * block, up to 32 MiB, and from then on serves the cache buffers and model outputs of a batch
 * from its heap, which only grows: a worker's resident memory crept up by about 100 MiB over a
 * run and never came down. Other C libraries ignore the variable.
 */
export function workerEnvironment(parent: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...parent, MALLOC_MMAP_THRESHOLD_: parent.MALLOC_MMAP_THRESHOLD_ ?? String(256 * 1024) };
}

/** What a worker process wrote to stderr last, kept for the message when it dies. */
const STDERR_TAIL_CHARS = 400;

type WorkerEvent = string | { stderr?: string; stdout?: string };

export class TranslationPool implements TranslationBackend {
  readonly capacity: number;
  readonly #pool: workerpool.Pool;
  readonly #timeoutMs: number;
  readonly #tokenizer: ModelTokenizer;
  #stderrTail = '';
  #closed = false;

  private constructor(options: PoolOptions) {
    const { filename, execArgv } = workerFile('./worker.js', import.meta.url);
    const init: WorkerInit = {
      modelPath: options.modelPath,
      dtype: options.dtype,
      threads: options.threads,
      ...(options.faults ? { faults: options.faults } : {}),
    };
    const oldSpace = options.workerOldSpaceMiB ?? WORKER_OLD_SPACE_MIB;
    this.capacity = options.workers;
    this.#timeoutMs = options.taskTimeoutMs;
    this.#tokenizer = options.tokenizer;
    this.#pool = workerpool.pool(fileURLToPath(filename), {
      workerType: 'process',
      minWorkers: options.workers,
      maxWorkers: options.workers,
      // Worker stderr (ONNX Runtime's own messages) is captured for error messages, not printed.
      emitStdStreams: true,
      forkArgs: [JSON.stringify(init)],
      forkOpts: {
        execArgv: [...execArgv, '--expose-gc', ...(oldSpace > 0 ? [`--initial-old-space-size=${oldSpace}`] : [])],
        // Token ids cross as BigInt64Array: structured clone, not JSON.
        serialization: 'advanced',
        env: workerEnvironment(process.env),
      },
      // A killed worker has nothing to clean up.
      workerTerminateTimeout: 1000,
    });
  }

  /**
   * Starts the workers and waits until each has loaded its model (or failed to). The workers load
   * the prepared model (src/models/prepare.ts: the decoder computes log-probabilities itself).
   */
  static async start(options: PoolOptions): Promise<TranslationPool> {
    const prepared = await prepareModel(options.modelPath, options.dtype, { beams: options.beams });
    const pool = new TranslationPool({ ...options, modelPath: prepared.folder });
    try {
      await Promise.all(Array.from({ length: options.workers }, () => pool.#run(WORKER_METHODS.ping, [], false)));
    } catch (error) {
      await pool.destroy();
      // A worker that dies while loading (ONNX Runtime aborting on a damaged file) is a load failure.
      if (error instanceof PoolError && error.reason === 'crashed') {
        throw new PoolError('load', `the model could not be loaded: ${error.message}`, { cause: error });
      }
      throw error;
    }
    return pool;
  }

  async translate({ texts, decode }: BatchRequest): Promise<BatchResult> {
    const batch = this.#tokenize(() => this.#tokenizer.tokenize(texts));
    const rows = await this.#run(WORKER_METHODS.translate, [{ batch, decode }], true);
    const english = this.#tokenize(() => this.#tokenizer.detokenize(rows.map((row) => row.tokens)));
    return {
      translations: rows.map((row, i) => ({ text: english[i].trim(), tokens: row.tokens.length, logprob: row.logprob, truncated: row.truncated })),
    };
  }

  /** A tokenizer failure is a failed batch (retried, then flagged), as a worker's would be. */
  #tokenize<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw new PoolError('translate', `tokenization failed: ${errorMessage(error)}`, { cause: error });
    }
  }

  async #run(method: string, params: unknown[], timed: boolean) {
    if (this.#closed) throw new PoolError('closed', 'the translation pool is closed');
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const task = this.#pool.exec(method, params, {
      on: (event: WorkerEvent) => {
        if (typeof event === 'object' && event.stderr) this.#stderrTail = (this.#stderrTail + event.stderr).slice(-STDERR_TAIL_CHARS);
        if (event === BATCH_STARTED && timed) {
          timer = setTimeout(() => {
            timedOut = true;
            task.cancel();
          }, this.#timeoutMs);
        }
      },
    });
    let reply: TranslateReply;
    try {
      reply = (await task) as TranslateReply;
    } catch (error) {
      if (this.#closed) throw new PoolError('closed', 'the translation pool is closed', { cause: error });
      if (timedOut) throw new PoolError('timeout', `a translation batch ran past ${this.#timeoutMs} ms; its worker was replaced`, { cause: error });
      throw new PoolError('crashed', `a translation worker stopped (${this.#describeExit(error)})`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    if (!reply.ok) {
      throw new PoolError(reply.error.kind, reply.error.kind === 'load'
        ? `the model could not be loaded: ${reply.error.message}`
        : `translation failed: ${reply.error.message}`);
    }
    return reply.rows;
  }

  /** workerpool reports a dead worker in a multi-line message; keep its exit code or signal and stderr. */
  #describeExit(error: unknown): string {
    const text = errorMessage(error);
    const signal = /signalCode: `(\w+)`/.exec(text)?.[1];
    const code = /exitCode: `(\d+)`/.exec(text)?.[1];
    const how = signal && signal !== 'null' ? `signal ${signal}` : code ? `exit code ${code}` : text.split('\n')[0];
    const said = this.#stderrTail.trim().split('\n').filter(Boolean).at(-1);
    return said ? `${how}: ${said}` : how;
  }

  /** Lets running batches finish, then stops the workers. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.terminate(false);
  }

  /** Stops the workers now; running batches are rejected. */
  async destroy(): Promise<void> {
    this.#closed = true;
    await this.#pool.terminate(true);
  }
}
