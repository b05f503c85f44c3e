/**
 * The queue backend: batches go to `fr2en worker` processes through a BullMQ queue on Redis, one
 * job per batch, and come back through the queue's event stream. Scheduling, the token budget,
 * the translation memory, checks and writing stay in this process; only model work travels.
 *
 * The queue is named after the model's files and dtype (protocol.ts), so only workers holding
 * this model see its jobs. Results come back through BullMQ's QueueEvents (one reader per
 * coordinator, matching job ids this coordinator made), so jobs can be removed the moment they
 * finish (`removeOnComplete`, `removeOnFail`) and Redis does not grow.
 *
 * What can go wrong, and what the coordinator does:
 * - a worker dies mid-batch: BullMQ's stalled-job check (run by the other workers, worker.ts)
 *   puts the job back in the queue and another worker takes it; nothing to do here;
 * - a worker fails a batch: a retryable PoolError, so retry.ts tries again, then one text at a time;
 * - a worker refuses a batch (another model): a fatal PoolError, the run stops;
 * - Redis cannot be reached for REDIS_GRACE_MS: a fatal PoolError, the run stops (the memory
 *   keeps what was done);
 * - no worker serves the model for WORKER_WAIT_MS: a fatal PoolError naming the model and the
 *   command that starts a worker;
 * - a job disappears (Redis restarted without persistence): it is failed as crashed and retried.
 */
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { TranslatorConfig } from '../config.js';
import { PoolError } from '../errors.js';
import type { BatchRequest, BatchResult, TranslationBackend } from '../translate/backend.js';
import type { ModelTokenizer } from '../translate/model-tokenizer.js';
import { queueModel } from './model.js';
import { JOB_NAME, JOB_PROTOCOL_VERSION, KEY_PREFIX, describeModel, parseFailedReason, queueName, type JobData, type JobResult, type QueueModel } from './protocol.js';
import { describeRedisError, openRedis, redactUrl, withTimeout } from './redis.js';
import { liveWorkers, workersServing, type WorkerAnnouncement } from './registry.js';

export interface QueueBackendOptions {
  /** How long to wait for a worker serving the model, at start and whenever none is left, ms. @default WORKER_WAIT_MS */
  workerWaitMs?: number;
  /** How long Redis may stay unreachable before the run stops, ms. @default REDIS_GRACE_MS */
  redisGraceMs?: number;
  /** Jobs kept in flight per worker slot. @default JOBS_PER_SLOT */
  jobsPerSlot?: number;
}

/**
 * Long enough for workers started with the coordinator (a Compose file, a Kubernetes Job) to load
 * their model and announce themselves; short enough that a forgotten worker is said within a
 * minute.
 */
export const WORKER_WAIT_MS = 30_000;
/** A Redis restart takes about a second; an outage of several seconds is not going to heal by itself soon. */
export const REDIS_GRACE_MS = 5000;
/**
 * Two jobs per worker slot: one running, one waiting in Redis. A worker that completes a job takes
 * the next in the same Redis call (BullMQ's moveToFinished fetches it), so a slot never waits for
 * the coordinator's round trip. More would only queue work that a Ctrl-C has to wait for and a
 * killed coordinator leaves behind.
 */
export const JOBS_PER_SLOT = 2;
/** How often the coordinator reads the worker announcements and checks on Redis, ms. */
const WATCH_EVERY_MS = 1000;
/** How long one read of the event stream blocks, ms (BullMQ's default is 10 s). */
const EVENTS_BLOCK_MS = 2000;
/** A check that gets no answer within this is an outage (commands wait while Redis is away), ms. */
const PROBE_TIMEOUT_MS = 2000;
/** A job missing from Redis this long (two checks) while still awaited was lost. */
const LOST_CHECK_EVERY = 3;

interface PendingJob {
  /** Settles when the job's result (or failure) arrives. */
  done: Promise<JobResult>;
  resolve(result: JobResult): void;
  reject(error: Error): void;
  /** The job is in Redis (its `add` returned). */
  queued: boolean;
  /** Consecutive checks that found the job missing from Redis. */
  missing: number;
}

