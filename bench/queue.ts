/**
 * The queue benchmark (issue 17): the same workload, in the same run, translated by
 *   - local:  fr2en's local pool, 2 worker processes x 1 thread (the default on 2 cores);
 *   - queue:  `fr2en translate --redis` with two `fr2en worker` processes of 1 thread each, on the
 *             same machine, through a redis-server started here;
 * rounds alternating, so that a noisy neighbour hurts both rows alike. Then a latency probe sends
 * batches one at a time through each backend to measure the queue's per-job overhead.
 *
 *   npm run build && npx tsc -p bench/tsconfig.json && node build/bench/queue.js [--rounds 3] [--sentences 400] [--probe 24]
 *
 * Runs compiled, as users run dist/. Needs redis-server on the PATH. Writes bench/out/queue.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveTranslatorOptions, type TranslatorOptions } from '../src/config.js';
import type { SourceParagraph } from '../src/document.js';
import { QueueBackend, startQueueBackend } from '../src/queue/backend.js';
import { queueModel } from '../src/queue/model.js';
import { segmentDocument } from '../src/segment/index.js';
import { loadModelTokenizer } from '../src/translate/model-tokenizer.js';
import { TranslationPool } from '../src/translate/pool.js';
import { createTranslator, Translator } from '../src/translator.js';
import { median } from './lib/measure.js';
import { ensureBenchModel } from './lib/model.js';
import { FORCED_DECODE, buildWorkload } from './lib/workload.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The workers run as users run them: the package's compiled CLI (npm run build).
const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');
const MULTI30K = path.resolve(REPO_ROOT, '../shared/data/parallel/multi30k-val.fr');
const log = (line: string) => process.stderr.write(`${line}\n`);

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, sentences: { type: 'string', default: '400' }, probe: { type: 'string', default: '24' } },
});
const ROUNDS = Number(values.rounds);
const SENTENCES = Number(values.sentences);
const PROBE_BATCHES = Number(values.probe);
for (const [flag, value] of [['--rounds', ROUNDS], ['--sentences', SENTENCES], ['--probe', PROBE_BATCHES]] as const) {
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`Expected \`${flag}\` to be a positive integer, got ${value}`);
}

/** Real French: Multi30K's validation captions (one paragraph each) when ../shared has them, else the benchmark's own workload. */
async function workload(modelDir: string): Promise<{ source: string; paragraphs: SourceParagraph[] }> {
  if (existsSync(MULTI30K)) {
    const lines = [...new Set(readFileSync(MULTI30K, 'utf8').split('\n').map((line) => line.trim()).filter(Boolean))].slice(0, SENTENCES);
    return { source: path.relative(REPO_ROOT, MULTI30K), paragraphs: segmentDocument(lines.join('\n\n'), 'multi30k').paragraphs };
  }
  const built = buildWorkload(REPO_ROOT, SENTENCES, (await loadModelTokenizer(modelDir)).counter);
  return { source: built.source, paragraphs: built.paragraphs };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startRedis(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Ready to accept connections') && resolve());
  });
  return { url: `redis://127.0.0.1:${port}`, child };
}

async function startWorker(url: string, modelDir: string, name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, 'worker', '--redis', url, '--model', modelDir, '--dtype', 'q8', '--workers', '1', '--threads', '1', '--name', name], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let text = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes(' serving ')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`worker ${name} exited (${code}): ${text}`)));
  });
  return child;
}

const TICKS_PER_SECOND = 100;

/**
 * CPU seconds used so far by this process and every process under it (the local pool's workers,
 * the `fr2en worker` processes and their pools, redis-server). On a shared machine a row's wall
 * time depends on the neighbours; the CPU it burns per token does much less.
 */
function treeCpuSeconds(pid = process.pid): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    let ticks = Number(fields[11]) + Number(fields[12]);
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (children) for (const child of children.split(' ')) ticks += treeCpuSeconds(Number(child)) * TICKS_PER_SECOND;
    }
    return ticks / TICKS_PER_SECOND;
  } catch {
    return 0; // a process that just exited
  }
}

