/**
 * Length sorting on/off. The Scheduler always sorts each window by length, so this runner drives
 * fr2en's own worker pool with batches it cuts itself from the same windows: `sorted` through
 * fr2en's makeBatches (what the Scheduler does), `document-order` in reading order. Both rows
 * share this path, so their ratio isolates the sorting.
 */
import { resolveTranslatorOptions } from '../../../src/config.js';
import { loadModelTokenizer } from '../../../src/translate/model-tokenizer.js';
import { TranslationPool, WORKER_OLD_SPACE_MIB } from '../../../src/translate/pool.js';
import { hashTexts, since } from '../measure.js';
import type { PoolConfig } from '../types.js';
import { paddedPositions, workloadBatches, type Workload } from '../workload.js';
import { rowOptions } from './fr2en.js';
import { workloadWork, type Measured } from './measured.js';

export async function runPool(spec: PoolConfig, modelDir: string, workload: Workload): Promise<Measured> {
  const options = resolveTranslatorOptions(rowOptions(spec));
  const loadStart = performance.now();
  const pool = await TranslationPool.start({
    modelPath: modelDir,
    dtype: options.dtype,
    threads: options.threads,
    workers: options.workers,
    taskTimeoutMs: options.taskTimeoutMs,
    tokenizer: await loadModelTokenizer(modelDir),
    ...(spec.workerOldSpaceMiB === undefined ? {} : { workerOldSpaceMiB: spec.workerOldSpaceMiB }),
  });
  const loadMs = since(loadStart);
  const batches = workloadBatches(workload, options.batchSize, options.workers, spec.order === 'sorted');

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
          reportedTokens += result.translations.reduce((sum, t) => sum + t.tokens, 0);
          texts.forEach((text, i) => outputs.set(text, result.translations[i].text));
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
    computedTokens: paddedPositions(batches),
    threadsUsed: options.workers * options.threads,
    outputHash: hashTexts(workload.pieces.map((piece) => outputs.get(piece.text) ?? '')),
    extra: { reportedTokens, batches: batches.length, workers: options.workers, threads: options.threads, batchSize: options.batchSize, workerOldSpaceMiB: spec.workerOldSpaceMiB ?? WORKER_OLD_SPACE_MIB },
  };
}
