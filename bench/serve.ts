/**
 * Load benchmark of `fr2en serve` (issue 18): autocannon on loopback against the LibreTranslate
 * route, 1, 8 and 32 concurrent clients each sending one paragraph at a time, with the generated
 * full-size model (bench/lib/model.ts, forced lengths: every sentence generates exactly
 * ceil(1.1 x its source tokens), so token throughput compares runs exactly). Set beside it:
 * `fr2en translate`'s throughput on the same sentences (the Translator the CLI uses, translating
 * them as one file), and the server with batching off (batch size 1). The machine may be shared:
 * each 32-client run with batching on is set between two runs of translate and compared with
 * their mean (`--repeats` such runs).
 *
 *   npx tsx bench/serve.ts [--duration 30] [--clients 1,8,32] [--off-clients 1,8,32] [--repeats 2] [--out FILE]
 *
 * Three processes: this one runs autocannon; the server and the baseline each run in a child
 * (`--role server|baseline`), so the load generator never shares the server's event loop.
 * Server throughput is the steady-state rate of the server's own token counter (/metrics),
 * sampled from 10% to 90% of each run; requests/s and latency come from autocannon, latency
 * percentiles computed from every response's time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { detectFrench } from '../src/read/language.js';
import { createServer, resolveServeOptions } from '../src/serve/index.js';
import { loadModelTokenizer } from '../src/translate/model-tokenizer.js';
import { Translator } from '../src/translator.js';
import { ensureBenchModel } from './lib/model.js';
import { buildWorkload, FORCED_DECODE } from './lib/workload.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SELF = fileURLToPath(import.meta.url);

interface Settings {
  model: string;
  batchSize: number;
}

function translatorOptions({ model, batchSize }: Settings) {
  // fr2en's defaults on 2 cores (q8, 2 workers x 1 thread), forced lengths.
  return { model, dtype: 'q8' as const, workers: 2, threads: 1, batchSize, decode: FORCED_DECODE };
}

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

// ---- child roles ---------------------------------------------------------------------------

/** The server: fr2en serve's createServer with a Translator on the bench model; prints its URL. */
async function serverRole(settings: Settings): Promise<void> {
  const translator = await Translator.create(translatorOptions(settings));
  const server = await createServer(resolveServeOptions({ port: 0, maxQueue: 1_000_000, requestTimeoutMs: 600_000, maxChars: 1_000_000, batchLimit: 100_000 }));
  server.service.ready(translator);
  const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  process.on('SIGTERM', () => {
    void server.close().then(() => translator.close()).then(() => process.exit(0));
  });
}

/** `fr2en translate`'s work on the same paragraphs: one text, the Translator's default path, timed after a warm-up. */
async function baselineRole(settings: Settings, paragraphs: string[]): Promise<void> {
  const translator = await Translator.create(translatorOptions(settings));
  const isFrench = (text: string) => detectFrench(text).french;
  await translator.translateText(paragraphs.slice(0, 8).join('\n\n'), 'warm-up', { isFrench });
  let tokens = 0;
  let sentences = 0;
  const started = performance.now();
  await translator.translateText(paragraphs.join('\n\n'), 'workload', {
    isFrench,
    onProgress: (event) => {
      tokens += event.targetTokens;
      sentences += event.translated;
    },
  });
  const seconds = (performance.now() - started) / 1000;
  await translator.close();
  process.stdout.write(`${JSON.stringify({ seconds, tokens, sentences, tokensPerSecond: tokens / seconds, sentencesPerSecond: sentences / seconds })}\n`);
}

// ---- orchestration -------------------------------------------------------------------------

function child(role: string, settings: Settings, paragraphsFile?: string): { process: ChildProcess; firstLine: Promise<Record<string, unknown>> } {
  const args = ['--import', 'tsx', SELF, '--role', role, '--model', settings.model, '--batch-size', String(settings.batchSize)];
  if (paragraphsFile) args.push('--paragraphs', paragraphsFile);
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const firstLine = new Promise<Record<string, unknown>>((resolve, reject) => {
    let buffer = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const newline = buffer.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>);
    });
    proc.on('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
  });
  return { process: proc, firstLine };
}

