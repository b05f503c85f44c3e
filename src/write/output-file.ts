/**
 * Atomic output files: chunks go to a hidden temporary file beside the destination, renamed into
 * place when complete, so a reader sees the old file or the whole new one, never a part.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { mkdir, open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** A file being written: either `commit()` makes it appear complete at its path, or `abort()`. */
export interface OutputFile {
  readonly path: string;
  /** Appends a chunk (strings as UTF-8). Calls are queued in order; await them for backpressure. */
  write(chunk: string | Uint8Array): Promise<void>;
  /** Flushes to disk and renames the temporary file into place. */
  commit(): Promise<void>;
  /** Closes and deletes the temporary file; the destination is left as it was. Never throws. */
  abort(): Promise<void>;
}

/**
 * The name of a temporary file for `filePath`: hidden, in the same folder (so that a rename is
 * atomic, on one filesystem), `.<name>.<pid>-<12 hex>.tmp`. Every temporary file fr2en makes for
 * an output follows this pattern, so leftovers can be recognised, and the process id tells a
 * leftover (its writer is gone) from a file another run is writing right now.
 */
export function temporaryPath(filePath: string): string {
  return path.join(path.dirname(filePath), `.${path.basename(filePath)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

/** Matches the base name of a temporary file made by `temporaryPath`; group 1 is the writer's pid. */
export const TEMPORARY_NAME = /^\..+\.(\d+)-[0-9a-f]{12}\.tmp$/;

/**
 * Temporary files open in this process. A process that exits before committing or aborting
 * (a second Ctrl-C, an exit on EPIPE) removes them on its way out.
 */
const live = new Set<string>();
process.once('exit', () => {
  for (const file of live) {
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  }
});

/**
 * Removes the temporary files in `dir` that an earlier fr2en left behind (killed, or stopped
 * twice): those whose writer process is no longer running. Returns how many it removed.
 */
export async function removeStaleTemporaries(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0; // not created yet
  }
  let removed = 0;
  for (const name of names) {
    const pid = TEMPORARY_NAME.exec(name)?.[1];
    if (pid === undefined || isRunning(Number(pid))) continue;
    if (await unlink(path.join(dir, name)).then(() => true, () => false)) removed++;
  }
  return removed;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/** Opens `filePath` for atomic writing (see the module comment). Creates missing folders. */
export async function openOutput(filePath: string): Promise<OutputFile> {
  await mkdir(path.dirname(filePath), { recursive: true });
  const tempPath = temporaryPath(filePath);
  const handle: FileHandle = await open(tempPath, 'wx', 0o644);
  live.add(tempPath);
  let state: 'open' | 'committed' | 'aborted' = 'open';
  // Writes are chained so that un-awaited calls still land in order.
  let pending: Promise<void> = Promise.resolve();

  const ensureOpen = (action: string): void => {
    if (state !== 'open') throw new Error(`Cannot ${action} ${filePath}: output already ${state}`);
  };

  return {
    path: filePath,
    write(chunk) {
      ensureOpen('write to');
      if (chunk.length === 0) return pending;
      pending = pending.then(async () => {
        await (typeof chunk === 'string' ? handle.write(chunk, null, 'utf8') : handle.write(chunk));
      });
      return pending;
    },
    async commit() {
      ensureOpen('commit');
      state = 'committed';
      try {
        await pending;
        await handle.sync();
        await handle.close();
        await rename(tempPath, filePath);
      } catch (error) {
        await handle.close().catch(() => undefined); // already closed, or the original error wins
        await unlink(tempPath).catch(() => undefined);
        throw error;
      } finally {
        live.delete(tempPath);
      }
    },
    async abort() {
      if (state !== 'open') return;
      state = 'aborted';
      await pending.catch(() => undefined); // a failed write is why we are aborting
      await handle.close().catch(() => undefined);
      await unlink(tempPath).catch(() => undefined);
      live.delete(tempPath);
    },
  };
}
