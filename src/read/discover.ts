/**
 * Turns the command line's inputs (files, folders, globs, `-`) into a deterministic,
 * de-duplicated list of files, each with the relative path its outputs mirror under `-o`, and
 * keeps the shard asked for.
 *
 * - A file: relative path = its base name; no extension filter (it was named on purpose).
 * - A folder: walked recursively; files whose extension is in `extensions` (case-insensitive),
 *   relative path = path inside the folder. Entries whose name starts with `.` are skipped (this
 *   keeps `.fr2en/` and `.git/` out), and so are the `exclude` folders (pass the output folder,
 *   in case it lies inside an input folder).
 * - A glob (only when no file of that name exists): matched with tinyglobby from its static base
 *   (`docs/**\/*.txt` -> base `docs`); relative path = path from the base; no extension filter.
 * - `-`: standard input, relative path `stdin.txt`.
 *
 * Symbolic links inside a folder are followed only when their target lies inside that folder;
 * links pointing outside are reported (`symlink-escape`), dangling ones (`broken-symlink`), and a
 * link back to a folder being walked (`symlink-loop`) is not followed. Globs never match symbolic
 * links (tinyglobby with `followSymbolicLinks: false` leaves them out); the check on glob matches
 * is a second line of defence. A symlink named directly on the command line is followed: the
 * user chose it.
 *
 * Order: inputs in command-line order, each folder or glob sorted by relative path (code-unit
 * order, not locale). A file reached twice (same real path) is kept the first time; two different
 * files with the same relative path would overwrite each other's outputs, so the later one is
 * reported (`duplicate-output`). Sharding applies last, on the relative path alone, so every shard
 * must be given the same inputs.
 */
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { UsageError } from '../errors.js';
import { InputError, inputErrorFromFs } from './errors.js';
import { isInside, relativeSegments } from './safe-path.js';

/** The command-line name for standard input. */
export const STDIN_MARKER = '-';
/** The relative output path of standard input. */
export const STDIN_REL_PATH = 'stdin.txt';
export const DEFAULT_EXTENSIONS: readonly string[] = ['txt'];

export type InputSource =
  | {
      kind: 'file';
      /** Absolute path to read (through the links as found, not resolved). */
      path: string;
      /** POSIX relative path mirrored under `-o`; also what `--shard` hashes. */
      relPath: string;
      /** Name for messages: the argument, or `<folder>/<relPath>` for a file found in a folder. */
      name: string;
    }
  | { kind: 'stdin'; path: typeof STDIN_MARKER; relPath: typeof STDIN_REL_PATH; name: typeof STDIN_MARKER };

/** `--shard K/N`: K is 1-based, 1 <= K <= N. */
export interface Shard {
  index: number;
  count: number;
}

export interface DiscoverOptions {
  /** Folder that relative arguments are resolved against. */
  cwd: string;
  /** Extensions (no dot, lower case, from `parseExtensions`) kept when walking a folder. @default ['txt'] */
  extensions?: readonly string[];
  /** Folders never walked (absolute, or relative to `cwd`), e.g. the output folder. */
  exclude?: readonly string[];
  /** Keep only this shard. */
  shard?: Shard | undefined;
  /**
   * The output folder, and how fr2en names its outputs: files with such names inside it are
   * never taken from a folder or a glob (so `-o` may be the input folder itself, and a rerun does
   * not translate its own outputs). A file named explicitly is always taken.
   */
  outputs?: { dir: string; isOutputName: (fileName: string) => boolean };
}

export interface Discovery {
  /** Files to process, in order. */
  inputs: InputSource[];
  /** Inputs that could not be used, or were left out on purpose (links, duplicates, no match). */
  problems: InputError[];
  /** How many inputs belong to other shards (0 without `--shard`). */
  otherShards: number;
}

/**
 * Parses `--ext` (`txt,md`, `.txt, .MD`) into lower-case extensions without dots.
 * Throws UsageError on an empty list or a name with a path separator or wildcard.
 */