interface RowRun {
  row: 'local' | 'queue';
  loadMs: number;
  runMs: number;
  targetTokens: number;
  words: number;
  tokensPerSecond: number;
  /** CPU seconds (all processes) per 1000 target tokens. */
  cpuPer1kTokens: number;
  /** Queue row: the backend's mean round trip minus the worker's time, per job, ms (includes waiting in Redis for a slot). */
  meanQueuedMs?: number;
  jobs?: number;
  outputs: string[];
}

interface OpenRow {
  row: RowRun['row'];
  translator: Translator;
  queue?: QueueBackend;
  loadMs: number;
}

/** A Translator kept for every round of its row, so both rows run on warm model sessions. */
async function openRow(row: RowRun['row'], modelDir: string, url: string): Promise<OpenRow> {
  const options: TranslatorOptions = { model: modelDir, dtype: 'q8', workers: 2, threads: 1, decode: FORCED_DECODE, ...(row === 'queue' ? { redis: url } : {}) };
  let queue: QueueBackend | undefined;
  const loadStart = performance.now();
  const translator = await createTranslator(
    options,
    row === 'queue' ? { backend: async (config, modelPath, tokenizer) => (queue = await startQueueBackend(config, modelPath, tokenizer)) } : {},
  );
  return { row, translator, queue, loadMs: performance.now() - loadStart };
}

async function runRow({ row, translator, queue, loadMs }: OpenRow, paragraphs: SourceParagraph[]): Promise<RowRun> {
  let targetTokens = 0;
  let words = 0;
  const outputs: string[] = [];
  const before = queue?.stats();
  const cpuStart = treeCpuSeconds();
  const start = performance.now();
  for await (const paragraph of translator.translateParagraphs(paragraphs, {
    onProgress: (event) => {
      targetTokens += event.targetTokens;
      words += event.sourceWords;
    },
  })) {
    outputs.push(...paragraph.pairs.map((pair) => pair.target));
  }
  const runMs = performance.now() - start;
  const cpu = treeCpuSeconds() - cpuStart;
  const after = queue?.stats();
  const jobs = after && before ? after.jobs - before.jobs : 0;
  return {
    row,
    loadMs,
    runMs,
    targetTokens,
    words,
    tokensPerSecond: (targetTokens * 1000) / runMs,
    cpuPer1kTokens: (cpu * 1000) / targetTokens,
    ...(after && before ? { jobs, meanQueuedMs: (after.roundTripMs - before.roundTripMs - (after.workMs - before.workMs)) / jobs } : {}),
    outputs,
  };
}

