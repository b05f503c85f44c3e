/**
 * `npm run bench`: issue 7's benchmark. Builds the workload, makes sure the generated full-size
 * model exists, runs every configuration in its own child process (bench/child.ts), then prints
 * the table and writes results.json. Not part of `npm test`.
 *
 *   npm run bench                      full run (about 20 minutes on 2 quiet cores), writes bench/results.json
 *   npm run bench -- --quick           about a minute: (a), (b), (c), one ceiling, x4, beams 4
 *   npm run bench -- --only naive-q8,fr2en-defaults --out bench/out/x.json
 *   npm run bench -- --list            the configuration ids (--only also takes a group: sweep, ceiling, ...)
 *   npm run bench -- --sentences 64    a smaller (or larger) workload
 *   npm run bench -- --only quality    BLEU, chrF and speed of decoding settings on a real model (../shared)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadModelTokenizer } from '../src/translate/model-tokenizer.js';
import { machineDetails } from './lib/machine.js';
import { BENCH_MODEL, ensureBenchModel } from './lib/model.js';
import { makePlan } from './lib/plan.js';
import { runQualityGroup } from './lib/quality.js';
import { checkGoals, formatSummary, formatTable, summarize, toRow, type Row } from './lib/report.js';
import { failedResult, type BenchConfig, type ChildJob, type RunResult } from './lib/types.js';
import { buildWorkload, paddedPositions, workloadBatches, type Workload } from './lib/workload.js';

// `npm run bench` compiles the benchmark and fr2en to build/ and runs them there, as a user runs
// dist/: under tsx every process and worker thread would also carry tsx's loader (about 100 MiB
// each) and its heap, which is not fr2en's cost.
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT_DIR = path.join(REPO_ROOT, 'bench/out');
const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));
/** A child running longer than this is killed and its row marked failed. */
const CHILD_TIMEOUT_MS = 20 * 60_000;

const log = (line: string) => process.stderr.write(`${line}\n`);

function parseCli(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
      only: { type: 'string' },
      sentences: { type: 'string' },
      list: { type: 'boolean', default: false },
    },
  });
  const sentences = values.sentences === undefined ? undefined : Number(values.sentences);
  if (sentences !== undefined && (!Number.isInteger(sentences) || sentences < 1)) {
    throw new TypeError(`Expected \`--sentences\` to be a positive integer, got ${values.sentences}`);
  }
  return { ...values, sentences, only: values.only?.split(',').map((id) => id.trim()).filter(Boolean) };
}

function selectConfigs(configs: BenchConfig[], only: string[] | undefined, all: BenchConfig[]): BenchConfig[] {
  if (!only) return configs;
  const unknown = only.filter((id) => !all.some((config) => config.id === id || config.group === id));
  if (unknown.length > 0) throw new TypeError(`Unknown --only id(s): ${unknown.join(', ')}; --list shows them`);
  return all.filter((config) => only.includes(config.id) || only.includes(config.group));
}

/** Main-thread tokenizer costs: counting (the Scheduler's), batch encode and decode (the pool's). */
async function tokenizerCosts(modelDir: string, workload: Workload) {
  // A tokenizer of its own: the counter's word memo must start cold, as at the start of a run.
  const tokenizer = await loadModelTokenizer(modelDir);
  let started = performance.now();
  for (const piece of workload.pieces) tokenizer.counter.count(piece.text);
  const countMs = performance.now() - started;
  let encodeMs = 0;
  let decodeMs = 0;
  for (let i = 0; i < workload.pieces.length; i += 16) {
    const texts = workload.pieces.slice(i, i + 16).map((piece) => piece.text);
    started = performance.now();
    const { inputIds, batchSize, length } = tokenizer.tokenize(texts);
    encodeMs += performance.now() - started;
    const rows = Array.from({ length: batchSize }, (_, b) => Array.from(inputIds.subarray(b * length, (b + 1) * length), Number));
    started = performance.now();
    tokenizer.detokenize(rows);
    decodeMs += performance.now() - started;
  }
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return { countColdMs: round(countMs), encodeBatches16Ms: round(encodeMs), decodeBatches16Ms: round(decodeMs) };
}

/**
 * Extra decoder positions, relative to the useful ones, if rows ran to their batch's longest row:
 * by batch size and by the Scheduler's sort window (pieces). Pure arithmetic, no timing noise.
 */
function paddingBounds(workload: Workload): Record<string, number> {
  const bounds: Record<string, number> = {};
  for (const batchSize of [8, 16, 32]) {
    bounds[`batch${batchSize}-unsorted`] = paddedPositions(workloadBatches(workload, batchSize, 1, false)) / workload.targetTokens - 1;
    for (const window of [64, 128, 256, 512, 100_000]) {
      const name = window === 100_000 ? 'all' : String(window);
      bounds[`batch${batchSize}-window${name}`] = paddedPositions(workloadBatches(workload, batchSize, 1, true, Math.max(window, batchSize))) / workload.targetTokens - 1;
    }
  }
  for (const [key, value] of Object.entries(bounds)) bounds[key] = Math.round(value * 1000) / 1000;
  return bounds;
}

function runChild(job: ChildJob): Promise<RunResult> {
  // A result left by an earlier run must not pass for this one's.
  rmSync(job.resultFile, { force: true });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CHILD, JSON.stringify(job)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(readFileSync(job.resultFile, 'utf8')) as RunResult);
      } catch (error) {
        resolve(failedResult(job.config.id, `child exited (${signal ?? code}) without a result: ${stderr || String(error)}`, 0));
      }
    });
  });
}