async function targetTokens(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^fr2en_target_tokens_total (\S+)$/m.exec(text)![1]);
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface LoadResult {
  clients: number;
  batchSize: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  failed: { errors: number; timeouts: number; non2xx: number };
  tokensPerSecond: number;
}

/** autocannon at `clients` connections, each sending the next paragraph as soon as its last answer came. */
async function load(url: string, paragraphs: string[], clients: number, seconds: number, batchSize: number): Promise<LoadResult> {
  let next = 0;
  const times: number[] = [];
  const samples: Array<[number, number]> = [];
  const sample = async () => samples.push([performance.now(), await targetTokens(url)]);
  const timers = [0.1, 0.9].map((at) => setTimeout(() => void sample(), at * seconds * 1000));
  const instance = autocannon({
    url,
    connections: clients,
    duration: seconds,
    timeout: 300,
    requests: [
      {
        method: 'POST',
        path: '/translate',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request: Record<string, unknown>) => ({
          ...request,
          body: JSON.stringify({ q: paragraphs[next++ % paragraphs.length], source: 'fr', target: 'en' }),
        }),
      },
    ],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  const result = await instance;
  timers.forEach(clearTimeout);
  times.sort((a, b) => a - b);
  const [[t0, k0], [t1, k1]] = samples;
  return {
    clients,
    batchSize,
    seconds: result.duration,
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / result.duration,
    latencyMs: { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), max: times.at(-1) ?? NaN },
    failed: { errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx },
    tokensPerSecond: ((k1 - k0) * 1000) / (t1 - t0),
  };
}

async function withServer<T>(settings: Settings, run: (url: string) => Promise<T>): Promise<T> {
  const server = child('server', settings);
  try {
    const { url } = (await server.firstLine) as { url: string };
    return await run(url);
  } finally {
    const exited = new Promise((resolve) => server.process.once('exit', resolve));
    server.process.kill('SIGTERM');
    await exited;
  }
}

async function baseline(settings: Settings, paragraphsFile: string) {
  return (await child('baseline', settings, paragraphsFile).firstLine) as { seconds: number; tokens: number; sentences: number; tokensPerSecond: number; sentencesPerSecond: number };
}

