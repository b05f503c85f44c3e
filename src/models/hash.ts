import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** SHA-256 (hex) of a file, or of its first `end` bytes. */
export async function sha256File(path: string, end?: number): Promise<string> {
  const hash = createHash('sha256');
  await feedFile(path, [hash], end);
  return hash.digest('hex');
}

/** Streams a file (or its first `end` bytes) into the given hashes. */
export async function feedFile(path: string, hashes: Hash[], end?: number): Promise<void> {
  if (end === 0) return;
  const stream = createReadStream(path, end === undefined ? {} : { start: 0, end: end - 1 });
  for await (const chunk of stream) for (const h of hashes) h.update(chunk as Buffer);
}

/** A git blob SHA-1 hash primed with its header: what the hub's ETag is for files kept in git. */
export function gitBlobSha1(size: number): Hash {
  return createHash('sha1').update(`blob ${size}\0`);
}