async function main(argv: string[]): Promise<number> {
  const args = parseCli(argv);
  const plan = makePlan(args.quick);
  // Every id either mode knows; on a clash this mode's version wins (its batch counts).
  const all = [...plan.configs, ...makePlan(!args.quick).configs.filter((c) => !plan.configs.some((p) => p.id === c.id))];
  if (args.list) {
    for (const config of all) console.log(`${config.id.padEnd(24)} ${config.group.padEnd(9)} ${config.label}`);
    return 0;
  }
  const selected = selectConfigs(plan.configs, args.only, all);
  // Quality rows bring their own model and test set (bench/lib/quality.ts); the others share the generated model.
  const configs = selected.filter((config) => config.group !== 'quality');
  const qualityConfigs = selected.filter((config) => config.group === 'quality');
  const defaultOut = args.quick ? 'bench/out/results-quick.json' : args.only ? 'bench/out/results-partial.json' : 'bench/results.json';
  const outFile = path.resolve(REPO_ROOT, args.out ?? defaultOut);
  mkdirSync(OUT_DIR, { recursive: true });
  if (configs.length === 0) return runQualityOnly(qualityConfigs, outFile);

  const model = await ensureBenchModel(REPO_ROOT, log);
  const workload = buildWorkload(REPO_ROOT, args.sentences ?? plan.sentences, (await loadModelTokenizer(model.dir)).counter);
  const workloadFile = path.join(OUT_DIR, 'workload.json');
  writeFileSync(workloadFile, JSON.stringify(workload));
  const tokenizer = await tokenizerCosts(model.dir, workload);
  const padding = paddingBounds(workload);
  log(
    `workload: ${workload.sentences} sentences (${workload.pieces.length} pieces) from ${workload.source}, ` +
      `${workload.sourceWords} words, ${workload.sourceTokens} source tokens -> ${workload.targetTokens} target tokens`,
  );

  const machine = machineDetails(REPO_ROOT);
  const results = new Map<string, RunResult>();
  for (const [i, config] of configs.entries()) {
    log(`[${i + 1}/${configs.length}] ${config.id}: ${config.label}`);
    const result = await runChild({ config, modelDir: model.dir, workloadFile, resultFile: path.join(OUT_DIR, `${config.id}.json`) });
    results.set(config.id, result);
    log(
      result.ok
        ? `    load ${(result.loadMs / 1000).toFixed(2)} s, run ${(result.runMs / 1000).toFixed(1)} s, ` +
            `${((result.targetTokens * 1000) / result.runMs).toFixed(0)} target tok/s, peak RSS ${result.peakRssMiB.toFixed(0)} MiB`
        : `    FAILED: ${result.error}`,
    );
  }

  const quality = qualityConfigs.length > 0 ? await runQualityGroup(qualityConfigs, { repoRoot: REPO_ROOT, outDir: OUT_DIR, runChild, log }) : undefined;

  const naiveFp32 = results.get('naive-fp32');
  const rows: Row[] = configs.map((config) => toRow(config, results.get(config.id)!, machine.cores, naiveFp32));
  const summary = summarize(rows, configs);
  const goals = checkGoals(summary);
  console.log(formatTable(rows));
  console.log();
  console.log(formatSummary(summary, goals));
  if (quality) console.log(`\n${quality.text}`);

  const { notes, ...keys } = summary;
  const report = {
    date: new Date().toISOString(),
    mode: args.quick ? 'quick' : args.only ? 'partial' : 'full',
    ...keys,
    goals,
    notes,
    machine,
    model: { dir: path.relative(REPO_ROOT, model.dir), ...BENCH_MODEL, generatedMs: model.generatedMs },
    workload: {
      source: workload.source,
      paragraphs: workload.paragraphs.length,
      sentences: workload.sentences,
      pieces: workload.pieces.length,
      sourceWords: workload.sourceWords,
      sourceTokens: workload.sourceTokens,
      targetTokens: workload.targetTokens,
      lengthRule: 'each piece generates ceil(1.1 x source tokens); EOS unreachable',
    },
    tokenizer,
    paddingBound: padding,
    rows: rows.map(({ result, ...row }) => ({ ...row, computedTokens: result.computedTokens, pieces: result.pieces, extra: result.extra })),
    ...(quality ? { quality: quality.report } : {}),
  };
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${path.relative(REPO_ROOT, outFile)}`);
  return rows.every((row) => row.ok) && (quality?.ok ?? true) ? 0 : 1;
}

/** `--only quality`: the quality rows alone, without generating the benchmark model. */
async function runQualityOnly(configs: BenchConfig[], outFile: string): Promise<number> {
  const quality = await runQualityGroup(configs, { repoRoot: REPO_ROOT, outDir: OUT_DIR, runChild, log });
  console.log(quality.text);
  const report = { date: new Date().toISOString(), mode: 'partial', machine: machineDetails(REPO_ROOT), quality: quality.report };
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${path.relative(REPO_ROOT, outFile)}`);
  return quality.ok ? 0 : 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Bad flags (parseArgs and selectConfigs throw TypeError): a message, not a stack; exit 2.
  if (!(error instanceof TypeError)) throw error;
  log(`bench: ${error.message}`);
  process.exitCode = 2;
}
