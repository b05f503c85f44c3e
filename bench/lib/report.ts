/** Pure functions from results to rows, summary and table text; run.ts does the printing. */
import { numberOrNull } from './measure.js';
import { IDS } from './plan.js';
import type { BenchConfig, RunResult } from './types.js';

export interface Row {
  id: string;
  label: string;
  group: BenchConfig['group'];
  ok: boolean;
  error?: string;
  sourceWordsPerSecond: number | null;
  targetTokensPerSecond: number | null;
  /** Target tokens/s divided by the cores the configuration uses (workers x threads, at most the machine's). */
  targetTokensPerSecondPerCore: number | null;
  coresUsed: number;
  loadSeconds: number;
  runSeconds: number;
  peakRssMiB: number;
  /** Source words/s relative to baseline (a). */
  ratioVsNaiveFp32: number | null;
  /**
   * Extra decoder positions, relative to the useful ones, if every row ran to its batch's longest
   * row (transformers.js' generate does; fr2en's decoder drops finished rows, so it is a bound).
   */
  paddingWaste: number | null;
  outputHash: string | null;
  result: RunResult;
}

export function toRow(config: BenchConfig, result: RunResult, machineCores: number, naiveFp32: RunResult | undefined): Row {
  const seconds = result.runMs / 1000;
  const ok = result.ok && seconds > 0;
  const coresUsed = result.threadsUsed === 0 ? machineCores : Math.min(result.threadsUsed, machineCores);
  const wps = ok ? result.sourceWords / seconds : null;
  const tps = ok ? result.targetTokens / seconds : null;
  const baseWps = naiveFp32?.ok ? naiveFp32.sourceWords / (naiveFp32.runMs / 1000) : null;
  return {
    id: config.id,
    label: config.label,
    group: config.group,
    ok: result.ok,
    ...(result.error ? { error: result.error } : {}),
    sourceWordsPerSecond: wps,
    targetTokensPerSecond: tps,
    targetTokensPerSecondPerCore: tps === null ? null : tps / coresUsed,
    coresUsed,
    loadSeconds: result.loadMs / 1000,
    runSeconds: seconds,
    peakRssMiB: result.peakRssMiB,
    ratioVsNaiveFp32: wps !== null && baseWps ? wps / baseWps : null,
    paddingWaste: ok && result.computedTokens !== null ? result.computedTokens / result.targetTokens - 1 : null,
    outputHash: result.outputHash,
    result,
  };
}

export interface Summary {
  ratioVsNaiveFp32: number | null;
  ratioVsNaiveQ8: number | null;
  targetTokensPerSecond: number | null;
  /** Best target tokens/s among the q8 ceiling rows that run the workload's lengths. */
  ceilingTargetTokensPerSecond: number | null;
  ceilingPercent: number | null;
  peakRssMiB: number | null;
  /** run time at x4 / (4 x run time at x1); x1 is the defaults row. */
  scaling4x: number | null;
  scaling16x: number | null;
  beam4CostVsGreedy: number | null;
  /** Against issue 19's yardstick (IDS.reference): defaults and beams 4 throughput ratios. */
  defaultsVsReference: number | null;
  beams4VsReference: number | null;
  beams4PeakRssMiB: number | null;
  /** Largest peak RSS among the defaults row and its x4 / x16 repeats. */
  defaultsPeakRssAllScalesMiB: number | null;
  /** The scale-16x-pss row's peak PSS and, sampled in the same row, its peak RSS. */
  x16PeakPssMiB: number | null;
  x16PssRowPeakRssMiB: number | null;
  /** Share of sentences whose token ids the prepared graph keeps (agreement rows). */
  q8Agreement: number | null;
  fp32Agreement: number | null;
  /** Shares of one worker's time by what it spends it on (the profile row). */
  workerTimeShares: Record<string, number> | null;
  notes: string[];
}

