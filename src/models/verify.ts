/**
 * Integrity checks of an installed model against its manifest.
 * - `quick` (every translate run): sizes, plus a SHA-256 of any file whose mtime changed since it
 *   was verified. Costs a few `stat` calls when nothing changed; a copied `models/` folder (new
 *   mtimes) is hashed once and its manifest then records the new mtimes.
 * - `full` (`fr2en models verify`): SHA-256 of every file.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { filesForDtype, type ModelDtype } from './files.js';
import { sha256File } from './hash.js';
import { readManifest, writeManifest, type ModelManifest } from './manifest.js';

export type FileCheckStatus = 'ok' | 'missing' | 'size-mismatch' | 'checksum-mismatch' | 'not-in-manifest';

export interface FileCheck {
  path: string;
  status: FileCheckStatus;
  expectedSize: number | undefined;
  actualSize: number | undefined;
}

export interface VerifyReport {
  folder: string;
  /** False when the folder has no manifest: nothing can be verified. */
  hasManifest: boolean;
  ok: boolean;
  files: FileCheck[];
  /** Files whose content was hashed. */
  hashed: string[];
}

export interface VerifyOptions {
  mode: 'quick' | 'full';
  /** Check only the files this dtype needs; by default every file in the manifest. */
  dtype?: ModelDtype;
  /** Already read by the caller. */
  manifest?: ModelManifest;
}

export async function verifyModelFolder(folder: string, options: VerifyOptions): Promise<VerifyReport> {
  const manifest = options.manifest ?? (await readManifest(folder));
  if (!manifest) return { folder, hasManifest: false, ok: false, files: [], hashed: [] };
  const paths =
    options.dtype === undefined
      ? Object.keys(manifest.files).sort()
      : filesForDtype(options.dtype)
          .filter((spec) => !spec.optional || manifest.files[spec.path] !== undefined)
          .map((spec) => spec.path);

  const files: FileCheck[] = [];
  const hashed: string[] = [];
  let mtimesChanged = false;
  for (const path of paths) {
    const entry = manifest.files[path];
    const full = join(folder, path);
    const info = await stat(full).catch(() => undefined);
    const base = { path, expectedSize: entry?.size, actualSize: info?.isFile() ? info.size : undefined };
    if (!info?.isFile()) {
      files.push({ ...base, status: 'missing' });
    } else if (entry === undefined) {
      files.push({ ...base, status: 'not-in-manifest' });
    } else if (info.size !== entry.size) {
      files.push({ ...base, status: 'size-mismatch' });
    } else if (options.mode === 'full' || info.mtimeMs !== entry.mtimeMs) {
      hashed.push(path);
      const sha = await sha256File(full);
      if (sha !== entry.sha256) {
        files.push({ ...base, status: 'checksum-mismatch' });
      } else {
        files.push({ ...base, status: 'ok' });
        if (info.mtimeMs !== entry.mtimeMs) {
          entry.mtimeMs = info.mtimeMs;
          mtimesChanged = true;
        }
      }
    } else {
      files.push({ ...base, status: 'ok' });
    }
  }
  if (mtimesChanged) {
    // Only a cache of "already hashed": a read-only models folder just means hashing again next time.
    await writeManifest(folder, manifest).catch(() => undefined);
  }
  return { folder, hasManifest: true, ok: files.every((f) => f.status === 'ok'), files, hashed };
}

/** One line per bad file, for messages. */
export function describeProblems(report: VerifyReport): string[] {
  return report.files
    .filter((f) => f.status !== 'ok')
    .map((f) => {
      switch (f.status) {
        case 'missing':
          return `${f.path}: missing`;
        case 'size-mismatch':
          return `${f.path}: ${f.actualSize} bytes, expected ${f.expectedSize} (truncated or corrupt)`;
        case 'checksum-mismatch':
          return `${f.path}: SHA-256 differs from the one verified at download (corrupt)`;
        case 'not-in-manifest':
          return `${f.path}: present but never verified (not in the manifest)`;
        default:
          return `${f.path}: ${f.status}`;
      }
    });
}
