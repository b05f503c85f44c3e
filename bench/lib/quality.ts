/**
 * The quality group: what decoding choices cost in translation quality, next to what they gain in
 * speed. mini-fr-en (../shared/models/mini-fr-en, a small MarianMT trained on Multi30K) translates
 * the 1,000 sentences of Multi30K test 2016 with real decoding, and each row reports BLEU and chrF
 * against the human English with the target tokens/s of the same run. Rows: fp32 and q8 x greedy
 * and 4 beams x the n-gram guard on and off, plus fr2en's defaults. Each row runs in its own
 * child process, like every other row (bench/lib/runners/quality.ts).
 *
 * mini-fr-en stands in for its domain (short image descriptions), not for opus-mt-fr-en on news:
 * the table ranks decoding settings; its absolute scores say nothing about news.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { numberOrNull } from './measure.js';
import type { BenchConfig, ChildJob, QualityConfig, RunResult } from './types.js';

export const QUALITY_MODEL = '../shared/models/mini-fr-en';
export const QUALITY_TEST_SET = '../shared/data/parallel/multi30k-test_2016_flickr';
export const QUALITY_NOTE =
  'mini-fr-en is a stand-in for its domain (Multi30K image descriptions, 7.6M parameters), not opus-mt-fr-en on news: ' +
  'the rows rank decoding settings against each other; absolute scores do not carry over to news.';

/** The guard size studied ("on"): fr2en's default when this table was made. */
const GUARD = 4;

function qualityRow(dtype: 'fp32' | 'q8', beams: number, guard: boolean): BenchConfig {
  return {
    id: `quality-${dtype}-b${beams}${guard ? '' : '-noguard'}`,
    label: `${dtype}, ${beams === 1 ? 'greedy' : `${beams} beams`}, n-gram guard ${guard ? `on (${GUARD})` : 'off'}`,
    group: 'quality',
    spec: { kind: 'quality', dtype, beams, noRepeatNgramSize: guard ? GUARD : 0 },
  };
}

export const QUALITY_CONFIGS: readonly BenchConfig[] = [
  ...(['fp32', 'q8'] as const).flatMap((dtype) => [1, 4].flatMap((beams) => [true, false].map((guard) => qualityRow(dtype, beams, guard)))),
  // No option set: whatever fr2en's defaults are when the benchmark runs.
  { id: 'quality-defaults', label: 'fr2en defaults', group: 'quality', spec: { kind: 'quality' } },
];

export interface QualityInputs {
  modelDir: string;
  frenchFile: string;
}

/** The model and test set under `repoRoot`, or why they cannot be used. */
export function qualityInputs(repoRoot: string): QualityInputs | { missing: string } {
  const modelDir = path.resolve(repoRoot, QUALITY_MODEL);
  const frenchFile = path.resolve(repoRoot, `${QUALITY_TEST_SET}.fr`);
  for (const needed of [path.join(modelDir, 'config.json'), frenchFile, path.resolve(repoRoot, `${QUALITY_TEST_SET}.en`)]) {
    if (!existsSync(needed)) return { missing: needed };
  }
  return { modelDir, frenchFile };
}

export interface QualityRow {
  id: string;
  label: string;
  ok: boolean;
  error?: string;
  dtype: string | null;
  beams: number | null;
  noRepeatNgramSize: number | null;
  bleu: number | null;
  chrf: number | null;
  targetTokensPerSecond: number | null;
  sourceWordsPerSecond: number | null;
  /** Target tokens per CPU second of fr2en's processes (main and workers). */
  targetTokensPerCpuSecond: number | null;
  /** Wall time relative to the defaults row (same run). */
  timeVsDefaults: number | null;
  /** CPU time relative to the defaults row (same run). */
  cpuVsDefaults: number | null;
  loadSeconds: number;
  runSeconds: number;
  peakRssMiB: number;
  workers: number | null;
  outputHash: string | null;
}

export interface QualityReport {
  model: string;
  testSet: string;
  note: string;
  sentences: number | null;
  bleuSignature: string | null;
  chrfSignature: string | null;
  rows: QualityRow[];
}

const stringOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

