/**
 * The configurations, as data. Ids are stable (`--only` and results.json use them). fr2en rows
 * give only the options they change; everything else is the Translator's default.
 */
import { WORKER_OLD_SPACE_MIB } from '../../src/translate/pool.js';
import { QUALITY_CONFIGS } from './quality.js';
import type { BenchConfig } from './types.js';

/** Ids the summary keys are computed from. */
export const IDS = {
  naiveFp32: 'naive-fp32',
  naiveQ8: 'naive-q8',
  defaults: 'fr2en-defaults',
  scale4: 'scale-4x',
  scale16: 'scale-16x',
  beams4: 'beams-4',
  /** Issue 19's fixed yardstick: the bare ORT loop on the original q8 graph, 2 x 1 thread, 16 rows. */
  reference: 'ceiling-q8-b16-2x1',
  agreementQ8: 'agreement-q8',
  agreementFp32: 'agreement-fp32',
  profile: 'profile-q8',
  scale16Pss: 'scale-16x-pss',
} as const;

const baseline: BenchConfig[] = [
  { id: IDS.naiveFp32, label: '(a) naive pipeline fp32, 1 sentence/call', group: 'baseline', spec: { kind: 'naive', dtype: 'fp32' } },
  { id: IDS.naiveQ8, label: '(b) naive pipeline q8, 1 sentence/call', group: 'baseline', spec: { kind: 'naive', dtype: 'q8' } },
];

const defaults: BenchConfig = { id: IDS.defaults, label: '(c) fr2en defaults', group: 'defaults', spec: { kind: 'fr2en' } };

/** A ceiling row: the workload's lengths once (see CeilingConfig.lengths), 32 rows, 2 threads, q8 unless set. */
function ceiling(id: string, label: string, spec: Partial<Omit<import('./types.js').CeilingConfig, 'kind'>> = {}): BenchConfig {
  return { id, label, group: 'ceiling', spec: { kind: 'ceiling', dtype: 'q8', batch: 32, threads: 2, batches: 0, ...spec } };
}

const fr2en = (id: string, label: string, spec: Omit<import('./types.js').Fr2enConfig, 'kind'>): BenchConfig => ({
  id,
  label: `fr2en ${label}`,
  group: 'sweep',
  spec: { kind: 'fr2en', ...spec },
});

// workers x threads x batch size.
const sweep: BenchConfig[] = [
  fr2en('w1-t1-b16', '1 worker, 1 thread, batch 16', { workers: 1, threads: 1, batchSize: 16 }),
  fr2en('w1-t2-b16', '1 worker, 2 threads, batch 16', { workers: 1, threads: 2, batchSize: 16 }),
  fr2en('w1-t2-b32', '1 worker, 2 threads, batch 32', { workers: 1, threads: 2, batchSize: 32 }),
  fr2en('w2-t1-b8', '2 workers, 1 thread each, batch 8', { workers: 2, threads: 1, batchSize: 8 }),
  fr2en('w2-t1-b32', '2 workers, 1 thread each, batch 32', { workers: 2, threads: 1, batchSize: 32 }),
  fr2en('w2-t2-b16', '2 workers, 2 threads each, batch 16', { workers: 2, threads: 2, batchSize: 16 }),
  fr2en('fp32', 'fp32 (defaults otherwise)', { dtype: 'fp32' }),
  fr2en('no-ngram-guard', 'defaults, no_repeat_ngram_size 0', { noRepeatNgramSize: 0 }),
  fr2en('qa-off', 'defaults, quality checks off', { qaOff: true }),
  { id: 'pool-sorted', label: 'pool direct, length-sorted batches (defaults)', group: 'sweep', spec: { kind: 'pool', order: 'sorted' } },
  { id: 'pool-doc-order', label: 'pool direct, document-order batches (defaults)', group: 'sweep', spec: { kind: 'pool', order: 'document-order' } },
  // The workers' starting old space (WORKER_OLD_SPACE_MIB in src/translate/pool.ts): V8's default, fr2en's, twice fr2en's.
  { id: 'pool-v8-heap', label: "pool direct, sorted, V8's default worker heap", group: 'sweep', spec: { kind: 'pool', order: 'sorted', workerOldSpaceMiB: 0 } },
  { id: 'pool-heap-128', label: 'pool direct, sorted, workers start with 128 MiB old space', group: 'sweep', spec: { kind: 'pool', order: 'sorted', workerOldSpaceMiB: 128 } },
];

