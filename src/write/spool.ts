/**
 * A spool: a temporary file that holds a document's body while its header waits for totals.
 * Memory stays flat whatever the document's size; the cost is writing the body twice (here, then
 * into the output) and reading it once.
 */
import { mkdir, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { temporaryPath } from './output-file.js';

export interface Spool {
  /** Appends a chunk. Calls are queued in order. */
  write(chunk: string): Promise<void>;
  /** The bytes written so far, from the start, in blocks of at most 256 KiB. */
  blocks(): AsyncGenerator<Uint8Array>;
  /** Closes and removes the file. Never throws; safe to call twice. */
  discard(): Promise<void>;
}

/** Large enough to make the copy cheap per call, small enough to stay out of the way. */
const BLOCK_SIZE = 256 * 1024;

/**
 * Opens a spool for the output `filePath`, named and placed like its temporary file
 * (`temporaryPath`). The name is removed at once where the system allows it (POSIX keeps an open
 * file readable), so that not even a kill -9 leaves a spool behind.
 */
export async function openSpool(filePath: string): Promise<Spool> {
  await mkdir(path.dirname(filePath), { recursive: true });
  const spoolPath = temporaryPath(filePath);
  const handle = await open(spoolPath, 'wx+', 0o600);
  const stillLinked = await unlink(spoolPath).then(
    () => false,
    () => true, // a system that cannot remove an open file: remove it in discard()
  );
  let size = 0;
  let pending: Promise<void> = Promise.resolve();
  let discarded = false;

  return {
    write(chunk) {
      if (chunk.length === 0) return pending;
      pending = pending.then(async () => {
        const bytes = Buffer.from(chunk, 'utf8');
        for (let written = 0; written < bytes.length; ) {
          const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, size + written);
          written += bytesWritten;
        }
        size += bytes.length;
      });
      return pending;
    },
    async *blocks() {
      await pending;
      for (let position = 0; position < size; ) {
        // A fresh buffer per block: the consumer may still be writing the previous one.
        const buffer = Buffer.allocUnsafe(Math.min(BLOCK_SIZE, size - position));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) throw new Error(`Spool for ${filePath} ended at byte ${position} of ${size}`);
        position += bytesRead;
        yield buffer.subarray(0, bytesRead);
      }
    },
    async discard() {
      if (discarded) return;
      discarded = true;
      await pending.catch(() => undefined);
      await handle.close().catch(() => undefined);
      if (stillLinked) await unlink(spoolPath).catch(() => undefined);
    },
  };
}
