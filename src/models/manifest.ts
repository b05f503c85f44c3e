/**
 * `.fr2en-manifest.json`, one per model folder: what was downloaded and verified, so later checks
 * are local (sizes and mtimes for the quick check, SHA-256 for `models verify`).
 *
 * It is rewritten after each verified file, so an interrupted download keeps the record of the
 * files it finished; a dtype is listed in `dtypes` only once all of its files are in.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelError } from './errors.js';
import { isModelDtype, type ModelDtype } from './files.js';

export const MANIFEST_FILE = '.fr2en-manifest.json';
export const MANIFEST_FORMAT = 1;

/** What the bytes were checked against when they arrived. */
export type VerifiedBy =
  /** the hub's SHA-256 (`X-Linked-Etag`, LFS files) */
  | 'sha256'
  /** the hub's git blob SHA-1 (`ETag` of files kept in git) */
  | 'git-sha1'
  /** only the announced size: the server gave no checksum */
  | 'size'
  /** nothing: the server announced neither (the SHA-256 recorded is then only our own) */
  | 'none';

export interface ManifestFile {
  size: number;
  /** SHA-256 of the bytes on disk, computed while downloading. */
  sha256: string;
  /** The hub URL the file came from (never a signed CDN URL, never a token). */
  url: string;
  /** The hub's ETag for it (normalized): tells a later `models download` whether it changed. */
  etag: string | undefined;
  verifiedBy: VerifiedBy;
  /** mtime after the download: the quick check re-hashes a file only when this changed. */
  mtimeMs: number;
  downloadedAt: string;
}

export interface ModelManifest {
  format: typeof MANIFEST_FORMAT;
  id: string;
  /** The revision asked for (branch, tag or commit). */
  revision: string;
  /** The commit it resolved to (`X-Repo-Commit`), when the server said. */
  commit: string | undefined;
  hubUrl: string;
  /** Dtypes whose files are all present and verified. */
  dtypes: ModelDtype[];
  /** Keyed by path inside the folder, `/`-separated. */
  files: Record<string, ManifestFile>;
  updatedAt: string;
}

export function manifestPath(folder: string): string {
  return join(folder, MANIFEST_FILE);
}

/** The manifest, or undefined when the folder has none. A damaged one is an error, not "none". */
export async function readManifest(folder: string): Promise<ModelManifest | undefined> {
  const path = manifestPath(folder);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ModelError('io', `Cannot read ${path}: ${(error as Error).message}`, { file: path, cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw corrupt(path, error);
  }
  const m = data as Partial<ModelManifest>;
  if (
    typeof m !== 'object' ||
    m === null ||
    m.format !== MANIFEST_FORMAT ||
    typeof m.id !== 'string' ||
    typeof m.files !== 'object' ||
    m.files === null ||
    !Array.isArray(m.dtypes)
  ) {
    throw corrupt(path);
  }
  return { ...(m as ModelManifest), dtypes: m.dtypes.filter(isModelDtype) };
}

function corrupt(path: string, cause?: unknown): ModelError {
  return new ModelError(
    'corrupt',
    `The model manifest ${path} is damaged. Run 'fr2en models download' again to rebuild it.`,
    { file: path, cause },
  );
}

/** Written to a temporary name then renamed, so a crash never leaves half a manifest. */
export async function writeManifest(folder: string, manifest: ModelManifest): Promise<void> {
  const path = manifestPath(folder);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(tmp, path);
}

export function emptyManifest(id: string, revision: string, hubUrl: string): ModelManifest {
  return {
    format: MANIFEST_FORMAT,
    id,
    revision,
    commit: undefined,
    hubUrl,
    dtypes: [],
    files: {},
    updatedAt: new Date().toISOString(),
  };
}