async function orchestrate(): Promise<void> {
  const duration = Number(arg('duration', '30'));
  const clientCounts = arg('clients', '1,8,32').split(',').map(Number);
  const offClients = arg('off-clients', '1,8,32').split(',').filter(Boolean).map(Number);
  const out = path.resolve(ROOT, arg('out', 'bench/out/serve.json'));
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const { dir: model } = await ensureBenchModel(ROOT, log);
  const tokenizer = await loadModelTokenizer(model);
  const workload = buildWorkload(ROOT, 400, tokenizer.counter);
  const paragraphs = workload.paragraphs.map((p) => p.text);
  const scratch = path.resolve(ROOT, 'bench/out');
  mkdirSync(scratch, { recursive: true });
  const paragraphsFile = path.join(scratch, 'serve-paragraphs.json');
  writeFileSync(paragraphsFile, JSON.stringify(paragraphs));
  log(`workload: ${paragraphs.length} paragraphs, ${workload.sentences} sentences, ${workload.targetTokens} target tokens (${workload.source})`);
  const loadAverageStart = os.loadavg();

  const on = { model, batchSize: 16 };
  const off = { model, batchSize: 1 };
  const runs: LoadResult[] = [];
  const measure = async (settings: Settings, clients: readonly number[]) =>
    withServer(settings, async (url) => {
      await load(url, paragraphs, 8, 5, settings.batchSize); // warm-up, not reported
      for (const count of clients) {
        log(`serve, batch ${settings.batchSize}, ${count} clients...`);
        runs.push(await load(url, paragraphs, count, duration, settings.batchSize));
        log(`  ${JSON.stringify(runs.at(-1))}`);
      }
    });
  // The machine may be shared: every 32-client run with batching on sits between two baseline
  // runs, and is compared with their mean.
  const baselines: Array<Awaited<ReturnType<typeof baseline>>> = [];
  const runBaseline = async () => {
    log('baseline (translate, batch 16)...');
    baselines.push(await baseline(on, paragraphsFile));
    log(`  ${baselines.at(-1)!.tokensPerSecond.toFixed(0)} tok/s`);
  };
  const comparisons: Array<{ serveTokensPerSecond: number; translateTokensPerSecond: number; ratio: number }> = [];
  const compareLast = () => {
    const serve = runs.at(-1)!.tokensPerSecond;
    const translate = (baselines.at(-2)!.tokensPerSecond + baselines.at(-1)!.tokensPerSecond) / 2;
    comparisons.push({ serveTokensPerSecond: serve, translateTokensPerSecond: translate, ratio: serve / translate });
  };
  await runBaseline();
  await measure(on, clientCounts);
  await runBaseline();
  if (clientCounts.includes(32)) compareLast();
  for (let repeat = 1; repeat < Number(arg('repeats', '2')); repeat++) {
    await measure(on, [32]);
    await runBaseline();
    compareLast();
  }
  if (offClients.length > 0) await measure(off, offClients);

  const translateTokensPerSecond = baselines.reduce((sum, b) => sum + b.tokensPerSecond, 0) / baselines.length;
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus()[0]?.model, cores: os.availableParallelism(), memoryGiB: Math.round(os.totalmem() / 2 ** 30), loadAverageStart, loadAverageEnd: os.loadavg(), node: process.version },
    model: 'generated opus-mt-fr-en (full size, random weights), q8, 2 workers x 1 thread, forced lengths (1.1 x source tokens)',
    workload: { source: workload.source, paragraphs: paragraphs.length, sentences: workload.sentences, targetTokens: workload.targetTokens },
    durationSeconds: duration,
    translate: { runs: baselines, tokensPerSecond: translateTokensPerSecond },
    runs,
    serveVsTranslateAt32: comparisons,
    zeroFailed: runs.every((run) => run.failed.errors + run.failed.timeouts + run.failed.non2xx === 0),
  };
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  log(`\n| clients | batch | req/s | p50 ms | p95 ms | p99 ms | tok/s | vs translate | failed |`);
  log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const run of runs) {
    const failed = run.failed.errors + run.failed.timeouts + run.failed.non2xx;
    const ms = (value: number) => Math.round(value);
    log(`| ${run.clients} | ${run.batchSize} | ${run.requestsPerSecond.toFixed(2)} | ${ms(run.latencyMs.p50)} | ${ms(run.latencyMs.p95)} | ${ms(run.latencyMs.p99)} | ${run.tokensPerSecond.toFixed(0)} | ${((100 * run.tokensPerSecond) / translateTokensPerSecond).toFixed(0)}% | ${failed} |`);
  }
  log(`translate: ${baselines.map((b) => b.tokensPerSecond.toFixed(0)).join(', ')} tok/s (mean ${translateTokensPerSecond.toFixed(0)})`);
  for (const c of comparisons) log(`32 clients, batching on: ${c.serveTokensPerSecond.toFixed(0)} tok/s = ${(100 * c.ratio).toFixed(0)}% of translate beside it (${c.translateTokensPerSecond.toFixed(0)})`);
  log(`written to ${path.relative(ROOT, out)}`);
}

const role = arg('role', 'orchestrate');
const settings = { model: arg('model', ''), batchSize: Number(arg('batch-size', '16')) };
if (role === 'server') await serverRole(settings);
else if (role === 'baseline') await baselineRole(settings, JSON.parse((await import('node:fs')).readFileSync(arg('paragraphs', ''), 'utf8')) as string[]);
else await orchestrate();
