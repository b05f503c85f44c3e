/**
 * The ceiling: what this model does on this machine with nothing around it (see ceiling-loop.ts).
 * Rows take the workload's lengths (see CeilingConfig.lengths): a step's cost grows with the
 * length, so the ceiling must do the same mix of lengths as the rows it is compared with. With
 * `parallel` > 1, that many loops run in worker threads, each with its own sessions, taking
 * batches from one shared counter as fr2en's workers take them from its queue.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { withWorkerOldSpace } from '../worker-heap.js';
import { since } from '../measure.js';
import type { CeilingConfig } from '../types.js';
import type { Workload } from '../workload.js';
import { newTokensFor, openCeilingLoop, type BatchShape, type ModelShape } from './ceiling-loop.js';
import type { CeilingThreadData } from './ceiling-thread.js';
import type { Measured } from './measured.js';

export async function runCeiling(spec: CeilingConfig, modelDir: string, workload: Workload, shape: ModelShape): Promise<Measured> {
  const meanLength = Math.max(1, Math.round(workload.sourceTokens / workload.pieces.length));
  const shapes = spec.lengths === 'mean' ? Array.from({ length: spec.batches }, () => ({ rows: spec.batch, sourceLength: meanLength })) : workloadShapes(workload, spec.batch);
  // Warm-up: first-run allocations and kernel selection are not throughput.
  const warmUp = { rows: spec.batch, sourceLength: meanLength };
  const parallel = spec.parallel ?? 1;
  const loadStart = performance.now();
  let loadMs: number;
  let runMs: number;
  if (parallel === 1) {
    const loop = await openCeilingLoop(spec, modelDir, shape);
    loadMs = since(loadStart);
    await loop.runBatch(warmUp);
    const runStart = performance.now();
    for (const batchShape of shapes) await loop.runBatch(batchShape);
    runMs = since(runStart);
    await loop.release();
  } else {
    const data: CeilingThreadData = { spec, modelDir, shape, warmUp, shapes, next: new SharedArrayBuffer(4) };
    const said = (thread: Worker, word: string): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        thread.once('error', reject);
        thread.on('message', (message) => message === word && resolve());
      });
    const threads = await withWorkerOldSpace(spec.workerOldSpaceMiB ?? 0, async () => {
      const started = Array.from({ length: parallel }, () => new Worker(new URL('./ceiling-thread.js', import.meta.url), { workerData: data }));
      await Promise.all(started.map((thread) => said(thread, 'ready')));
      return started;
    });
    const exited = threads.map((thread: Worker) => once(thread, 'exit'));
    loadMs = since(loadStart);
    const runStart = performance.now();
    const done = threads.map((thread: Worker) => said(thread, 'done'));
    for (const thread of threads) thread.postMessage('go');
    await Promise.all(done);
    runMs = since(runStart);
    await Promise.all(exited);
  }
  const rows = shapes.reduce((sum, batchShape) => sum + batchShape.rows, 0);
  const targetTokens = shapes.reduce((sum, batchShape) => sum + batchShape.rows * newTokensFor(batchShape.sourceLength), 0);
  return {
    loadMs,
    runMs,
    pieces: rows,
    // No text: words/s is reported from the workload's words per target token.
    sourceWords: Math.round((targetTokens * workload.sourceWords) / workload.targetTokens),
    targetTokens,
    computedTokens: targetTokens,
    threadsUsed: spec.threads * parallel,
    outputHash: null,
    extra: { lengths: spec.lengths ?? 'workload', meanLength, batch: spec.batch, batches: shapes.length, parallel, workerOldSpaceMiB: spec.workerOldSpaceMiB ?? 0, ortVersion: ort.env.versions?.common ?? 'unknown' },
  };
}

/** The workload's pieces sorted by length, `batch` at a time, each batch at its mean length. */
function workloadShapes(workload: Workload, batch: number): BatchShape[] {
  const lengths = workload.pieces.map((piece) => piece.tokens).sort((a, b) => a - b);
  const shapes: BatchShape[] = [];
  for (let i = 0; i < lengths.length; i += batch) {
    const group = lengths.slice(i, i + batch);
    shapes.push({ rows: group.length, sourceLength: Math.max(1, Math.round(group.reduce((a, b) => a + b, 0) / group.length)) });
  }
  return shapes;
}
