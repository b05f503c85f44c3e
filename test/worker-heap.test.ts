import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { withWorkerOldSpace } from '../src/translate/worker-heap.js';

// A worker that fills about 50 MB of its heap with live objects, says `filled`, and then says
// `major` for every full (mark-compact) collection it sees, however late it is reported.
const FILL_HEAP = `
const { parentPort } = require('node:worker_threads');
const { PerformanceObserver, constants } = require('node:perf_hooks');
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (entry.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) parentPort.postMessage('major');
}).observe({ entryTypes: ['gc'] });
const live = [];
for (let i = 0; i < 50000; i++) live.push(new Array(128).fill(i + 0.5));
parentPort.postMessage('filled');
setInterval(() => live.length, 1000);
`;

/** Starts the filler; resolves once its thread runs, as TranslationPool.start does for its workers. */
async function startFiller(): Promise<Worker> {
  const worker = new Worker(FILL_HEAP, { eval: true });
  await once(worker, 'online');
  return worker;
}

/** Full collections the filler ran within `waitMs` of filling its heap. */
async function fullCollections(worker: Worker, waitMs: number): Promise<number> {
  let major = 0;
  let filled = false;
  worker.on('message', (message) => (message === 'major' ? major++ : (filled = message === 'filled')));
  const deadline = Date.now() + 30_000;
  while (!filled && Date.now() < deadline) await sleep(10);
  await sleep(waitMs);
  await worker.terminate();
  return major;
}

/** Whether the filler ran a full collection (waits for it: a starved thread reports late). */
async function ranFullCollection(worker: Worker): Promise<boolean> {
  try {
    await Promise.race([once(worker, 'message').then(function next([message]): Promise<unknown> {
      return message === 'major' ? Promise.resolve() : once(worker, 'message').then(next);
    }), sleep(10_000).then(() => Promise.reject(new Error('no full collection')))]);
    return true;
  } catch {
    return false;
  } finally {
    await worker.terminate();
  }
}

describe('withWorkerOldSpace', () => {
  it('starts workers with a larger old generation, and only the workers started inside it', async () => {
    // With V8's default, filling 50 MB takes a full collection; starting at 128 MiB it takes none.
    expect(await ranFullCollection(await startFiller())).toBe(true);
    expect(await fullCollections(await withWorkerOldSpace(128, startFiller), 300)).toBe(0);
    // The flag is reset once the workers are up: a later worker gets V8's default again.
    expect(await ranFullCollection(await startFiller())).toBe(true);
    expect(await ranFullCollection(await withWorkerOldSpace(0, startFiller))).toBe(true);
  });

  it('rejects a size that is not a whole number of MiB', async () => {
    await expect(withWorkerOldSpace(-1, startFiller)).rejects.toThrow(/whole number of MiB, got -1/);
    await expect(withWorkerOldSpace(1.5, startFiller)).rejects.toThrow(/got 1.5/);
  });

  it('resets the flag when starting fails', async () => {
    await expect(withWorkerOldSpace(64, () => Promise.reject(new Error('no model')))).rejects.toThrow('no model');
    expect(await ranFullCollection(await startFiller())).toBe(true);
  });
});
