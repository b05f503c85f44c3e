import v8 from 'node:v8';

/**
 * The old-generation size a translation worker's V8 heap starts with (MiB).
 *
 * Why: every decoder step hands the worker about 20 MB of new buffers from ONNX Runtime (logits
 * and the self-attention cache, at 16 rows). V8 counts that memory against the old generation's
 * limit, which it sizes from the live heap (about 30 MB in a worker), so with V8's default a
 * worker ran a full mark-compact every step or two and spent a fifth of its time in GC. Starting
 * at 64 MiB lets a collection free several steps' buffers at once: +20% throughput for about
 * +40 MiB of peak RSS (bench/README.md has the measurements).
 */
export const WORKER_OLD_SPACE_MIB = 64;

/**
 * Runs `start` with V8's `--initial-old-space-size` set to `mib` (0: V8's default), so that the
 * worker threads it starts get that heap. A new isolate reads the flag when it is created, so
 * `start` must resolve only once its workers are running; the flag is then reset, and other
 * isolates the host process creates later keep V8's default.
 */
export async function withWorkerOldSpace<T>(mib: number, start: () => Promise<T>): Promise<T> {
  if (!Number.isInteger(mib) || mib < 0) throw new TypeError(`Expected the worker old space to be a whole number of MiB, got ${mib}`);
  if (mib === 0) return start();
  v8.setFlagsFromString(`--initial-old-space-size=${mib}`);
  try {
    return await start();
  } finally {
    v8.setFlagsFromString('--initial-old-space-size=0');
  }
}