export function parseExtensions(value: string): string[] {
  const extensions = value
    .split(',')
    .map((ext) => ext.trim().replace(/^\./, '').toLowerCase())
    .filter((ext) => ext !== '');
  const bad = extensions.find((ext) => /[\\/*?[\]{}]/.test(ext));
  if (extensions.length === 0 || bad !== undefined) {
    throw new UsageError(`Expected \`--ext\` to be a comma-separated list of extensions such as txt,md, got ${JSON.stringify(value)}`);
  }
  return [...new Set(extensions)];
}

/**
 * Parses `--shard K/N` (K 1-based: `1/3`, `2/3`, `3/3`). Throws UsageError for anything else:
 * `0/3`, `4/3`, `1/0`, `a/b`, `1.5/3`, `2`.
 */
export function parseShard(value: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = match === null ? NaN : Number(match[1]);
  const count = match === null ? NaN : Number(match[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new UsageError(
      `Expected \`--shard\` to be K/N with 1 <= K <= N (K is 1-based: 1/3, 2/3, 3/3), got ${JSON.stringify(value)}`,
    );
  }
  return { index, count };
}

/**
 * The shard (1..count) a relative path belongs to: the first 8 bytes of sha256(relPath, UTF-8),
 * as an unsigned integer, modulo count, plus 1. Stable across runs, machines and Node versions.
 */
export function shardOf(relPath: string, count: number): number {
  const digest = createHash('sha256').update(relPath, 'utf8').digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(count)) + 1;
}

interface Found {
  path: string;
  real: string;
  relPath: string;
  name: string;
}

/** What one walk or glob produced. */
interface Expansion {
  files: Found[];
  problems: InputError[];
}

const toPosix = (p: string): string => p.split(path.sep).join('/');

/** Where a glob's static part ends: `docs/**\/*.txt` -> `docs` + `**\/*.txt`. */
export function splitGlob(pattern: string): { base: string; rest: string } {
  const segments = pattern.split('/');
  let i = 0;
  while (i < segments.length - 1 && !isDynamicPattern(segments[i])) i++;
  const base = segments.slice(0, i).join('/');
  return { base: base === '' && pattern.startsWith('/') ? '/' : base, rest: segments.slice(i).join('/') };
}

/** Resolves a link found inside `realRoot`; says whether to follow it, or why not. */
async function followLink(
  linkPath: string,
  name: string,
  realRoot: string,
): Promise<{ ok: true; real: string; isDir: boolean; isFile: boolean } | { ok: false; problem: InputError }> {
  let real: string;
  try {
    real = await realpath(linkPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { ok: false, problem: new InputError('symlink-loop', name, 'symbolic link loop, not followed', { cause: error }) };
    if (code === 'ENOENT') return { ok: false, problem: new InputError('broken-symlink', name, 'symbolic link to a missing file, skipped', { cause: error }) };
    return { ok: false, problem: inputErrorFromFs(name, error) };
  }
  if (!isInside(realRoot, real)) {
    return { ok: false, problem: new InputError('symlink-escape', name, `symbolic link to ${real}, outside the input folder, not followed`) };
  }
  const info = await stat(real);
  return { ok: true, real, isDir: info.isDirectory(), isFile: info.isFile() };
}

/** Which files of a walk or glob are earlier outputs of fr2en (see DiscoverOptions.outputs). */
type OutputFilter = (realPath: string, fileName: string) => boolean;

async function walkFolder(root: string, name: string, extensions: ReadonlySet<string>, excluded: ReadonlySet<string>, isOutput: OutputFilter): Promise<Expansion> {
  const files: Found[] = [];
  const problems: InputError[] = [];
  const realRoot = await realpath(root);
  // Real paths of the folders on the current descent: a link to one of them is a cycle.
  const onStack = new Set<string>();
  // Every real folder walked: a second link to one would only produce duplicates.
  const walked = new Set<string>();
  const wanted = (fileName: string): boolean => extensions.has(path.extname(fileName).slice(1).toLowerCase());
  const take = (found: Found): void => {
    if (!isOutput(found.real, path.basename(found.relPath))) files.push(found);
  };

  const walk = async (dir: string, realDir: string, rel: string): Promise<void> => {
    onStack.add(realDir);
    walked.add(realDir);
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      problems.push(inputErrorFromFs(path.join(name, rel), error));
      onStack.delete(realDir);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const entryPath = path.join(dir, entry.name);
      const entryRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const entryName = path.join(name, entryRel);
      if (entry.isSymbolicLink()) {
        const link = await followLink(entryPath, entryName, realRoot);
        if (!link.ok) {
          problems.push(link.problem);
        } else if (link.isDir) {
          if (onStack.has(link.real)) {
            problems.push(new InputError('symlink-loop', entryName, 'symbolic link to a folder that contains it, not followed'));
          } else if (!walked.has(link.real) && !excluded.has(link.real)) {
            await walk(entryPath, link.real, entryRel);
          }
        } else if (link.isFile && wanted(entry.name)) {
          take({ path: entryPath, real: link.real, relPath: entryRel, name: entryName });
        }
      } else if (entry.isDirectory()) {
        const realEntry = path.join(realDir, entry.name);
        if (!excluded.has(realEntry) && !walked.has(realEntry)) await walk(entryPath, realEntry, entryRel);
      } else if (entry.isFile()) {
        if (wanted(entry.name)) take({ path: entryPath, real: path.join(realDir, entry.name), relPath: entryRel, name: entryName });
      } else if (wanted(entry.name)) {
        problems.push(new InputError('unreadable', entryName, `${specialKind(entry)}, not a regular file; skipped`));
      }
    }
    onStack.delete(realDir);
  };

  await walk(path.resolve(root), realRoot, '');
  if (files.length === 0) {
    problems.push(new InputError('no-match', name, `folder holds no .${[...extensions].join('/.')} file`));
  }
  return { files, problems };
}

function specialKind(entry: Dirent): string {
  if (entry.isFIFO()) return 'a named pipe (FIFO)';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device';
  return 'a special file';
}

async function expandGlob(pattern: string, cwd: string, isOutput: OutputFilter): Promise<Expansion> {
  const { base, rest } = splitGlob(pattern);
  const baseDir = path.resolve(cwd, base);
  const files: Found[] = [];
  const problems: InputError[] = [];
  let realBase: string;
  try {
    realBase = await realpath(baseDir);
  } catch {
    return { files, problems: [new InputError('no-match', pattern, 'glob matched no file')] };
  }
  const matches = await glob(rest, { cwd: baseDir, onlyFiles: true, followSymbolicLinks: false, dot: false, expandDirectories: false });
  matches.sort();
  for (const match of matches) {
    const matchPath = path.join(baseDir, match);
    const name = base === '' ? match : `${base.replace(/\/$/, '')}/${match}`;
    const link = await followLink(matchPath, name, realBase);
    if (!link.ok) problems.push(link.problem);
    else if (link.isFile && !isOutput(link.real, path.basename(match))) files.push({ path: matchPath, real: link.real, relPath: toPosix(match), name });
  }
  if (files.length === 0) problems.push(new InputError('no-match', pattern, 'glob matched no file'));
  return { files, problems };
}

async function expandArgument(
  arg: string,
  options: Required<Pick<DiscoverOptions, 'cwd'>>,
  extensions: ReadonlySet<string>,
  excluded: ReadonlySet<string>,
  isOutput: OutputFilter,
): Promise<Expansion> {
  const absolute = path.resolve(options.cwd, arg);
  let info;
  try {
    info = await stat(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'ENOENT' || code === 'ENOTDIR') && isDynamicPattern(arg)) return expandGlob(arg, options.cwd, isOutput);
    return { files: [], problems: [inputErrorFromFs(arg, error)] };
  }
  if (info.isDirectory()) {
    try {
      return await walkFolder(absolute, arg, extensions, excluded, isOutput);
    } catch (error) {
      return { files: [], problems: [inputErrorFromFs(arg, error)] };
    }
  }
  if (!info.isFile()) return { files: [], problems: [new InputError('unreadable', arg, 'not a regular file')] };
  return { files: [{ path: absolute, real: await realpath(absolute), relPath: path.basename(absolute), name: arg }], problems: [] };
}

/**
 * Expands inputs into files. Expected per-input problems come back in `problems` (the batch goes
 * on); only usage errors throw (UsageError: no input, `-` twice is fine, `-` with a shard).
 */
export async function discoverInputs(args: readonly string[], options: DiscoverOptions): Promise<Discovery> {
  if (args.length === 0) throw new UsageError('Expected at least one input: a file, a folder, a glob, or - for standard input');
  if (options.shard !== undefined && args.includes(STDIN_MARKER)) {
    throw new UsageError('`--shard` cannot be combined with - (standard input): only files can be split between shards');
  }
  const extensions = new Set(options.extensions ?? DEFAULT_EXTENSIONS);
  const excluded = new Set<string>();
  for (const dir of options.exclude ?? []) {
    try {
      excluded.add(await realpath(path.resolve(options.cwd, dir)));
    } catch {
      // Not created yet: nothing to skip.
    }
  }

  const isOutput = await outputFilter(options);
  const inputs: InputSource[] = [];
  const problems: InputError[] = [];
  const seenReal = new Set<string>();
  const byRelPath = new Map<string, string>(); // relPath -> name of the input that claimed it
  let stdin = false;
  let otherShards = 0;

  for (const arg of args) {
    if (arg === STDIN_MARKER) {
      if (!stdin) inputs.push({ kind: 'stdin', path: STDIN_MARKER, relPath: STDIN_REL_PATH, name: STDIN_MARKER });
      stdin = true;
      byRelPath.set(STDIN_REL_PATH, STDIN_MARKER);
      continue;
    }
    const expansion = await expandArgument(arg, options, extensions, excluded, isOutput);
    problems.push(...expansion.problems);
    for (const found of expansion.files) {
      if (seenReal.has(found.real)) continue;
      seenReal.add(found.real);
      const checked = relativeSegments(found.relPath);
      if (!checked.ok) {
        problems.push(new InputError('path-escape', found.name, `${checked.problem}; skipped`));
        continue;
      }
      const claimed = byRelPath.get(found.relPath);
      if (claimed !== undefined) {
        problems.push(new InputError('duplicate-output', found.name, `same output path (${found.relPath}) as ${claimed}; skipped`));
        continue;
      }
      byRelPath.set(found.relPath, found.name);
      if (options.shard !== undefined && shardOf(found.relPath, options.shard.count) !== options.shard.index) {
        otherShards++;
        continue;
      }
      inputs.push({ kind: 'file', path: found.path, relPath: found.relPath, name: found.name });
    }
  }
  return { inputs, problems, otherShards };
}

async function outputFilter(options: DiscoverOptions): Promise<OutputFilter> {
  if (options.outputs === undefined) return () => false;
  const { isOutputName } = options.outputs;
  let outReal: string;
  try {
    outReal = await realpath(path.resolve(options.cwd, options.outputs.dir));
  } catch {
    return () => false; // not created yet: it holds no outputs
  }
  return (realPath, fileName) => isInside(outReal, realPath) && isOutputName(fileName);
}
