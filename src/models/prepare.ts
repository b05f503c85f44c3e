/**
 * The folder the workers load: the model as downloaded, plus fr2en's changes to its graphs (today:
 * the decoder's log-softmax output, see onnx/log-softmax.ts), made once and cached, keyed by a
 * fingerprint of the file it changes. Unchanged files are symbolic links to the originals, so the
 * cache costs one decoder's size on disk.
 *
 * The cache goes beside the model (`<model>/.fr2en/prepared/`); a model folder that cannot be
 * written (a shared, read-only copy) gets it in the user's cache folder instead
 * (`$XDG_CACHE_HOME/fr2en`, else `~/.cache/fr2en`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readdir, rename, rm, stat, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fingerprintModelFiles } from '../cache/translation-memory.js';
import { onnxFiles, type ModelDtype } from './files.js';
import { addLogProbsOutput, hasLogitsOutput } from './onnx/log-softmax.js';

/** Bumped when the changes made to a graph change: older prepared folders are then rebuilt. */
const PREPARE_VERSION = 1;

export interface PreparedModel {
  /** The folder to load (the model folder itself when nothing needed changing). */
  folder: string;
  /** The decoder has a `logprobs` output. */
  logProbs: boolean;
}

export async function prepareModel(modelPath: string, dtype: ModelDtype, env: NodeJS.ProcessEnv = process.env): Promise<PreparedModel> {
  const decoderRel = onnxFiles(dtype)[1];
  const decoder = path.join(modelPath, decoderRel);
  if (!(await hasLogitsOutput(decoder))) return { folder: modelPath, logProbs: false };
  const key = createHash('sha256')
    .update(`${PREPARE_VERSION}\n${await fingerprintModelFiles(modelPath, [decoderRel])}`)
    .digest('hex')
    .slice(0, 16);
  const parent = (await isWritable(modelPath)) ? path.join(modelPath, '.fr2en', 'prepared') : path.join(userCacheDir(env), 'prepared');
  const folder = path.join(parent, `${dtype}-${key}`);
  if (!(await exists(folder))) await build(modelPath, decoderRel, folder);
  return { folder, logProbs: true };
}

/** Builds `folder` in a temporary folder beside it, then renames it into place (atomic). */
async function build(modelPath: string, decoderRel: string, folder: string): Promise<void> {
  const temporary = `${folder}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  await mkdir(path.join(temporary, 'onnx'), { recursive: true });
  try {
    for (const rel of await modelFiles(modelPath)) {
      if (rel !== decoderRel) await symlink(path.resolve(modelPath, rel), path.join(temporary, rel));
    }
    await addLogProbsOutput(path.join(modelPath, decoderRel), path.join(temporary, decoderRel));
    await rename(temporary, folder).catch(async (error: NodeJS.ErrnoException) => {
      // Another process (a second worker host, a concurrent run) built it first: use theirs.
      if (!(await exists(folder))) throw error;
    });
    // Folders built for an earlier version of the model file are not needed any more.
    const prefix = path.basename(folder).split('-')[0];
    for (const old of await readdir(path.dirname(folder))) {
      if (old.startsWith(`${prefix}-`) && !old.endsWith('.tmp') && old !== path.basename(folder)) await rm(path.join(path.dirname(folder), old), { recursive: true, force: true });
    }
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}

/** The model's files (not dot files), top level and in onnx/, relative to the folder. */
async function modelFiles(modelPath: string): Promise<string[]> {
  const top = (await readdir(modelPath, { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name);
  const onnx = (await readdir(path.join(modelPath, 'onnx'), { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => `onnx/${e.name}`);
  return [...top, ...onnx];
}

function userCacheDir(env: NodeJS.ProcessEnv): string {
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'fr2en');
}

/**
 * A folder whose mode grants nobody write permission counts as read-only even when access() says
 * yes: root passes every access check, and a shared model marked read-only must stay untouched.
 */
async function isWritable(folder: string): Promise<boolean> {
  const mode = await stat(folder).then((info) => info.mode, () => 0);
  if ((mode & 0o222) === 0) return false;
  return access(folder, constants.W_OK).then(
    () => true,
    () => false,
  );
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