/** Batches one at a time through each backend: the queue's own cost per job, with no waiting for a slot. */
async function probe(modelDir: string, paragraphs: SourceParagraph[], url: string) {
  const config = resolveTranslatorOptions({ model: modelDir, dtype: 'q8', decode: FORCED_DECODE });
  const texts = paragraphs.flatMap((p) => p.sentences.filter((s) => s.translate).map((s) => s.text));
  const batches = Array.from({ length: PROBE_BATCHES }, (_, i) => texts.slice(i * 16, i * 16 + 16)).filter((batch) => batch.length > 0);
  const tokenizer = await loadModelTokenizer(modelDir);
  const pool = await TranslationPool.start({ modelPath: modelDir, dtype: 'q8', threads: 1, workers: 1, taskTimeoutMs: 120_000, tokenizer });
  const queue = await QueueBackend.start(url, await queueModel(modelDir, modelDir, 'q8'));
  const local: number[] = [];
  const remote: number[] = [];
  try {
    // Alternate, so that both see the same machine; one warm-up call each.
    await pool.translate({ texts: batches[0], decode: config.decode });
    await queue.translate({ texts: batches[0], decode: config.decode });
    const warm = queue.stats();
    for (const batch of batches) {
      let start = performance.now();
      await pool.translate({ texts: batch, decode: config.decode });
      local.push(performance.now() - start);
      start = performance.now();
      await queue.translate({ texts: batch, decode: config.decode });
      remote.push(performance.now() - start);
    }
    const stats = queue.stats();
    const jobs = stats.jobs - warm.jobs;
    return {
      batches: batches.length,
      localMeanMs: mean(local),
      queueMeanMs: mean(remote),
      localMs: local.map(Math.round),
      queueMs: remote.map(Math.round),
      /** Round trip minus the worker's own time on the batch: Redis, the worker's fetch, the result's way back. */
      overheadPerJobMs: (stats.roundTripMs - warm.roundTripMs - (stats.workMs - warm.workMs)) / jobs,
    };
  } finally {
    await pool.close();
    await queue.close();
  }
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${path.relative(REPO_ROOT, CLI)} is missing: run npm run build first`);
  const model = await ensureBenchModel(REPO_ROOT, log);
  const { source, paragraphs } = await workload(model.dir);
  log(`workload: ${paragraphs.length} paragraphs from ${source}`);
  const redis = await startRedis();
  const workers: ChildProcess[] = [];
  try {
    workers.push(...(await Promise.all([startWorker(redis.url, model.dir, 'bench-1'), startWorker(redis.url, model.dir, 'bench-2')])));
    const rows = [await openRow('local', model.dir, redis.url), await openRow('queue', model.dir, redis.url)];
    const runs: RowRun[] = [];
    try {
      // Round 0 warms both rows' model sessions up (ONNX Runtime's first runs of each shape are
      // slower) and is left out of the medians.
      for (let round = 0; round <= ROUNDS; round++) {
        for (const opened of round % 2 ? rows : [...rows].reverse()) {
          const run = await runRow(opened, paragraphs);
          if (round > 0) runs.push(run);
          log(`round ${round}${round === 0 ? ' (warm-up)' : ''} ${run.row.padEnd(5)}: ${(run.runMs / 1000).toFixed(2)} s, ${run.tokensPerSecond.toFixed(0)} target tok/s, ${run.cpuPer1kTokens.toFixed(2)} CPU s per 1k tokens` +
            (run.meanQueuedMs === undefined ? '' : `, ${run.jobs} jobs, ${run.meanQueuedMs.toFixed(1)} ms per job from add to result besides the work (mostly waiting for a slot)`));
        }
      }
    } finally {
      for (const opened of rows) await opened.translator.close();
    }
    const same = runs.every((run) => run.outputs.join('\n') === runs[0].outputs.join('\n'));
    const tokens = new Set(runs.map((run) => run.targetTokens));
    const local = median(runs.filter((r) => r.row === 'local').map((r) => r.tokensPerSecond));
    const queue = median(runs.filter((r) => r.row === 'queue').map((r) => r.tokensPerSecond));
    const localCpu = median(runs.filter((r) => r.row === 'local').map((r) => r.cpuPer1kTokens));
    const queueCpu = median(runs.filter((r) => r.row === 'queue').map((r) => r.cpuPer1kTokens));
    const latency = await probe(model.dir, paragraphs, redis.url);
    const report = {
      date: new Date().toISOString(),
      workload: { source, paragraphs: paragraphs.length, targetTokens: [...tokens] },
      rows: runs.map(({ outputs, ...run }) => run),
      medianTokensPerSecond: { local, queue },
      medianCpuSecondsPer1kTokens: { local: localCpu, queue: queueCpu },
      queueVsLocal: queue / local,
      sameOutputs: same,
      latencyProbe: latency,
    };
    mkdirSync(path.join(REPO_ROOT, 'bench/out'), { recursive: true });
    writeFileSync(path.join(REPO_ROOT, 'bench/out/queue.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`| row | median target tok/s | vs local | median CPU s per 1k tokens |`);
    console.log(`|---|---:|---:|---:|`);
    console.log(`| local pool, 2 workers x 1 thread | ${local.toFixed(0)} | 1.00 | ${localCpu.toFixed(2)} |`);
    console.log(`| queue, 2 fr2en worker x 1 thread | ${queue.toFixed(0)} | ${(queue / local).toFixed(2)} | ${queueCpu.toFixed(2)} |`);
    console.log(`outputs identical across rows and rounds: ${same}; target tokens per run: ${[...tokens].join(', ')}`);
    console.log(
      `latency probe (${latency.batches} batches of 16, one at a time): local ${latency.localMeanMs.toFixed(1)} ms, queue ${latency.queueMeanMs.toFixed(1)} ms per batch; ` +
        `queue overhead per job ${latency.overheadPerJobMs.toFixed(2)} ms (round trip minus the worker's time)`,
    );
  } finally {
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(workers.map((worker) => new Promise((resolve) => (worker.exitCode === null ? worker.on('exit', resolve) : resolve(null)))));
    redis.child.kill('SIGKILL');
  }
}

await main();
