/**
 * One ceiling loop in a worker thread (CeilingConfig.parallel > 1). Loads its own sessions,
 * warms up, says `ready`, waits for `go`, then takes batches from the shared counter until none
 * are left, and says `done`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CeilingConfig } from '../types.js';
import { openCeilingLoop, type BatchShape, type ModelShape } from './ceiling-loop.js';

export interface CeilingThreadData {
  spec: CeilingConfig;
  modelDir: string;
  shape: ModelShape;
  warmUp: BatchShape;
  shapes: BatchShape[];
  /** Int32 [next batch index], shared by every thread. */
  next: SharedArrayBuffer;
}

async function main(data: CeilingThreadData): Promise<void> {
  const port = parentPort!;
  const loop = await openCeilingLoop(data.spec, data.modelDir, data.shape);
  await loop.runBatch(data.warmUp);
  const go = new Promise((resolve) => port.once('message', resolve));
  port.postMessage('ready');
  await go;
  const next = new Int32Array(data.next);
  for (let b = Atomics.add(next, 0, 1); b < data.shapes.length; b = Atomics.add(next, 0, 1)) await loop.runBatch(data.shapes[b]);
  await loop.release();
  port.postMessage('done');
}

// A rejection is unhandled, so it ends the thread with an 'error' event, which the parent awaits.
void main(workerData as CeilingThreadData);