export function summarize(rows: Row[], configs: BenchConfig[]): Summary {
  const byId = new Map(rows.filter((row) => row.ok).map((row) => [row.id, row]));
  const def = byId.get(IDS.defaults);
  const a = byId.get(IDS.naiveFp32);
  const b = byId.get(IDS.naiveQ8);
  const notes: string[] = [];
  const ratio = (x: number | null | undefined, y: number | null | undefined) => (x && y ? x / y : null);
  const ceilingRows = rows.filter((row) => {
    const spec = configs.find((config) => config.id === row.id)?.spec;
    return row.ok && spec?.kind === 'ceiling' && spec.dtype === 'q8' && spec.lengths !== 'mean';
  });
  const ceiling = ceilingRows.length > 0 ? Math.max(...ceilingRows.map((row) => row.targetTokensPerSecond ?? 0)) : null;
  const scaling = (id: string, factor: number) => {
    const scaled = byId.get(id);
    return def && scaled ? scaled.runSeconds / (factor * def.runSeconds) : null;
  };
  const reference = byId.get(IDS.reference);
  const agreementOf = (id: string) => numberOrNull(byId.get(id)?.result.extra.agreement);
  let beam4: number | null = null;
  const beamRow = byId.get(IDS.beams4);
  if (def && beamRow) {
    if (beamRow.outputHash !== null && beamRow.outputHash === def.outputHash) {
      notes.push('beams: 4 produced exactly the greedy output: beam search is not wired into the Translator yet, so beam4CostVsGreedy is null.');
    } else {
      beam4 = beamRow.runSeconds / def.runSeconds;
    }
  }
  return {
    ratioVsNaiveFp32: ratio(def?.sourceWordsPerSecond, a?.sourceWordsPerSecond),
    ratioVsNaiveQ8: ratio(def?.sourceWordsPerSecond, b?.sourceWordsPerSecond),
    targetTokensPerSecond: def?.targetTokensPerSecond ?? null,
    ceilingTargetTokensPerSecond: ceiling,
    ceilingPercent: def?.targetTokensPerSecond && ceiling ? (100 * def.targetTokensPerSecond) / ceiling : null,
    peakRssMiB: def?.peakRssMiB ?? null,
    scaling4x: scaling(IDS.scale4, 4),
    scaling16x: scaling(IDS.scale16, 16),
    beam4CostVsGreedy: beam4,
    defaultsVsReference: ratio(def?.targetTokensPerSecond, reference?.targetTokensPerSecond),
    beams4VsReference: ratio(beamRow?.targetTokensPerSecond, reference?.targetTokensPerSecond),
    beams4PeakRssMiB: beamRow?.peakRssMiB ?? null,
    defaultsPeakRssAllScalesMiB: def ? Math.max(...[def, byId.get(IDS.scale4), byId.get(IDS.scale16)].map((row) => row?.peakRssMiB ?? 0)) : null,
    x16PeakPssMiB: numberOrNull(byId.get(IDS.scale16Pss)?.result.extra.peakPssMiB),
    x16PssRowPeakRssMiB: byId.get(IDS.scale16Pss)?.peakRssMiB ?? null,
    q8Agreement: agreementOf(IDS.agreementQ8),
    fp32Agreement: agreementOf(IDS.agreementFp32),
    workerTimeShares: (byId.get(IDS.profile)?.result.extra.shares as Record<string, number> | undefined) ?? null,
    notes,
  };
}

/** Goals from issue 7, checked against the summary (null = not measured in this run). */
export function checkGoals(summary: Summary): Record<string, boolean | null> {
  const atLeast = (value: number | null, floor: number) => (value === null ? null : value >= floor);
  const atMost = (value: number | null, ceiling: number) => (value === null ? null : value <= ceiling);
  return {
    'defaults >= 4x (a) in source words/s': atLeast(summary.ratioVsNaiveFp32, 4),
    'defaults >= 2x (b) in source words/s': atLeast(summary.ratioVsNaiveQ8, 2),
    'defaults >= 700 target tokens/s': atLeast(summary.targetTokensPerSecond, 700),
    'defaults >= 70% of the ceiling': atLeast(summary.ceilingPercent, 70),
    'defaults peak RSS <= 1.5 GiB': atMost(summary.peakRssMiB, 1536),
    'x16 time <= 16 x 1.1 x the x1 time': atMost(summary.scaling16x, 1.1),
    // Issue 19's floors, against the fixed yardstick row ceiling-q8-b16-2x1.
    'defaults >= 1.25x ceiling-q8-b16-2x1': atLeast(summary.defaultsVsReference, 1.25),
    'defaults peak RSS <= 800 MiB at x1, x4, x16': atMost(summary.defaultsPeakRssAllScalesMiB, 800),
    'beams 4 >= 0.35x ceiling-q8-b16-2x1': atLeast(summary.beams4VsReference, 0.35),
    'beams 4 peak RSS <= 1.25 GiB': atMost(summary.beams4PeakRssMiB, 1280),
    'prepared q8 graph: same token ids on >= 99% of sentences': atLeast(summary.q8Agreement, 0.99),
    'prepared fp32 graph: same token ids on every sentence': atLeast(summary.fp32Agreement, 1),
  };
}

