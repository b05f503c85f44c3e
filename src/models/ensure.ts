/**
 * `ensureModel`: what translate calls before starting any worker. It returns a model folder that
 * is complete, intact (quick check) and a Marian seq2seq export, downloading what is missing
 * unless offline. Offline, it never touches the network: not even a HEAD.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { downloadModel } from './download.js';
import { ModelError } from './errors.js';
import { DEFAULT_REVISION, filesForDtype, type ModelDtype } from './files.js';
import type { FetchLike } from './hub.js';
import { MANIFEST_FILE, readManifest } from './manifest.js';
import type { ProgressCallback } from './progress.js';
import { DEFAULT_MODELS_DIR, modelFolder, parseModelId } from './store.js';
import { validateMarianFolder } from './validate.js';
import { describeProblems, verifyModelFolder } from './verify.js';

export interface EnsureModelOptions {
  /** Hub id (`owner/name`) or a local folder (a path starting with `./`, `../`, `/` or `~`, or absolute). */
  readonly model: string;
  readonly dtype: ModelDtype;
  /** @default 'models' */
  readonly modelsDir?: string;
  /** Never use the network; fail with the command to run instead. */
  readonly offline?: boolean;
  readonly hubUrl?: string;
  readonly revision?: string;
  readonly token?: string;
  readonly onProgress?: ProgressCallback;
  readonly fetch?: FetchLike;
  readonly signal?: AbortSignal;
  /** Passed to downloadModel. */
  readonly retries?: number;
  readonly retryDelayMs?: number;
}

/** What to give transformers.js: `env.localModelPath = localModelPath`, then `pipeline(task, modelId)`. */
export interface ResolvedModel {
  localModelPath: string;
  modelId: string;
  /** Absolute path of the model folder (`join(localModelPath, modelId)`). */
  folder: string;
  dtype: ModelDtype;
  /** `folder`: a local folder given as model; `installed`: found complete; `downloaded`: fetched now. */
  source: 'folder' | 'installed' | 'downloaded';
}

/** A model argument is a local folder when it is written as a path; `owner/name` is a hub id. */
export function isLocalModelPath(model: string): boolean {
  return isAbsolute(model) || /^(\.{1,2}|~)([/\\]|$)/.test(model) || model.includes('\\');
}

function expandHome(path: string): string {
  return path.startsWith('~') ? join(process.env.HOME ?? '~', path.slice(1)) : path;
}

/** The folder a model argument names: a path as written (with `~`), else `<modelsDir>/<owner>/<name>`. */
export function localModelFolder(model: string, modelsDir: string = DEFAULT_MODELS_DIR): string {
  return isLocalModelPath(model) ? resolve(expandHome(model)) : modelFolder(resolve(modelsDir), model);
}

export async function ensureModel(options: EnsureModelOptions): Promise<ResolvedModel> {
  const { model, dtype } = options;
  if (isLocalModelPath(model)) {
    const folder = localModelFolder(model);
    await validateMarianFolder(folder, dtype);
    return { localModelPath: dirname(folder), modelId: basename(folder), folder, dtype, source: 'folder' };
  }
  parseModelId(model);
  const modelsDir = resolve(options.modelsDir ?? DEFAULT_MODELS_DIR);
  const folder = modelFolder(modelsDir, model);
  const resolved: ResolvedModel = { localModelPath: modelsDir, modelId: model, folder, dtype, source: 'installed' };

  const problems = await localProblems(folder, dtype);
  if (problems.length === 0) {
    await validateMarianFolder(folder, dtype);
    return resolved;
  }
  if (options.offline) {
    const command = downloadCommand(model, dtype, modelsDir, options.revision);
    const damaged = problems.some((p) => !p.missing);
    throw new ModelError(
      damaged ? 'corrupt' : 'offline-missing',
      `Model ${model} (${dtype}) is ${damaged ? 'damaged' : 'not complete'} in ${folder} and offline mode forbids downloading:\n` +
        problems.map((p) => `  - ${p.line}`).join('\n') +
        `\nOn a machine with network access run:\n  ${command}\n` +
        `then copy the ${modelsDir} folder here (or run it here without --offline / FR2EN_OFFLINE / HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE).`,
      { model, file: folder, files: problems.map((p) => p.path) },
    );
  }
  await downloadModel({
    model,
    dtype,
    modelsDir,
    hubUrl: options.hubUrl,
    revision: options.revision,
    token: options.token,
    fetch: options.fetch,
    onProgress: options.onProgress,
    signal: options.signal,
    retries: options.retries,
    retryDelayMs: options.retryDelayMs,
  });
  const after = await localProblems(folder, dtype);
  if (after.length > 0) {
    throw new ModelError(
      'corrupt',
      `Model ${model} is still incomplete after downloading: ${after.map((p) => p.line).join('; ')}.`,
      { model, file: folder, files: after.map((p) => p.path) },
    );
  }
  await validateMarianFolder(folder, dtype);
  return { ...resolved, source: 'downloaded' };
}

/** The `fr2en models download` command line that fetches (or repairs) `model` in `modelsDir`. */
export function downloadCommand(model: string, dtype: ModelDtype, modelsDir: string, revision?: string): string {
  const dirFlag = resolve(modelsDir) !== resolve(DEFAULT_MODELS_DIR) ? ` --models-dir ${quote(modelsDir)}` : '';
  const rev = revision !== undefined && revision !== DEFAULT_REVISION ? ` --revision ${quote(revision)}` : '';
  return `fr2en models download ${model} --dtype ${dtype}${dirFlag}${rev}`;
}

function quote(value: string): string {
  return /^[\w./:@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * What stops `folder` from serving `dtype` now: files missing, or failing the quick check.
 * A folder without a manifest but with every file (copied by hand, exported locally) is accepted
 * as it is: there is nothing to check it against, and `models list` shows it as unverified.
 */
interface Problem {
  path: string;
  line: string;
  /** Absent (or never verified), as opposed to present and damaged. */
  missing: boolean;
}

async function localProblems(folder: string, dtype: ModelDtype): Promise<Problem[]> {
  let manifest;
  try {
    manifest = await readManifest(folder);
  } catch (error) {
    // A damaged manifest: nothing can be trusted; a download rebuilds it (re-fetching the files).
    if (error instanceof ModelError) return [{ path: MANIFEST_FILE, line: error.message, missing: false }];
    throw error;
  }
  if (!manifest) {
    const missing: Problem[] = [];
    for (const spec of filesForDtype(dtype)) {
      if (spec.optional) continue;
      const ok = await stat(join(folder, spec.path)).then(
        (s) => s.isFile(),
        () => false,
      );
      if (!ok) missing.push({ path: spec.path, line: `${spec.path}: missing`, missing: true });
    }
    return missing;
  }
  const report = await verifyModelFolder(folder, { mode: 'quick', dtype, manifest });
  const lines = describeProblems(report);
  // Every file the dtype needs is in the manifest and passes: that is complete, even if the run
  // that fetched them stopped before adding the dtype to `dtypes`.
  return report.files
    .filter((f) => f.status !== 'ok')
    .map((f, i) => ({ path: f.path, line: lines[i]!, missing: f.status === 'missing' || f.status === 'not-in-manifest' }));
}
