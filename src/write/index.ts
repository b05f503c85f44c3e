/**
 * The write stage: formats (pure, in ./formats/) plus the only code in src/write/ that touches
 * the filesystem: output naming, atomic files, and reading fr2en's version.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { AlignedDocument } from '../document.js';
import { renderChunks, writers, type OutputFormat, type WriteOptions } from './formats/index.js';

export * from './formats/index.js';
export { cleanText, escapeHtml, escapeMarkdownCell, escapeTsvField, unescapeTsvField } from './escape.js';
export type { JsonlRecord } from './formats/jsonl.js';

/**
 * Where the output for `inputRelPath` goes: the same relative folder under `outDir`, the input's
 * name without its last extension, plus the format's extension:
 * `articles/le-monde.txt` + `html` -> `<outDir>/articles/le-monde.fr-en.html`. Stdin (`-`) is
 * named `stdin`. The input path must be relative and stay inside `outDir`.
 */
export function outputPath(inputRelPath: string, format: OutputFormat, outDir: string): string {
  const rel = inputRelPath === '-' ? 'stdin' : path.normalize(inputRelPath);
  if (path.isAbsolute(rel) || rel === '..' || rel.startsWith(`..${path.sep}`)) {
    throw new RangeError(`Expected \`inputRelPath\` to be a relative path inside the input folder, got ${inputRelPath}`);
  }
  const { dir, name, ext } = path.parse(rel);
  // `path.parse('.env')` has name '.env' and no ext; `notes.` has ext '.'.
  return path.join(outDir, dir, `${ext === '.' ? `${name}.` : name}${writers[format].extension}`);
}

/** A file being written: either `commit()` makes it appear complete at its path, or `abort()`. */
export interface OutputFile {
  readonly path: string;
  /** Appends a chunk (UTF-8). Calls are queued in order; await them for backpressure. */
  write(chunk: string): Promise<void>;
  /** Flushes to disk and renames the temporary file into place. */
  commit(): Promise<void>;
  /** Closes and deletes the temporary file; the destination is left as it was. Never throws. */
  abort(): Promise<void>;
}

/**
 * Opens `filePath` for atomic writing: chunks go to a temporary file in the same folder (so the
 * final rename stays on one filesystem and is atomic), named `.<name>.<random>.tmp`. A reader
 * sees the old file or the complete new one, never a partial one. Creates missing folders.
 */
export async function openOutput(filePath: string): Promise<OutputFile> {
  const dir = path.dirname(filePath);
  await mkdir(dir, { recursive: true });
  const tempPath = path.join(dir, `.${path.basename(filePath)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle: FileHandle = await open(tempPath, 'wx', 0o644);
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
        await handle.write(chunk, null, 'utf8');
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
      }
    },
    async abort() {
      if (state !== 'open') return;
      state = 'aborted';
      await pending.catch(() => undefined); // a failed write is why we are aborting
      await handle.close().catch(() => undefined);
      await unlink(tempPath).catch(() => undefined);
    },
  };
}

/**
 * fr2en's version from its package.json (`../../package.json` from src/write/ and dist/write/
 * alike). Read on each call: one small file per output, and no module state.
 */
export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/**
 * Writes `doc` in `format` to `filePath` atomically, paragraph by paragraph. Fills
 * `options.toolVersion` from package.json when absent. On any error the file is not created.
 */
export async function writeDocument(
  doc: AlignedDocument,
  format: OutputFormat,
  filePath: string,
  options: WriteOptions = {},
): Promise<void> {
  const output = await openOutput(filePath);
  try {
    for (const chunk of renderChunks(doc, format, { ...options, toolVersion: options.toolVersion ?? toolVersion() })) {
      await output.write(chunk);
    }
    await output.commit();
  } catch (error) {
    await output.abort();
    throw error;
  }
}
