/**
 * The folder the workers load: the model as downloaded, plus fr2en's changes to its graphs, made
 * once and cached, keyed by a fingerprint of the files it changes:
 * - encoder and decoder keep their weights in a data file beside the graph (onnx/external-data.ts:
 *   ONNX Runtime then maps the weights instead of copying them, 120 MiB less per worker in q8);
 * - the decoder computes log-probabilities, picks each row's best tokens itself and returns only
 *   the new positions of its self-attention cache (onnx/decoder-outputs.ts).
 * Other files are symbolic links to the originals, so the cache costs one copy of the two ONNX
 * files on disk (about 140 MB in q8, 420 MB in fp32).
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
import { addLogProbs, addTokenSelection, hasLogitsOutput, newPositionsOnly } from './onnx/decoder-outputs.js';
import { dataFileOf, rewriteModel } from './onnx/external-data.js';
import { shareCrossAttention } from './onnx/shared-cross.js';

/** Bumped when the changes made to a graph change: older prepared folders are then rebuilt. */
const PREPARE_VERSION = 3;

export interface PrepareOptions {
  /**
   * Also hold one cross-attention cache per sentence (onnx/shared-cross.ts), for beam search: a
   * copy of its own, since the edit changes ONNX Runtime's rounding enough to change q8 token ids
   * on near ties, and greedy search keeps the copy whose token ids are the original graph's.
   * @default false
   */
  readonly beams?: boolean;
}

export interface PreparedModel {
  /** The folder to load (the model folder itself when nothing needed changing). */
  folder: string;
}

export async function prepareModel(modelPath: string, dtype: ModelDtype, { beams = false }: PrepareOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<PreparedModel> {
  const [encoderRel, decoderRel] = onnxFiles(dtype);
  const decoder = path.join(modelPath, decoderRel);
  if (!(await hasLogitsOutput(decoder))) return { folder: modelPath };
  const key = createHash('sha256')
    .update(`${PREPARE_VERSION}\n${await fingerprintModelFiles(modelPath, [encoderRel, decoderRel])}`)
    .digest('hex')
    .slice(0, 16);
  const parent = (await isWritable(modelPath)) ? path.join(modelPath, '.fr2en', 'prepared') : path.join(userCacheDir(env), 'prepared');
  const folder = path.join(parent, `${dtype}${beams ? '-beams' : ''}-v${PREPARE_VERSION}-${key}`);
  const files = await modelFiles(modelPath);
  if (!(await isIntact(folder, [...files, dataFileOf(encoderRel), dataFileOf(decoderRel)]))) {
    // A folder whose links no longer resolve (the model was moved, or a file removed) is rebuilt.
    await rm(folder, { recursive: true, force: true });
    await build(modelPath, files, [encoderRel, decoderRel], folder, beams);
  }
  return { folder };
}

/** Builds `folder` in a temporary folder beside it, then renames it into place (atomic). */
async function build(modelPath: string, files: readonly string[], [encoderRel, decoderRel]: string[], folder: string, beams: boolean): Promise<void> {
  const temporary = `${folder}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  await mkdir(path.join(temporary, 'onnx'), { recursive: true });
  try {
    for (const rel of files) {
      if (rel === decoderRel || rel === encoderRel) continue;
      // Relative links: a model folder moved with its prepared copy inside stays whole.
      const link = path.join(folder, rel);
      await symlink(path.relative(path.dirname(link), path.resolve(modelPath, rel)), path.join(temporary, rel));
    }
    await rewriteModel(path.join(modelPath, encoderRel), path.join(temporary, encoderRel), () => undefined);
    await rewriteModel(path.join(modelPath, decoderRel), path.join(temporary, decoderRel), (graph) => {
      addLogProbs(graph);
      addTokenSelection(graph);
      newPositionsOnly(graph);
      if (beams) shareCrossAttention(graph);
    });
    await rename(temporary, folder).catch(async (error: NodeJS.ErrnoException) => {
      // Another process (a second worker host, a concurrent run) built it first: use theirs.
      if (!(await exists(folder))) throw error;
    });
    // Folders this version built for an earlier version of the model file are not needed any
    // more. Another fr2en version's stay: it may be using them (two installs, one models folder).
    const name = path.basename(folder);
    const prefix = name.slice(0, name.lastIndexOf('-') + 1);
    for (const old of await readdir(path.dirname(folder))) {
      if (old.startsWith(prefix) && !old.endsWith('.tmp') && old !== name) await rm(path.join(path.dirname(folder), old), { recursive: true, force: true });
    }
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}

/** The model's files (not dot files), top level and in onnx/, relative to the folder. */
async function modelFiles(modelPath: string): Promise<string[]> {
  const top = (await readdir(modelPath, { withFileTypes: true })).filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith('.')).map((e) => e.name);
  const onnx = (await readdir(path.join(modelPath, 'onnx'), { withFileTypes: true })).filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith('.')).map((e) => `onnx/${e.name}`);
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

/** Whether `folder` has each of the model's files, and each of its files (or a link's target) is there. */
async function isIntact(folder: string, expected: readonly string[]): Promise<boolean> {
  const files = await modelFiles(folder).catch(() => undefined);
  if (files === undefined || expected.some((rel) => !files.includes(rel))) return false;
  const found = await Promise.all(files.map((rel) => exists(path.join(folder, rel))));
  return found.every(Boolean);
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