/** Round trips seen by this coordinator, for the benchmark. */
export interface QueueStats {
  jobs: number;
  /** Sum of round trips (add to result), ms. */
  roundTripMs: number;
  /** Sum of the time workers said they spent on the batches, ms. */
  workMs: number;
}

export async function startQueueBackend(
  config: TranslatorConfig,
  modelPath: string,
  _tokenizer: ModelTokenizer,
  options: QueueBackendOptions = {},
): Promise<QueueBackend> {
  if (config.backend.kind !== 'redis') throw new PoolError('load', 'the queue backend needs a Redis URL');
  const model = await queueModel(config.model, modelPath, config.dtype);
  return QueueBackend.start(config.backend.url, model, options);
}

export class QueueBackend implements TranslationBackend {
  readonly model: QueueModel;
  readonly #url: string;
  readonly #client: Redis;
  readonly #queue: Queue;
  readonly #events: QueueEvents;
  readonly #options: Required<QueueBackendOptions>;
  readonly #pending = new Map<string, PendingJob>();
  /** Job ids are `<run>-<n>`: unique across coordinators sharing a queue. */
  readonly #run = randomUUID().slice(0, 8);
  #seq = 0;
  #slots: number;
  #lastContact = Date.now();
  #lastError: string | undefined;
  #noWorkerSince: number | undefined;
  #ticks = 0;
  #watching = false;
  #timer: NodeJS.Timeout | undefined;
  #fatal: PoolError | undefined;
  #redisLost = false;
  /** Jobs that were in flight when the run stopped. */
  readonly #abandoned = new Set<string>();
  #closed = false;
  readonly #stats: QueueStats = { jobs: 0, roundTripMs: 0, workMs: 0 };

  private constructor(url: string, model: QueueModel, client: Redis, queue: Queue, events: QueueEvents, slots: number, options: Required<QueueBackendOptions>) {
    this.#url = url;
    this.model = model;
    this.#client = client;
    this.#options = options;
    this.#slots = slots;
    this.#queue = queue;
    this.#events = events;
    const noteError = (error: unknown) => (this.#lastError = describeRedisError(error));
    client.on('error', noteError);
    this.#queue.on('error', noteError);
    events.on('error', noteError);
    this.#events.on('completed', ({ jobId, returnvalue }) => this.#settle(jobId, (job) => job.resolve(returnvalue as unknown as JobResult)));
    this.#events.on('failed', ({ jobId, failedReason }) => {
      if (!this.#pending.has(jobId)) return;
      const error = this.#jobError(failedReason);
      if (error.fatal) this.#fail(error);
      else this.#settle(jobId, (job) => job.reject(error));
    });
  }

  /** Connects, waits (up to `workerWaitMs`) for a worker serving `model`, and starts watching. */
  static async start(url: string, model: QueueModel, options: QueueBackendOptions = {}): Promise<QueueBackend> {
    const filled: Required<QueueBackendOptions> = {
      workerWaitMs: options.workerWaitMs ?? WORKER_WAIT_MS,
      redisGraceMs: options.redisGraceMs ?? REDIS_GRACE_MS,
      jobsPerSlot: options.jobsPerSlot ?? JOBS_PER_SLOT,
    };
    let lastError: unknown;
    const client = openRedis(url, (error) => (lastError = error));
    const queue = new Queue(queueName(model), { connection: client, prefix: KEY_PREFIX });
    queue.on('error', (error) => (lastError = error));
    let events: QueueEvents | undefined;
    try {
      await withTimeout(client.ping(), filled.redisGraceMs, 'ping').catch((error: unknown) => {
        throw new PoolError('load', `cannot reach Redis at ${redactUrl(url)}: ${describeRedisError(lastError ?? error)}`);
      });
      // Read events from the stream's current end, known before any job is added: with BullMQ's
      // default ('$', resolved when the first XREAD runs) a fast first job's result could be missed.
      const last = await client.xrevrange(queue.keys.events, '+', '-', 'COUNT', 1);
      // A short block: after Redis goes away, BullMQ's read watchdog (block + 1 s) is what keeps
      // a finished coordinator alive longest.
      events = new QueueEvents(queue.name, { connection: client, prefix: KEY_PREFIX, lastEventId: last[0]?.[0] ?? '0-0', blockingTimeout: EVENTS_BLOCK_MS });
      events.on('error', (error) => (lastError = error));
      await events.waitUntilReady();
      const slots = await waitForWorkers(client, url, model, filled.workerWaitMs);
      const backend = new QueueBackend(url, model, client, queue, events, slots, filled);
      backend.#watch();
      return backend;
    } catch (error) {
      await withTimeout(Promise.all([events?.close(), queue.close()]), 1000, 'close').catch(() => undefined);
      client.disconnect();
      throw error;
    }
  }