const fmt = (value: number | null, digits = 0) => (value === null ? '-' : value.toFixed(digits));
const pct = (share: number | null) => (share === null ? '-' : `${(100 * share).toFixed(1)}%`);

/** The stdout table (Markdown, so it pastes into the README as is). */
export function formatTable(rows: Row[]): string {
  const header = ['config', 'id', 'src words/s', 'target tok/s', 'tok/s/core', 'load s', 'peak RSS MiB', 'vs (a)', 'pad bound'];
  const lines = rows.map((row) =>
    row.ok
      ? [
          row.label,
          row.id,
          row.group === 'ceiling' ? `(${fmt(row.sourceWordsPerSecond)})` : fmt(row.sourceWordsPerSecond),
          fmt(row.targetTokensPerSecond),
          fmt(row.targetTokensPerSecondPerCore),
          fmt(row.loadSeconds, 2),
          fmt(row.peakRssMiB),
          row.ratioVsNaiveFp32 === null ? '-' : `${row.ratioVsNaiveFp32.toFixed(2)}x`,
          row.paddingWaste === null ? '-' : `${(100 * row.paddingWaste).toFixed(0)}%`,
        ]
      : [row.label, row.id, 'FAILED', '', '', '', fmt(row.peakRssMiB), '', ''],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  const render = (cells: string[]) => `| ${cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [render(header), rule, ...lines.map(render)].join('\n');
}

export function formatSummary(summary: Summary, goals: Record<string, boolean | null>): string {
  const lines = [
    `defaults vs (a) naive fp32: ${fmt(summary.ratioVsNaiveFp32, 2)}x   vs (b) naive q8: ${fmt(summary.ratioVsNaiveQ8, 2)}x`,
    `defaults: ${fmt(summary.targetTokensPerSecond)} target tok/s = ${fmt(summary.ceilingPercent, 1)}% of the ceiling (${fmt(summary.ceilingTargetTokensPerSecond)} tok/s); peak RSS ${fmt(summary.peakRssMiB)} MiB`,
    `defaults at x16, peak PSS (a page the processes share counted once): ${fmt(summary.x16PeakPssMiB)} MiB, against ${fmt(summary.x16PssRowPeakRssMiB)} MiB peak RSS in the same row (${IDS.scale16Pss})`,
    `scaling: x4 ${fmt(summary.scaling4x, 3)}, x16 ${fmt(summary.scaling16x, 3)} (time / (n x time at x1)); beams 4 cost vs greedy: ${fmt(summary.beam4CostVsGreedy, 2)}`,
    `vs ${IDS.reference}: defaults ${fmt(summary.defaultsVsReference, 2)}x, beams 4 ${fmt(summary.beams4VsReference, 2)}x; prepared graph agreement: q8 ${pct(summary.q8Agreement)}, fp32 ${pct(summary.fp32Agreement)}`,
    ...(summary.workerTimeShares
      ? ['where one worker spends its time (profiler on):', ...Object.entries(summary.workerTimeShares).map(([what, share]) => `  ${pct(share).padStart(6)}  ${what}`)]
      : []),
    ...summary.notes,
    ...Object.entries(goals).map(([goal, met]) => `${met === null ? 'n/a ' : met ? 'PASS' : 'FAIL'}  ${goal}`),
  ];
  return lines.join('\n');
}
