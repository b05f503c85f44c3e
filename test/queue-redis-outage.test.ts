/**
 * Redis out of reach: at the start (nothing listens at the URL) and in the middle of a run (the
 * redis-server killed). The coordinator says so in one line within seconds and exits 1, keeping
 * its translation memory; a worker waits for Redis and still stops cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TranslationMemory } from '../src/cache/index.js';
import { runCli } from './helpers/cli.js';
import { TINY_MODEL_DIR } from './helpers/models.js';
import { CLI, freezePool, startWorker, thawPool, type WorkerProcess } from './helpers/queue-worker.js';
import { freePort, hasRedisServer, startRedisServer, type RedisServer } from './helpers/redis-server.js';

function corpus(files: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fr2en-outage-in-'));
  for (let f = 0; f < files; f++) {
    const paragraphs = Array.from({ length: 10 }, (_, p) => `Le rapport ${f} décrit la crue numéro ${p}. Les digues ont tenu pendant ${p + f} jours.`);
    writeFileSync(path.join(dir, `rapport-${f}.txt`), paragraphs.join('\n\n'));
  }
  return dir;
}

const args = (input: string, out: string, url: string) => ['translate', input, '-o', out, '--model', TINY_MODEL_DIR, '--dtype', 'fp32', '--batch-size', '4', '--redis', url];

/** The lines the CLI printed as errors or notes (`fr2en: ...`), the summary aside. */
function messages(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('fr2en: ') && !/^fr2en: (files|\d+ of \d+ pairs)/.test(line));
}

/** `promise`, or a failure saying what did not happen (a hang would otherwise say nothing). */
function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what()}`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const redisMissing = !hasRedisServer();

describe.skipIf(redisMissing)('Redis out of reach', () => {
  let redis: RedisServer | undefined;
  let worker: WorkerProcess | undefined;

  afterAll(async () => {
    worker?.signal('SIGKILL');
    await redis?.kill();
  });

  it('at the start: one line naming the URL and the error, exit 1, within seconds', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const out = mkdtempSync(path.join(tmpdir(), 'fr2en-outage-out-'));
    const started = Date.now();
    const run = await runCli(args(corpus(2), out, url));
    expect(run.code, run.stderr).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    const port = url.split(':').at(-1);
    expect(messages(run.stderr)).toEqual([expect.stringMatching(new RegExp(`^fr2en: stopped: cannot reach Redis at ${url}: connect ECONNREFUSED 127\\.0\\.0\\.1:${port} \\(2 files not attempted\\)$`))]);
  });

  it('going away mid-run: the coordinator stops within seconds with one line and exit 1, the memory kept; the worker waits, then stops on SIGTERM', async () => {
    redis = await startRedisServer();
    worker = await startWorker(redis.url, 'patient');
    const out = mkdtempSync(path.join(tmpdir(), 'fr2en-outage-out-'));
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args(corpus(12), out, redis.url)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (const deadline = Date.now() + 30_000; !readdirSync(out).some((name) => name.endsWith('.en.txt')); ) {
      if (Date.now() > deadline) throw new Error(`no file written: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The run cannot finish before Redis goes: the worker's model processes are stopped.
    const frozen = freezePool(worker);
    await redis.kill();
    const killed = Date.now();
    expect(await within(exited, 30_000, () => `the coordinator to exit: ${stderr}`), stderr).toBe(1);
    expect(Date.now() - killed).toBeLessThan(10_000);
    expect(messages(stderr)).toEqual([
      expect.stringMatching(new RegExp(`^fr2en: stopped: lost Redis at ${redis.url} for \\d+ s \\(.*(ECONNREFUSED|ECONNRESET|Connection is closed).*\\); the translation memory keeps what was done, rerun to resume \\(\\d+ files not attempted\\)$`)),
    ]);
    const memory = TranslationMemory.open(path.join(out, '.fr2en', 'cache.db'));
    expect(memory.count()).toBeGreaterThan(0);
    memory.close();
    expect(readdirSync(out).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    thawPool(frozen);
    await worker.waitForLog(/cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ \(.+\); retrying/);
    const stopping = Date.now();
    worker.signal('SIGTERM');
    expect(await within(worker.exited, 30_000, () => `the worker to exit: ${worker!.log()}`)).toEqual({ code: 0, signal: null });
    expect(Date.now() - stopping).toBeLessThan(5000);
    expect(worker.log()).toMatch(/stopped after \d+ batches/);
  });
});