  /** Jobs kept in flight: JOBS_PER_SLOT for each slot the live workers announce (read again per document). */
  get capacity(): number {
    return Math.max(1, this.#slots * this.#options.jobsPerSlot);
  }

  stats(): QueueStats {
    return { ...this.#stats };
  }

  async translate({ texts, decode }: BatchRequest): Promise<BatchResult> {
    if (this.#closed) throw new PoolError('closed', 'the translation queue is closed');
    if (this.#fatal) throw this.#fatal;
    const jobId = `${this.#run}-${++this.#seq}`;
    const data: JobData = { v: JOB_PROTOCOL_VERSION, model: this.model, decode, texts };
    const started = performance.now();
    const pending = { queued: false, missing: 0 } as PendingJob;
    pending.done = new Promise<JobResult>((resolve, reject) => Object.assign(pending, { resolve, reject }));
    this.#pending.set(jobId, pending);
    try {
      // Commands wait while Redis is away; the watchdog fails every pending job if that lasts.
      await Promise.race([
        this.#queue.add(JOB_NAME, data, { jobId, removeOnComplete: true, removeOnFail: true, attempts: 1 }),
        pending.done,
      ]);
    } catch (error) {
      this.#pending.delete(jobId);
      if (error instanceof PoolError) throw error;
      throw new PoolError('crashed', `could not queue a batch on Redis at ${redactUrl(this.#url)}: ${describeRedisError(error)}`, { cause: error });
    }
    pending.queued = true;
    const result = await pending.done;
    this.#stats.jobs++;
    this.#stats.roundTripMs += performance.now() - started;
    this.#stats.workMs += result.workMs;
    return { translations: result.translations };
  }

  /** Waits for the batches in flight (the watchdog still bounds the wait), then disconnects. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#pending.values()].map((job) => job.done));
    clearInterval(this.#timer);
    if (this.#redisLost) {
      // A graceful close would wait for replies that never come.
      void this.#events.close().catch(() => undefined);
      void this.#queue.close().catch(() => undefined);
      this.#client.disconnect();
      return;
    }
    // Jobs nobody waits for any more are taken out of the queue, so no worker spends time on them
    // (a job a worker already holds stays; it is removed when done).
    await withTimeout(Promise.all([...this.#abandoned].map((id) => this.#queue.remove(id).catch(() => 0))), 1000, 'remove').catch(() => undefined);
    await withTimeout(Promise.all([this.#events.close(), this.#queue.close()]), 1000, 'close').catch(() => undefined);
    this.#client.disconnect();
  }

  #settle(jobId: string, settle: (job: PendingJob) => void): void {
    const job = this.#pending.get(jobId);
    if (!job) return; // another coordinator's job
    this.#pending.delete(jobId);
    settle(job);
  }

  #jobError(failedReason: string): PoolError {
    const { reason, message } = parseFailedReason(failedReason);
    switch (reason) {
      case 'model':
      case 'protocol':
        // A worker on this model's queue that holds another model: stop rather than mix.
        return new PoolError('load', `a worker refused a batch: ${message}`);
      case 'crashed':
      case 'timeout':
      case 'translate':
        return new PoolError(reason, message);
      default:
        // BullMQ's own reasons, such as a job whose workers died twice in a row.
        return new PoolError('crashed', `a translation job failed on the queue: ${message}`);
    }
  }

  #watch(): void {
    this.#timer = setInterval(() => {
      if (this.#watching) return;
      this.#watching = true;
      this.#check().finally(() => (this.#watching = false));
    }, WATCH_EVERY_MS);
    // The watchdog alone must not keep a finished program alive.
    this.#timer.unref();
  }

  async #check(): Promise<void> {
    let workers: WorkerAnnouncement[];
    try {
      workers = await withTimeout(liveWorkers(this.#client), PROBE_TIMEOUT_MS, 'worker list');
      this.#lastContact = Date.now();
    } catch (error) {
      this.#lastError ??= describeRedisError(error);
      const away = Date.now() - this.#lastContact;
      if (away >= this.#options.redisGraceMs) {
        this.#redisLost = true;
        const seconds = Math.round(away / 1000);
        this.#fail(new PoolError('closed', `lost Redis at ${redactUrl(this.#url)} for ${seconds} s (${this.#lastError}); the translation memory keeps what was done, rerun to resume`));
      }
      return;
    }
    this.#lastError = undefined;
    const now = Date.now();
    const ours = workersServing(workers, this.model);
    if (ours.length > 0) {
      this.#slots = ours.reduce((sum, worker) => sum + worker.slots, 0);
      this.#noWorkerSince = undefined;
    } else if (this.#pending.size === 0) {
      this.#noWorkerSince = undefined;
    } else {
      this.#noWorkerSince ??= now;
      if (now - this.#noWorkerSince >= this.#options.workerWaitMs) this.#fail(noWorkerError(this.#url, this.model, workers, this.#options.workerWaitMs));
    }
    if (++this.#ticks % LOST_CHECK_EVERY === 0) await this.#findLostJobs();
  }

  /** Jobs that vanished from Redis (a restart without persistence) are failed, so they are retried. */
  async #findLostJobs(): Promise<void> {
    const queued = [...this.#pending].filter(([, job]) => job.queued);
    if (queued.length === 0) return;
    const pipeline = this.#client.pipeline();
    for (const [id] of queued) pipeline.exists(this.#queue.toKey(id));
    const replies = await withTimeout(pipeline.exec(), this.#options.redisGraceMs, 'job check').catch(() => null);
    if (replies === null) return;
    queued.forEach(([id, job], i) => {
      const exists = replies[i]?.[1] === 1;
      job.missing = exists ? 0 : job.missing + 1;
      // Missing twice, checks apart: not a result still on its way through the event stream.
      if (job.missing >= 2) this.#settle(id, (lost) => lost.reject(new PoolError('crashed', 'a batch disappeared from the queue (did Redis restart?); it is sent again')));
    });
  }

  /** Stops the run: every batch waiting fails with `error`, and so does every later one. */
  #fail(error: PoolError): void {
    this.#fatal ??= error;
    for (const id of [...this.#pending.keys()]) {
      this.#abandoned.add(id);
      this.#settle(id, (job) => job.reject(this.#fatal!));
    }
  }
}

/** Waits until a worker serving `model` announces itself; returns the slots announced. */
async function waitForWorkers(client: Redis, url: string, model: QueueModel, waitMs: number): Promise<number> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const workers = await withTimeout(liveWorkers(client), 5000, 'worker list');
    const ours = workersServing(workers, model);
    if (ours.length > 0) return ours.reduce((sum, worker) => sum + worker.slots, 0);
    if (Date.now() >= deadline) throw noWorkerError(url, model, workers, waitMs);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function noWorkerError(url: string, model: QueueModel, workers: readonly WorkerAnnouncement[], waitMs: number): PoolError {
  const others = [...new Set(workers.map((worker) => describeModel(worker.model)))];
  const elsewhere = others.length > 0 ? `; the workers there serve ${others.join(', ')}` : '';
  return new PoolError(
    'load',
    `no fr2en worker serves ${describeModel(model)} on Redis at ${redactUrl(url)} (waited ${Math.round(waitMs / 1000)} s)${elsewhere}; ` +
      `start one with: fr2en worker --redis ${redactUrl(url)} --model ${model.id} --dtype ${model.dtype}`,
  );
}
