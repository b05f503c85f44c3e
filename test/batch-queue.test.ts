/** The Translator's one queue: batches across concurrent calls, fair turns, aborts drop waiting texts. */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DECODE } from '../src/config.js';
import type { TranslationBackend } from '../src/translate/backend.js';
import { BatchQueue, type QueueItem } from '../src/translate/batch-queue.js';

/** A backend that records each batch and answers when released. */
function recordingBackend(capacity: number) {
  const batches: string[][] = [];
  const backend: TranslationBackend = {
    capacity,
    translate: async ({ texts }) => {
      batches.push(texts);
      await new Promise((resolve) => setTimeout(resolve, 2));
      return { translations: texts.map((text) => ({ text: text.toUpperCase(), tokens: 1, logprob: -1, truncated: false })) };
    },
    close: async () => undefined,
  };
  return { backend, batches };
}

const items = (prefix: string, n: number, tokens = 10): QueueItem[] => Array.from({ length: n }, (_, i) => ({ text: `${prefix}${i}`, tokens }));
const queueOver = (backend: TranslationBackend, batchSize = 8) => new BatchQueue({ backend, decode: DEFAULT_DECODE, batchSize, maxBatchTokens: batchSize * 64, maxAttempts: 1 });

describe('BatchQueue', () => {
  it('puts sentences of concurrent small calls in the same batches', async () => {
    const { backend, batches } = recordingBackend(1);
    const queue = queueOver(backend);
    const calls = Array.from({ length: 8 }, (_, c) => Promise.all(queue.caller().submit(items(`c${c}-`, 2))));
    const results = await Promise.all(calls);
    expect(results.flat().map((r) => r.target)).toEqual(Array.from({ length: 8 }, (_, c) => [`C${c}-0`, `C${c}-1`]).flat());
    // 16 sentences from 8 calls in batches of 8: far fewer model calls than calls.
    expect(batches.length).toBeLessThanOrEqual(3);
    expect(new Set(batches[1].map((text) => text.split('-')[0])).size).toBeGreaterThan(1);
  });

  it('serves a small call early even behind a huge one', async () => {
    const { backend, batches } = recordingBackend(1);
    const queue = queueOver(backend);
    const huge = Promise.all(queue.caller().submit(items('big', 400)));
    const small = Promise.all(queue.caller().submit(items('small', 3)));
    await small;
    const firstWithSmall = batches.findIndex((batch) => batch.some((text) => text.startsWith('small')));
    expect(firstWithSmall).toBeLessThanOrEqual(1); // the first batch started before it arrived
    await huge;
    expect(batches.flat()).toHaveLength(403);
  });

  it('keeps a single call in its own order, batch by batch, within the padded-token cap', async () => {
    const { backend, batches } = recordingBackend(2);
    const queue = queueOver(backend, 4);
    const texts = [...items('long', 3, 100), ...items('short', 6, 5)];
    await Promise.all(queue.caller().submit(texts));
    expect(batches.flat()).toEqual(texts.map((item) => item.text));
    // 4 x 100 padded tokens would exceed 4 x 64: long rows go in smaller batches.
    for (const batch of batches) expect(batch.length * (batch[0].startsWith('long') ? 100 : 5)).toBeLessThanOrEqual(4 * 64);
  });

  it('drops the waiting sentences of a call that is aborted, and nothing else', async () => {
    const { backend, batches } = recordingBackend(1);
    const queue = queueOver(backend, 2);
    const controller = new AbortController();
    const doomed = queue.caller(controller.signal).submit(items('gone', 10));
    const kept = Promise.all(queue.caller().submit(items('kept', 4)));
    controller.abort(new Error('client went away'));
    const settled = await Promise.allSettled(doomed);
    expect(settled.filter((s) => s.status === 'rejected').length).toBeGreaterThanOrEqual(8);
    expect((await kept).map((r) => r.target)).toEqual(['KEPT0', 'KEPT1', 'KEPT2', 'KEPT3']);
    expect(batches.flat().filter((text) => text.startsWith('gone')).length).toBeLessThanOrEqual(2);
    expect(queue.waiting).toBe(0);
  });
  it('puts texts of similar length from different calls in one batch, each call leading in turn', async () => {
    // A batch costs its longest row's decoder steps: mixing one long text into each batch of short
    // ones would make every batch a long one.
    const { backend, batches } = recordingBackend(1);
    const queue = queueOver(backend, 2);
    const lengths = new Map<string, number>();
    const call = (name: string, tokens: number[]) => {
      const list = tokens.map((t, i) => ({ text: `${name}${i}`, tokens: t }));
      for (const item of list) lengths.set(item.text, item.tokens);
      return Promise.all(queue.caller().submit(list));
    };
    const busy = call('busy', [5]); // holds the one slot while the others arrive
    const calls = [call('a', [50, 5]), call('b', [5]), call('c', [50, 5]), call('d', [5])];
    await Promise.all([busy, ...calls]);
    const later = batches.slice(1);
    expect(later.flat().sort()).toEqual(['a0', 'a1', 'b0', 'c0', 'c1', 'd0']);
    for (const batch of later) expect(new Set(batch.map((text) => lengths.get(text))).size).toBe(1);
    // In turn order a then b would have led the next two batches: [a0 b0] then [c0 d0], each mixed.
    expect(later[0]).toEqual(['a0', 'c0']);
  });

  it('forgets a call once it is released: its waiting texts go, and its signal is not listened to any more', async () => {
    const { backend, batches } = recordingBackend(1);
    const queue = queueOver(backend, 2);
    const controller = new AbortController();
    // A batch run gives one signal to every file's call: the listeners must not pile up.
    for (let file = 0; file < 20; file++) {
      const caller = queue.caller(controller.signal);
      await Promise.all(caller.submit(items(`f${file}-`, 2)));
      caller.release();
    }
    const listeners = getEventListeners(controller.signal, 'abort');
    expect(listeners).toHaveLength(0);
    const abandoned = queue.caller();
    const pending = Promise.allSettled(abandoned.submit(items('late', 6)));
    abandoned.release();
    expect((await pending).filter((s) => s.status === 'rejected').length).toBeGreaterThanOrEqual(4);
    expect(queue.waiting).toBe(0);
    expect(batches.flat().filter((text) => text.startsWith('late')).length).toBeLessThanOrEqual(2);
  });
});
