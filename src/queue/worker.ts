/**
 * The worker side of the queue: takes batches for one model from its BullMQ queue, translates them
 * with a local backend (a TranslationPool), and hands the results back through the job. It
 * announces itself (registry.ts) so coordinators know it is there and how many batches it runs at
 * once. Redis going away is waited out: the worker reconnects by itself and says so once.
 *
 * Stopping: `stop()` takes no new job and lets the running ones finish; `release()` puts the
 * running ones back in the queue at once (another worker takes them) and lets go of Redis.
 */
import os from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { PoolError, errorMessage } from '../errors.js';
import type { TranslationBackend } from '../translate/backend.js';
import { modelMismatch } from './model.js';
import { KEY_PREFIX, checkJobData, describeModel, failedReason, queueName, type JobData, type JobFailure, type JobResult, type QueueModel } from './protocol.js';
import { describeRedisError, openRedis, redactUrl, withTimeout } from './redis.js';
import { ANNOUNCE_EVERY_MS, announce, withdraw, type WorkerAnnouncement } from './registry.js';

/**
 * How a dead worker's batch gets back to the queue. A worker holds a lock on each job it runs and
 * renews it every LOCK_MS / 2; every live worker runs BullMQ's stalled-job check every
 * STALLED_CHECK_MS, which puts a job whose lock has expired back in the queue. A worker killed
 * with SIGKILL thus loses its batch to another worker within LOCK_MS + STALLED_CHECK_MS (5 to 7 s)
 * instead of BullMQ's default 30 + 30 s. The lock is renewed by this process's event loop, which
 * only tokenizes and passes messages (the model runs in the pool's own processes), so 5 s leaves
 * a wide margin against a false stall.
 */
export const LOCK_MS = 5000;
export const STALLED_CHECK_MS = 2000;
/**
 * A job whose worker died twice fails instead of going round again: a batch that crashes ONNX
 * Runtime would otherwise take down worker after worker. The coordinator then retries it, the
 * last time one sentence at a time, so only the poisonous sentence is lost (flagged `failed`).
 */
export const MAX_STALLED = 1;

/** Messages of a connection going away, which the announcement loop already reports once. */
const CONNECTION_ERROR = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|EAI_AGAIN|Connection is closed|no answer from Redis/;

export interface QueueWorkerOptions {
  /** `redis://host:6379`. */
  url: string;
  /** The model `backend` holds. */
  model: QueueModel;
  /** Batches the backend runs at once. */
  slots: number;
  /** Shown in logs and announcements. @default `<host>-<pid>` */
  name?: string;
  /** One line per event (no newline). */
  log: (line: string) => void;
}

/** What a worker has done so far. */
export interface WorkerTotals {
  jobs: number;
  failed: number;
  sentences: number;
  tokens: number;
  /** Sum of the jobs' times, ms. */
  busyMs: number;
}

export class QueueWorker {
  readonly name: string;
  readonly #options: QueueWorkerOptions;
  readonly #client: Redis;
  readonly #announcement: WorkerAnnouncement;
  readonly #active = new Map<string, { job: Job<JobData, JobResult>; token: string | undefined }>();
  readonly #totals: WorkerTotals = { jobs: 0, failed: 0, sentences: 0, tokens: 0, busyMs: 0 };
  #worker: Worker<JobData, JobResult> | undefined;
  #backend: TranslationBackend | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** undefined until the first contact with Redis. */
  #connected: boolean | undefined;
  #stopping: Promise<void> | undefined;
  #released = false;
  #left = false;
  #lastError: string | undefined;

