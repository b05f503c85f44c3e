/**
 * `fr2en translate --redis` with `fr2en worker` processes, as a user runs them: a real
 * redis-server, worker child processes on the generated tiny model, real signals. Outputs are
 * compared byte for byte with a local run (fp32: its output does not depend on batch neighbours).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TranslationMemory } from '../src/cache/index.js';
import { runCli } from './helpers/cli.js';
import { TINY_MODEL_DIR } from './helpers/models.js';
import { CLI, freezePool, startWorker, thawPool, type WorkerProcess } from './helpers/queue-worker.js';
import { hasRedisServer, startRedisServer, type RedisServer } from './helpers/redis-server.js';

const FILES = 8;

function corpus(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fr2en-queue-in-'));
  for (let f = 0; f < FILES; f++) {
    const paragraphs = Array.from({ length: 12 }, (_, p) =>
      `Le dossier ${f} traite de la question ${p}. Les élus ont débattu pendant ${p + f} heures. La décision sera publiée au journal officiel le ${p + 1} mars.`,
    );
    writeFileSync(path.join(dir, `article-${f}.txt`), paragraphs.join('\n\n'));
  }
  return dir;
}

const args = (input: string, out: string) => ['translate', input, '-o', out, '--format', 'txt,jsonl', '--model', TINY_MODEL_DIR, '--dtype', 'fp32', '--batch-size', '4'];

/** Every output file of `out` (the cache folder aside), as bytes. */
function outputs(out: string): Map<string, Buffer> {
  return new Map(readdirSync(out).filter((name) => !name.startsWith('.')).sort().map((name) => [name, readFileSync(path.join(out, name))]));
}

function expectSameOutputs(out: string, reference: string): void {
  const got = outputs(out);
  const want = outputs(reference);
  expect([...got.keys()]).toEqual([...want.keys()]);
  for (const [name, bytes] of want) expect(got.get(name)!.equals(bytes), name).toBe(true);
}

/** Keys of jobs still in Redis (job hashes are `fr2en:<queue>:<run>-<n>`). */
async function jobKeys(client: Redis): Promise<string[]> {
  return (await client.keys('fr2en:translate.*')).filter((key) => /:[0-9a-f]{8}-\d+$/.test(key));
}

function summaryCounts(stderr: string): { translated: number; cached: number } {
  const match = /sentences: (\d+) translated, (\d+) from cache/.exec(stderr);
  if (!match) throw new Error(`no summary in: ${stderr}`);
  return { translated: Number(match[1]), cached: Number(match[2]) };
}

/** A coordinator in its own process, so it can be signalled as a user would. */
function coordinator(argv: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, stderr: () => stderr };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const redisMissing = !hasRedisServer();
if (redisMissing) console.warn('queue tests skipped: redis-server is not installed (apt-get install redis-server)');

describe.skipIf(redisMissing)('translate --redis with fr2en worker processes', () => {
  let redis: RedisServer;
  let client: Redis;
  let workers: WorkerProcess[] = [];
  let input: string;
  let reference: string;

  beforeAll(async () => {
    input = corpus();
    reference = mkdtempSync(path.join(tmpdir(), 'fr2en-queue-ref-'));
    redis = await startRedisServer();
    client = new Redis(redis.url);
    const [local, ...started] = await Promise.all([runCli([...args(input, reference), '--no-cache', '--workers', '1']), startWorker(redis.url, 'a'), startWorker(redis.url, 'b')]);
    expect(local.code, local.stderr).toBe(0);
    workers = started;
  });

  afterAll(async () => {
    for (const worker of workers) worker.signal('SIGKILL');
    client?.disconnect();
    await redis?.kill();
  });

  it('writes the same bytes as a local run, sharing the batches between the workers, and leaves no job in Redis', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'fr2en-queue-out-'));
    const run = await runCli([...args(input, out), '--redis', redis.url]);
    expect(run.code, run.stderr).toBe(0);
    expectSameOutputs(out, reference);
    for (const worker of workers) expect(worker.log(), worker.name).toMatch(/ job [0-9a-f]{8}-\d+: \d+ sentences?, \d+ tokens in [\d.]+ s \(\d+ tokens\/s\)/);
    // removeOnComplete: a finished job leaves nothing behind.
    expect(await jobKeys(client)).toEqual([]);
    for (const key of await client.keys('fr2en:translate.*')) {
      if (/:(wait|active|completed|failed)$/.test(key)) expect(await client.llen(key).catch(async () => client.zcard(key)), key).toBe(0);
    }
  });

  it('a worker killed with SIGKILL mid-batch: its batch goes to another worker, and the outputs are the same', async () => {
    const doomed = await startWorker(redis.url, 'doomed');
    // Its model processes stopped: the batch it takes stays in its hands until it is killed.
    const frozen = freezePool(doomed);
    const out = mkdtempSync(path.join(tmpdir(), 'fr2en-queue-kill-'));
    const run = runCli([...args(input, out), '--redis', redis.url]);
    let held: string | undefined;
    await until(async () => {
      for (const key of await client.keys('fr2en:translate.*:active')) {
        for (const id of await client.lrange(key, 0, -1)) {
          if ((await client.hget(`${key.slice(0, -':active'.length)}:${id}`, 'pb')) === 'doomed') held = id;
        }
      }
      return held !== undefined;
    }, 'the doomed worker to take a batch');
    const killed = Date.now();
    doomed.signal('SIGKILL');
    thawPool(frozen, 'SIGKILL');
    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    expectSameOutputs(out, reference);
    // The batch went back to the queue when the lock of the dead worker expired (worker.ts: LOCK_MS + STALLED_CHECK_MS).
    expect(Date.now() - killed).toBeLessThan(15_000);
    expect(workers.map((worker) => worker.log()).join('')).toContain(`job ${held} stalled`);
    expect(workers.map((worker) => worker.log()).join('')).toMatch(new RegExp(`job ${held}: \\d+ sentences`));
    expect((await doomed.exited).signal).toBe('SIGKILL');
  });

  it('a coordinator interrupted (exit 130) or killed: the rerun resumes from its cache and ends with the same outputs', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'fr2en-queue-resume-'));
    const written = () => readdirSync(out).filter((name) => name.endsWith('.en.txt')).length;

    const interrupted = coordinator([...args(input, out), '--redis', redis.url]);
    await until(() => written() >= 1, 'a first file');
    interrupted.child.kill('SIGINT');
    expect((await interrupted.exited).code, interrupted.stderr()).toBe(130);

    const before = written();
    const killed = coordinator([...args(input, out), '--redis', redis.url]);
    await until(() => written() > before, 'one more file');
    killed.child.kill('SIGKILL');
    expect((await killed.exited).signal).toBe('SIGKILL');
    expect(written()).toBeLessThan(FILES);

    const memory = TranslationMemory.open(path.join(out, '.fr2en', 'cache.db'));
    const stored = memory.count();
    memory.close();
    const rerun = await runCli([...args(input, out), '--redis', redis.url]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const { translated, cached } = summaryCounts(rerun.stderr);
    expect(cached).toBeGreaterThan(0);
    const final = TranslationMemory.open(path.join(out, '.fr2en', 'cache.db'));
    // The rerun sent the workers only the sentences the memory did not hold.
    expect(translated).toBe(final.count() - stored);
    final.close();
    expectSameOutputs(out, reference);
    expect(existsSync(path.join(out, '.fr2en', 'cache.db'))).toBe(true);
  });
});