export function toQualityRows(configs: readonly BenchConfig[], results: ReadonlyMap<string, RunResult>): QualityRow[] {
  const defaults = results.get('quality-defaults');
  const defaultsCpuMs = defaults?.ok ? numberOrNull(defaults.extra.cpuMs) : null;
  return configs.map((config) => {
    const result = results.get(config.id)!;
    const seconds = result.runMs / 1000;
    const ok = result.ok && seconds > 0;
    const cpuMs = ok ? numberOrNull(result.extra.cpuMs) : null;
    const spec = config.spec as QualityConfig;
    return {
      id: config.id,
      label: config.label,
      ok,
      ...(result.error ? { error: result.error } : {}),
      dtype: stringOrNull(result.extra.dtype) ?? spec.dtype ?? null,
      beams: numberOrNull(result.extra.beams) ?? spec.beams ?? null,
      noRepeatNgramSize: numberOrNull(result.extra.noRepeatNgramSize) ?? spec.noRepeatNgramSize ?? null,
      bleu: ok ? numberOrNull(result.extra.bleu) : null,
      chrf: ok ? numberOrNull(result.extra.chrf) : null,
      targetTokensPerSecond: ok ? result.targetTokens / seconds : null,
      sourceWordsPerSecond: ok ? result.sourceWords / seconds : null,
      targetTokensPerCpuSecond: cpuMs ? (result.targetTokens * 1000) / cpuMs : null,
      timeVsDefaults: ok && defaults?.ok && defaults.runMs > 0 ? result.runMs / defaults.runMs : null,
      cpuVsDefaults: cpuMs && defaultsCpuMs ? cpuMs / defaultsCpuMs : null,
      loadSeconds: result.loadMs / 1000,
      runSeconds: seconds,
      peakRssMiB: result.peakRssMiB,
      workers: numberOrNull(result.extra.workers),
      outputHash: result.outputHash,
    };
  });
}

const fmt = (value: number | null, digits = 0) => (value === null ? '-' : value.toFixed(digits));

/** The stdout table, Markdown like the speed table. */
export function formatQualityTable(rows: readonly QualityRow[]): string {
  const header = ['config', 'id', 'BLEU', 'chrF', 'target tok/s', 'tok/CPU-s', 'CPU vs defaults', 'peak RSS MiB'];
  const lines = rows.map((row) =>
    row.ok
      ? [
          row.id === 'quality-defaults' ? `${row.label} (${row.dtype}, beams ${row.beams}, guard ${row.noRepeatNgramSize})` : row.label,
          row.id,
          fmt(row.bleu, 2),
          fmt(row.chrf, 2),
          fmt(row.targetTokensPerSecond),
          fmt(row.targetTokensPerCpuSecond),
          row.cpuVsDefaults === null ? '-' : `${row.cpuVsDefaults.toFixed(2)}x`,
          fmt(row.peakRssMiB),
        ]
      : [row.label, row.id, 'FAILED', '', '', '', '', fmt(row.peakRssMiB)],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  const render = (cells: string[]) => `| ${cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [render(header), rule, ...lines.map(render)].join('\n');
}

export interface QualityRun {
  report: QualityReport | { skipped: string };
  /** The table, or the line saying why the group was skipped. */
  text: string;
  ok: boolean;
}

/**
 * Runs the selected quality rows, each through `runChild` (one child process per row). Without
 * ../shared the group is skipped with a message and counts as done: the data is not in the repository.
 */
export async function runQualityGroup(
  configs: readonly BenchConfig[],
  options: { repoRoot: string; outDir: string; runChild: (job: ChildJob) => Promise<RunResult>; log: (line: string) => void },
): Promise<QualityRun> {
  const inputs = qualityInputs(options.repoRoot);
  if ('missing' in inputs) {
    const skipped = `quality rows skipped: ${inputs.missing} not found (the model and test set live in ../shared)`;
    options.log(skipped);
    return { report: { skipped }, text: skipped, ok: true };
  }
  const results = new Map<string, RunResult>();
  for (const [i, config] of configs.entries()) {
    options.log(`[quality ${i + 1}/${configs.length}] ${config.id}: ${config.label}`);
    const result = await options.runChild({
      config,
      modelDir: inputs.modelDir,
      workloadFile: inputs.frenchFile,
      resultFile: path.join(options.outDir, `${config.id}.json`),
    });
    results.set(config.id, result);
    options.log(
      result.ok
        ? `    BLEU ${fmt(numberOrNull(result.extra.bleu), 2)}, chrF ${fmt(numberOrNull(result.extra.chrf), 2)}, pass ${(result.runMs / 1000).toFixed(1)} s ` +
            `(median of ${result.extra.passMs}), ${((result.targetTokens * 1000) / result.runMs).toFixed(0)} target tok/s, CPU ${fmt(numberOrNull(result.extra.cpuMs))} ms`
        : `    FAILED: ${result.error}`,
    );
  }
  const rows = toQualityRows(configs, results);
  const first = [...results.values()].find((result) => result.ok);
  return {
    report: {
      model: QUALITY_MODEL,
      testSet: `${QUALITY_TEST_SET}.{fr,en}`,
      note: QUALITY_NOTE,
      sentences: first?.pieces ?? null,
      bleuSignature: first ? stringOrNull(first.extra.bleuSignature) : null,
      chrfSignature: first ? stringOrNull(first.extra.chrfSignature) : null,
      rows,
    },
    text: `Quality: ${QUALITY_MODEL} on ${QUALITY_TEST_SET}.fr (${first?.pieces ?? '?'} sentences), BLEU and chrF against the human English.\n${QUALITY_NOTE}\n\n${formatQualityTable(rows)}`,
    ok: rows.every((row) => row.ok),
  };
}