  private constructor(options: QueueWorkerOptions) {
    this.#options = options;
    this.name = options.name ?? `${os.hostname()}-${process.pid}`;
    this.#client = openRedis(options.url, (error) => (this.#lastError = describeRedisError(error)));
    this.#announcement = {
      id: this.name,
      host: os.hostname(),
      pid: process.pid,
      queue: queueName(options.model),
      model: options.model,
      slots: options.slots,
      state: 'loading',
    };
  }

  /** Connects (in the background: Redis may come later) and announces the worker as loading. */
  static connect(options: QueueWorkerOptions): QueueWorker {
    const worker = new QueueWorker(options);
    worker.#announce();
    worker.#timer = setInterval(() => worker.#announce(), ANNOUNCE_EVERY_MS);
    return worker;
  }

  get totals(): WorkerTotals {
    return { ...this.#totals };
  }

  /** Starts taking jobs, translating them with `backend` (its model is loaded). */
  serve(backend: TranslationBackend): void {
    this.#backend = backend;
    const { url, model, slots, log } = this.#options;
    this.#worker = new Worker<JobData, JobResult>(this.#announcement.queue, (job, token) => this.#process(job, token), {
      connection: this.#client,
      prefix: KEY_PREFIX,
      name: this.name,
      concurrency: slots,
      lockDuration: LOCK_MS,
      stalledInterval: STALLED_CHECK_MS,
      maxStalledCount: MAX_STALLED,
    });
    this.#worker.on('error', (error) => {
      // Released jobs' locks are gone: BullMQ's complaints about them are expected.
      if (!this.#released && !CONNECTION_ERROR.test(errorMessage(error))) log(`error: ${errorMessage(error)}`);
    });
    this.#worker.on('stalled', (jobId) => log(`job ${jobId} stalled (its worker stopped mid-batch): back in the queue`));
    this.#announcement.state = 'ready';
    this.#announce();
    log(`serving ${describeModel(model)} on Redis at ${redactUrl(url)}, queue ${this.#announcement.queue}, ${slots} batch${slots === 1 ? '' : 'es'} at a time`);
  }

  /** Takes no new job, lets the running ones finish, and withdraws the announcement. */
  stop(): Promise<void> {
    this.#stopping ??= this.#shutdown();
    return this.#stopping;
  }

  /**
   * Puts the running jobs back in the queue, where another worker takes them at once, and lets go
   * of Redis. Their translations, still under way here, are then of no use: the caller destroys
   * the backend and exits without waiting for them.
   */
  async release(): Promise<void> {
    this.#released = true;
    const active = [...this.#active.values()];
    this.#active.clear();
    await Promise.all(active.map(({ job, token }) => withTimeout(job.moveToWait(token), 2000, 'release').catch(() => undefined)));
    if (active.length > 0) this.#options.log(`released ${active.length} running job${active.length === 1 ? '' : 's'} back to the queue`);
    await this.#leave();
  }

  async #shutdown(): Promise<void> {
    this.#announcement.state = 'stopping';
    this.#announce();
    const running = this.#active.size;
    if (running > 0) this.#options.log(`finishing ${running} running job${running === 1 ? '' : 's'}`);
    // Without Redis a finished job cannot be handed back, and closing would wait for it forever:
    // such jobs return to the queue through the stalled-job check once Redis is back.
    const lost = await Promise.race([this.#worker?.close().then(() => false), this.#redisLost()]);
    if (lost && this.#active.size > 0) this.#options.log('Redis is unreachable: the running jobs go back to the queue when their lock expires');
    await this.#leave();
  }

  async #leave(): Promise<void> {
    this.#left = true;
    clearInterval(this.#timer);
    await withTimeout(withdraw(this.#client, this.name), 1000, 'withdraw').catch(() => undefined);
    this.#client.disconnect();
  }

  async #process(job: Job<JobData, JobResult>, token: string | undefined): Promise<JobResult> {
    const { log } = this.#options;
    const problem = checkJobData(job.data);
    if (problem !== undefined) {
      log(`refused job ${job.id}: ${problem}`);
      throw new UnrecoverableError(failedReason('protocol', `worker ${this.name}: ${problem}`));
    }
    const mismatch = modelMismatch(this.#options.model, job.data.model);
    if (mismatch !== undefined) {
      log(`refused job ${job.id}: ${mismatch}`);
      throw new UnrecoverableError(failedReason('model', `worker ${this.name}: ${mismatch}`));
    }
    const id = job.id ?? '?';
    this.#active.set(id, { job, token });
    const started = performance.now();
    try {
      const { translations } = await this.#backend!.translate({ texts: job.data.texts, decode: job.data.decode });
      const workMs = performance.now() - started;
      const tokens = translations.reduce((sum, t) => sum + t.tokens, 0);
      Object.assign(this.#totals, {
        jobs: this.#totals.jobs + 1,
        sentences: this.#totals.sentences + translations.length,
        tokens: this.#totals.tokens + tokens,
        busyMs: this.#totals.busyMs + workMs,
      });
      log(`job ${id}: ${translations.length} sentence${translations.length === 1 ? '' : 's'}, ${tokens} tokens in ${(workMs / 1000).toFixed(2)} s (${Math.round((tokens * 1000) / workMs)} tokens/s)`);
      return { translations, worker: this.name, workMs };
    } catch (error) {
      this.#totals.failed++;
      const reason: JobFailure = error instanceof PoolError && (error.reason === 'timeout' || error.reason === 'translate') ? error.reason : 'crashed';
      log(`job ${id} failed (${reason}): ${errorMessage(error)}`);
      throw new Error(failedReason(reason, `worker ${this.name}: ${errorMessage(error)}`), { cause: error });
    } finally {
      this.#active.delete(id);
    }
  }

  /** Resolves with true once the announcements fail (checked every ANNOUNCE_EVERY_MS). */
  async #redisLost(): Promise<boolean> {
    while (this.#connected !== false) {
      if (this.#left) return false;
      await new Promise((resolve) => setTimeout(resolve, ANNOUNCE_EVERY_MS / 4));
    }
    return true;
  }

  /** Renews the announcement; reports losing and regaining Redis once each. */
  #announce(): void {
    const { url, log } = this.#options;
    withTimeout(announce(this.#client, this.#announcement), ANNOUNCE_EVERY_MS, 'announce').then(
      () => {
        if (this.#connected !== true) log(`${this.#connected === undefined ? 'connected to' : 'reconnected to'} Redis at ${redactUrl(url)}`);
        this.#connected = true;
      },
      (error: unknown) => {
        if (this.#connected !== false && !this.#released) log(`cannot reach Redis at ${redactUrl(url)} (${this.#lastError ?? describeRedisError(error)}); retrying`);
        this.#connected = false;
      },
    );
  }
}
