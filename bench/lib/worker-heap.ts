import v8 from 'node:v8';

/**
 * Runs `start` with V8's `--initial-old-space-size` set to `mib` (0: V8's default), so that the
 * worker threads it starts get that heap; then resets the flag. The ceiling's loops run in worker
 * threads and use it to match fr2en's worker processes, which get the same size on their command
 * line (WORKER_OLD_SPACE_MIB in src/translate/pool.ts).
 */
export async function withWorkerOldSpace<T>(mib: number, start: () => Promise<T>): Promise<T> {
  if (mib === 0) return start();
  v8.setFlagsFromString(`--initial-old-space-size=${mib}`);
  try {
    return await start();
  } finally {
    v8.setFlagsFromString('--initial-old-space-size=0');
  }
}
