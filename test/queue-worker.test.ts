/**
 * One `fr2en worker` at a time on its model's queue, driven by the queue backend in this process:
 * stopping with a batch in hand (finished on the first signal, put back in the queue on the
 * second), refusing a batch for other model files, and the coordinator's messages when no worker
 * serves its model. Real redis-server, real worker processes, real signals.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DECODE } from '../src/config.js';
import { PoolError } from '../src/errors.js';
import { QueueBackend } from '../src/queue/backend.js';
import { queueModel } from '../src/queue/model.js';
import { queueName, type QueueModel } from '../src/queue/protocol.js';
import { liveWorkers } from '../src/queue/registry.js';
import { runCli } from './helpers/cli.js';
import { TINY_MODEL_DIR } from './helpers/models.js';
import { freezePool, startWorker, thawPool, type WorkerProcess } from './helpers/queue-worker.js';
import { hasRedisServer, startRedisServer, type RedisServer } from './helpers/redis-server.js';

const TEXTS = ['Le conseil municipal se réunit ce soir.', 'La séance est publique.'];
const batch = { texts: TEXTS, decode: DEFAULT_DECODE };

const redisMissing = !hasRedisServer();

describe('fr2en worker on the command line', () => {
  it('--help is enough to set a worker up: every option, the model rule, the three-machine recipe, the exit codes', async () => {
    const { code, stdout } = await runCli(['worker', '--help']);
    expect(code).toBe(0);
    for (const option of ['--redis', '--workers', '--threads', '--timeout', '--name', '--model', '--models-dir', '--dtype', '--offline', '--hub-url']) expect(stdout).toContain(option);
    expect(stdout).toContain('the same --model and --dtype');
    expect(stdout).toMatch(/Three machines: on A, run Redis .* on B and C, `fr2en models download` then\s+`fr2en worker --redis redis:\/\/A:6379`/s);
    expect(stdout).toContain('Exit codes: 0 stopped on a signal');
  });

  it('without --redis, or with a URL that is not Redis: one line, exit 2, nothing started', async () => {
    expect(await runCli(['worker'])).toMatchObject({ code: 2, stderr: 'fr2en: Missing required argument: redis (see fr2en worker --help)\n' });
    expect(await runCli(['worker', '--redis', 'http://queue:6379'])).toMatchObject({
      code: 2,
      stderr: 'fr2en: Expected --redis to be a URL such as redis://localhost:6379, got "http://queue:6379" (see fr2en worker --help)\n',
    });
  });
});

describe.skipIf(redisMissing)('fr2en worker on its own queue', () => {
  let redis: RedisServer;
  let client: Redis;
  let model: QueueModel;
  const started: WorkerProcess[] = [];
  const backends: QueueBackend[] = [];

  const worker = async (name: string) => {
    const spawned = await startWorker(redis.url, name, 'q8');
    started.push(spawned);
    return spawned;
  };
  const backend = async (options: Parameters<typeof QueueBackend.start>[2] = {}, as: QueueModel = model) => {
    const opened = await QueueBackend.start(redis.url, as, options);
    backends.push(opened);
    return opened;
  };
  /** Resolves when `worker` holds a job of the model's queue (BullMQ records the worker's name in `pb`). */
  const holding = async (holder: WorkerProcess) => {
    const queue = `fr2en:${queueName(model)}`;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) {
      for (const id of await client.lrange(`${queue}:active`, 0, -1)) {
        if ((await client.hget(`${queue}:${id}`, 'pb')) === holder.name) return id;
      }
    }
    throw new Error(`${holder.name} never took a batch`);
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    client = new Redis(redis.url);
    model = await queueModel(TINY_MODEL_DIR, TINY_MODEL_DIR, 'q8');
  });

  afterAll(async () => {
    await Promise.all(backends.map((opened) => opened.close()));
    for (const spawned of started) spawned.signal('SIGKILL');
    client?.disconnect();
    await redis?.kill();
  });

  it('says when no worker serves the model, after a short wait, naming the command that starts one', async () => {
    const error = await backend({ workerWaitMs: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoolError);
    expect((error as PoolError).fatal).toBe(true);
    expect((error as PoolError).message).toMatch(
      new RegExp(`^no fr2en worker serves .*tiny \\(q8, files ${model.fingerprint.slice(0, 8)}\\) on Redis at ${redis.url} \\(waited 1 s\\); start one with: fr2en worker --redis ${redis.url} --model \\S+tiny --dtype q8$`),
    );
  });

  it('a worker on SIGTERM finishes its running batch, takes no new one and exits 0; a second signal puts the batch back in the queue', async () => {
    const first = await worker('first');
    const queue = await backend();
    // The first batch stays in the hands of the first worker: its model processes are stopped.
    const frozen = freezePool(first);
    const translated = queue.translate(batch);
    const job = await holding(first);

    first.signal('SIGTERM');
    await first.waitForLog(/stopping: taking no new batch/);
    first.signal('SIGTERM');
    await first.waitForLog(/released 1 running job back to the queue/);
    expect(await first.exited).toEqual({ code: 0, signal: null });
    thawPool(frozen, 'SIGKILL');
    expect((await liveWorkers(client)).map((w) => w.id)).not.toContain('first');

    // Released, not lost: the next worker translates it at once, with no stall to wait for.
    const second = await worker('second');
    const result = await translated;
    expect(result.translations).toHaveLength(TEXTS.length);
    expect(second.log()).toContain(`job ${job}: 2 sentences`);

    const frozenAgain = freezePool(second);
    const next = queue.translate(batch);
    await holding(second);
    second.signal('SIGTERM');
    await second.waitForLog(/stopping: taking no new batch/);
    thawPool(frozenAgain);
    expect((await next).translations.map((t) => t.text)).toEqual(result.translations.map((t) => t.text));
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(second.log()).toMatch(/stopped after 2 batches \(0 failed\), 4 sentences, \d+ tokens/);
  });

  it('a worker refuses a batch for other model files; the coordinator stops rather than mix models', async () => {
    const third = await worker('third');
    // Same queue (the name keeps 16 hex digits of the fingerprint), different files.
    const forged: QueueModel = { ...model, fingerprint: `${model.fingerprint.slice(0, 16)}${'0'.repeat(48)}` };
    const queue = await backend({}, forged);
    const error = await queue.translate(batch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoolError);
    expect((error as PoolError).fatal).toBe(true);
    expect((error as PoolError).message).toMatch(/^a worker refused a batch: worker third: different model files: this worker serves .*tiny \(q8, files [0-9a-f]{12}\), the job asks for .*tiny \(q8, files [0-9a-f]{12}\)$/);
    expect(third.log()).toMatch(/refused job [0-9a-f]{8}-1: different model files/);
    // Later batches fail at once: the run is over.
    await expect(queue.translate(batch)).rejects.toBe(error);
  });

  it('a coordinator whose workers all went away says so after the wait, instead of waiting forever', async () => {
    const queue = await backend({ workerWaitMs: 1000 });
    for (const spawned of started) spawned.signal('SIGTERM');
    await Promise.all(started.map((spawned) => spawned.exited));
    const other = await startWorker(redis.url, 'fp32-worker');
    started.push(other);
    const error = await queue.translate(batch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoolError);
    expect((error as PoolError).fatal).toBe(true);
    // The message names what the workers that are there serve, the usual mistake.
    expect((error as PoolError).message).toMatch(/^no fr2en worker serves .*tiny \(q8, .*; the workers there serve .*tiny \(fp32, files [0-9a-f]{8}\); start one with: /);
  });
});