const ceilings: BenchConfig[] = [
  ceiling('ceiling-q8-b32-t2', 'ceiling: ORT direct q8, 32 rows, 2 threads'),
  ceiling('ceiling-q8-b64-t2', 'ceiling: ORT direct q8, 64 rows, 2 threads', { batch: 64 }),
  ceiling('ceiling-q8-b16-t2', 'ceiling: ORT direct q8, 16 rows, 2 threads', { batch: 16 }),
  ceiling('ceiling-q8-b32-t1', 'ceiling: ORT direct q8, 32 rows, 1 thread', { threads: 1 }),
  ceiling('ceiling-q8-b16-2x1', 'ceiling: q8, 2 threads x 1 session each (1 intra-op thread), 16 rows', { batch: 16, threads: 1, parallel: 2 }),
  ceiling('ceiling-q8-b16-2x1-heap', "ceiling: q8, 2 threads x 1 session each, 16 rows, fr2en's worker heap", { batch: 16, threads: 1, parallel: 2, workerOldSpaceMiB: WORKER_OLD_SPACE_MIB }),
  ceiling('ceiling-q8-b32-2x1', 'ceiling: q8, 2 threads x 1 session each (1 intra-op thread), 32 rows', { threads: 1, parallel: 2 }),
  ceiling('ceiling-q8-b32-nospin', 'ceiling: q8 32 rows, intra-op spinning off', { allowSpinning: false }),
  ceiling('ceiling-fp32-b32-t2', 'ceiling: ORT direct fp32, 32 rows, 2 threads', { dtype: 'fp32' }),
  // For reference, not the ceiling: every row at the mean length overstates what a mix can reach.
  ceiling('meanlen-q8-b32-t2', 'reference: ORT direct q8, 32 rows, all at the mean length', { lengths: 'mean', batches: 12 }),
];

const scaling: BenchConfig[] = [
  { id: IDS.scale4, label: 'fr2en defaults, workload x4', group: 'scaling', spec: { kind: 'fr2en', repeat: 4 } },
  { id: IDS.scale16, label: 'fr2en defaults, workload x16', group: 'scaling', spec: { kind: 'fr2en', repeat: 16 } },
  // The largest of the defaults' peaks again, with shared pages counted once (PSS); sampling it slows the row.
  { id: IDS.scale16Pss, label: 'fr2en defaults, workload x16, PSS sampled too', group: 'scaling', spec: { kind: 'fr2en', repeat: 16, samplePss: true } },
];

const beams: BenchConfig = { id: IDS.beams4, label: 'fr2en defaults, beams 4', group: 'beams', spec: { kind: 'fr2en', beams: 4 } };
const beamsSmallBatch: BenchConfig = { id: 'beams-4-b8', label: 'fr2en defaults, beams 4, batch 8', group: 'beams', spec: { kind: 'fr2en', beams: 4, batchSize: 8 } };

const agreement: BenchConfig[] = [
  { id: IDS.agreementQ8, label: 'prepared q8 graph vs original files, same token ids', group: 'agreement', spec: { kind: 'agreement', dtype: 'q8' } },
  { id: IDS.agreementFp32, label: 'prepared fp32 graph vs original files, same token ids', group: 'agreement', spec: { kind: 'agreement', dtype: 'fp32' } },
];

const profile: BenchConfig = { id: IDS.profile, label: 'where a worker spends its time (ORT profiler on; shares only)', group: 'profile', spec: { kind: 'profile', dtype: 'q8' } };

export interface Plan {
  /** Translatable sentences in the workload (at least). */
  sentences: number;
  configs: BenchConfig[];
}

/** The full run (the committed table) and `--quick` (about a minute: a, b, c, one ceiling, x4, beams). */
export function makePlan(quick: boolean): Plan {
  if (quick) {
    return { sentences: 40, configs: [...baseline, defaults, ceilings[0], scaling[0], beams] };
  }
  return { sentences: 400, configs: [...baseline, defaults, ...sweep, ...ceilings, ...scaling, beams, beamsSmallBatch, ...agreement, profile, ...QUALITY_CONFIGS] };
}
