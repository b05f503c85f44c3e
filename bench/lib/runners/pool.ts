/**
 * Length sorting on/off. The Scheduler always sorts each window by length, so this runner drives
 * fr2en's own worker pool with batches it cuts itself from the same windows: `sorted` through
 * fr2en's makeBatches (what the Scheduler does), `document-order` in reading order. Both rows
 * share this path, so their ratio isolates the sorting.
 */
import { resolveTranslatorOptions } from '../../../src/config.js';
import { makeBatches } from '../../../src/translate/batches.js';
import { TranslationPool } from '../../../src/translate/pool.js';
import { defaultWindowPieces, maxBatchTokens } from '../../../src/translate/scheduler.js';
import { WORKER_OLD_SPACE_MIB } from '../../../src/translate/worker-heap.js';
import { hashTexts, since } from '../measure.js';
import type { PoolConfig } from '../types.js';
import { FORCED_DECODE, type WorkPiece, type Workload } from '../workload.js';
import { workloadWork, type Measured } from './measured.js';

export async function runPool(spec: PoolConfig, modelDir: string, workload: Workload): Promise<Measured> {
  const options = resolveTranslatorOptions({
    dtype: spec.dtype,
    workers: spec.workers,
    threads: spec.threads,
    batchSize: spec.batchSize,
    decode: FORCED_DECODE,
  });
  const loadStart = performance.now();
  const pool = await TranslationPool.start({
    modelPath: modelDir,
    dtype: options.dtype,
    threads: options.threads,
    workers: options.workers,
    taskTimeoutMs: options.taskTimeoutMs,
    ...(spec.workerOldSpaceMiB === undefined ? {} : { workerOldSpaceMiB: spec.workerOldSpaceMiB }),
  });
  const loadMs = since(loadStart);

  const windowPieces = defaultWindowPieces(options.batchSize, options.workers);
  const batches: WorkPiece[][] = [];
  for (let start = 0; start < workload.pieces.length; start += windowPieces) {
    const window = workload.pieces.slice(start, start + windowPieces);
    if (spec.order === 'sorted') batches.push(...makeBatches(window, options.batchSize, maxBatchTokens(options.batchSize)));
    else for (let i = 0; i < window.length; i += options.batchSize) batches.push(window.slice(i, i + options.batchSize));
  }

  const outputs = new Map<string, string>();
  let reportedTokens = 0;
  let next = 0;
  const runStart = performance.now();
  try {
    // One batch in flight per worker, as the Scheduler's p-queue does.
    await Promise.all(
      Array.from({ length: options.workers }, async () => {
        while (next < batches.length) {
          const batch = batches[next++];
          const texts = batch.map((piece) => piece.text);
          const result = await pool.translate({ texts, decode: options.decode });
          reportedTokens += result.generatedTokens;
          texts.forEach((text, i) => outputs.set(text, result.translations[i]));
        }
      }),
    );
  } finally {
    await pool.close();
  }
  const runMs = since(runStart);
  return {
    loadMs,
    runMs,
    ...workloadWork(workload),
    computedTokens: batches.reduce((sum, batch) => sum + batch.length * Math.max(...batch.map((piece) => piece.targetTokens)), 0),
    threadsUsed: options.workers * options.threads,
    outputHash: hashTexts(workload.pieces.map((piece) => outputs.get(piece.text) ?? '')),
    extra: { reportedTokens, batches: batches.length, workers: options.workers, threads: options.threads, batchSize: options.batchSize, workerOldSpaceMiB: spec.workerOldSpaceMiB ?? WORKER_OLD_SPACE_MIB },
  };
}
