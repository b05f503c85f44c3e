/**
 * The models folder: `<modelsDir>/<owner>/<name>/` in the hub's file layout, which is what
 * transformers.js reads with `env.localModelPath = modelsDir` and the id as the model name.
 */
import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ModelError } from './errors.js';
import { MODEL_DTYPES, onnxFiles, type ModelDtype } from './files.js';
import { readManifest } from './manifest.js';

/** The models folder when neither `--models-dir` nor `FR2EN_MODELS_DIR` says otherwise (relative to cwd). */
export const DEFAULT_MODELS_DIR = 'models';

// The hub's own rule for names, stricter than the file system's: no `..`, no separators.
const ID_PART = /^(?!\.)(?!.*\.\.)[A-Za-z0-9._-]{1,96}$/;

export interface ModelId {
  id: string;
  owner: string;
  name: string;
}

export function parseModelId(id: string): ModelId {
  const parts = id.split('/');
  if (parts.length !== 2 || !parts.every((p) => ID_PART.test(p))) {
    throw new ModelError(
      'invalid-id',
      `'${id}' is not a model id. Expected owner/name as on the hub (e.g. Xenova/opus-mt-fr-en), ` +
        'or a path to a local model folder starting with ./ or /.',
      { model: id },
    );
  }
  return { id, owner: parts[0]!, name: parts[1]! };
}

export function modelFolder(modelsDir: string, id: string): string {
  const { owner, name } = parseModelId(id);
  return join(modelsDir, owner, name);
}

export interface InstalledModel {
  id: string;
  folder: string;
  /** Complete dtypes: from the manifest, or by the ONNX files present for a folder without one. */
  dtypes: ModelDtype[];
  /** Bytes on disk, temporary `.part` files included. */
  sizeBytes: number;
  /** Whether fr2en downloaded (and so verified) it: a `.fr2en-manifest.json` is there. */
  managed: boolean;
  commit: string | undefined;
  /** Files still being downloaded (`.part`), if any. */
  partial: boolean;
}

async function dirEntries(path: string) {
  try {
    return await readdir(path, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function folderSize(path: string): Promise<{ bytes: number; partial: boolean }> {
  let bytes = 0;
  let partial = false;
  for (const entry of await dirEntries(path)) {
    const p = join(path, entry.name);
    if (entry.isDirectory()) {
      const sub = await folderSize(p);
      bytes += sub.bytes;
      partial ||= sub.partial;
    } else if (entry.isFile()) {
      bytes += (await stat(p)).size;
      partial ||= entry.name.endsWith('.part');
    }
  }
  return { bytes, partial };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Models under `modelsDir`, sorted by id. A folder counts as a model if it has a config.json or a manifest. */
export async function listModels(modelsDir: string): Promise<InstalledModel[]> {
  const models: InstalledModel[] = [];
  for (const owner of await dirEntries(modelsDir)) {
    if (!owner.isDirectory()) continue;
    for (const name of await dirEntries(join(modelsDir, owner.name))) {
      if (!name.isDirectory()) continue;
      const folder = join(modelsDir, owner.name, name.name);
      // A damaged manifest lists the model as unverified; `models verify` reports the damage itself.
      const manifest = await readManifest(folder).catch(() => undefined);
      if (!manifest && !(await exists(join(folder, 'config.json')))) continue;
      const present: ModelDtype[] = [];
      for (const dtype of MODEL_DTYPES) {
        const all = await Promise.all(onnxFiles(dtype).map((f) => exists(join(folder, f))));
        if (all.every(Boolean) && (!manifest || manifest.dtypes.includes(dtype))) present.push(dtype);
      }
      const { bytes, partial } = await folderSize(folder);
      models.push({
        id: `${owner.name}/${name.name}`,
        folder,
        dtypes: present,
        sizeBytes: bytes,
        managed: manifest !== undefined,
        commit: manifest?.commit,
        partial,
      });
    }
  }
  return models.sort((a, b) => a.id.localeCompare(b.id));
}

/** Deletes a model's folder (and its owner folder when that is left empty). */
export async function removeModel(modelsDir: string, id: string): Promise<{ folder: string; bytes: number }> {
  const folder = modelFolder(modelsDir, id);
  if (!(await exists(folder))) {
    throw new ModelError('not-installed', `Model '${id}' is not installed in ${resolve(modelsDir)}.`, {
      model: id,
      file: folder,
    });
  }
  const { bytes } = await folderSize(folder);
  await rm(folder, { recursive: true, force: true });
  await rmdir(join(folder, '..')).catch(() => {
    // Not empty (other models of the same owner) or already gone: both fine, the model is removed.
  });
  return { folder, bytes };
}
