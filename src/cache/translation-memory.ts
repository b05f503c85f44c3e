/**
 * A persistent translation memory: each source sentence's translation, under a key context that
 * names everything the translation depends on (model and its files, dtype, decoding options), in
 * SQLite. Plus an "outputs up to date" table, so a rerun skips files whose source, settings and
 * formats have not changed.
 *
 * Concurrency: several processes (shards on one machine, two runs in one folder) may share a file.
 * WAL mode lets readers work while one process writes; `busy_timeout` makes a writer wait for the
 * lock instead of failing; every batch is one IMMEDIATE transaction (taking the write lock at BEGIN
 * avoids the deadlock two deferred transactions hit when both upgrade from read to write, which
 * SQLite reports as SQLITE_BUSY without waiting).
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Fr2enError, errorMessage } from '../errors.js';

/**
 * Bumped when the tables change; an older fr2en refuses a newer file instead of misreading it.
 * 2: translations keep the decoder's token count, log-probability and truncation; output records
 * are keyed by their output files and settings (v1 records are dropped on upgrade: they only
 * cause files to be written again, from the memory).
 */
const SCHEMA_VERSION = 2;
/** How long a writer waits for another process's lock before failing (ms). */
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

export type TranslationMemoryFailure = 'open' | 'corrupt' | 'incompatible' | 'busy' | 'io';

export class TranslationMemoryError extends Fr2enError {
  override readonly name = 'TranslationMemoryError';
  constructor(
    readonly reason: TranslationMemoryFailure,
    /** The cache file. */
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
  }
}

/** The default cache file for an output folder: `<outDir>/.fr2en/cache.db`. */
export function defaultCachePath(outDir: string): string {
  return path.join(outDir, '.fr2en', 'cache.db');
}

/** Everything a sentence's translation depends on, besides the sentence. */
export interface KeyContextInput {
  /** Model id or folder, as configured (`Xenova/opus-mt-fr-en`). */
  model: string;
  /** `fingerprintModelFiles(...)`: changes when the model files do. */
  modelFingerprint: string;
  /** `q8`, `fp32`... */
  dtype: string;
  /** Decoding options that change the output: beams, max tokens policy, sampling... */
  decoding: Readonly<Record<string, unknown>>;
}

/** JSON with object keys sorted at every level, so equal values give equal strings. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The key context: sha256 (hex) of the canonical JSON of `input`, prefixed with a format
 * version. Stable across runs and key order (`{beams: 4, max: 512}` = `{max: 512, beams: 4}`).
 */
export function createKeyContext(input: KeyContextInput): string {
  return createHash('sha256').update(`fr2en-tm-v1\n${canonicalJson(input)}`).digest('hex');
}

/**
 * The key of an output record's settings: sha256 (hex) of the canonical JSON of `settings`, so
 * that equal settings (in any key order) give equal keys.
 */
export function createSettingsKey(settings: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(`fr2en-outputs-v2\n${canonicalJson(settings)}`).digest('hex');
}

/** Files up to this size are hashed whole; bigger ones (the .onnx) by size, head and tail. */
const FULL_HASH_BYTES = 1024 * 1024;
const SAMPLE_BYTES = 64 * 1024;

/**
 * A fingerprint of a model folder's files: JSON files by content, large files by size plus the
 * hash of their first and last 64 KiB (hashing 300 MB of ONNX on every run would cost seconds;
 * an edited or re-exported model changes size or those bytes). Not by mtime: copying a model
 * folder must not empty the cache. `files`: paths relative to `dir` (e.g. from
 * `filesForDtype`); by default every file under `dir`, except dot files.
 */
export async function fingerprintModelFiles(dir: string, files?: readonly string[]): Promise<string> {
  const list = files === undefined ? await listFiles(dir) : [...files].sort();
  const hash = createHash('sha256');
  for (const rel of list) {
    const full = path.join(dir, rel);
    let size: number;
    try {
      size = (await stat(full)).size;
    } catch {
      hash.update(`${rel}\0missing\n`); // optional files: absence is part of the fingerprint
      continue;
    }
    hash.update(`${rel}\0${size}\0`);
    if (size <= FULL_HASH_BYTES) hash.update(await readFile(full));
    else {
      const handle = await open(full, 'r');
      try {
        const head = Buffer.alloc(SAMPLE_BYTES);
        const tail = Buffer.alloc(SAMPLE_BYTES);
        await handle.read(head, 0, SAMPLE_BYTES, 0);
        await handle.read(tail, 0, SAMPLE_BYTES, size - SAMPLE_BYTES);
        hash.update(head).update(tail);
      } finally {
        await handle.close();
      }
    }
    hash.update('\n');
  }
  return hash.digest('hex');
}

async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, child)));
    else if (entry.isFile()) out.push(child);
  }
  return out.sort();
}

/** One output record: this input, with this content and these settings, produced these files. */
export interface OutputRecord {
  /** The input's relative path (as mirrored under `-o`). */
  relPath: string;
  /** sha256 of the input's raw bytes (`readTextFile(...).sha256` or `sha256File`). */
  sourceSha256: string;
  /** Everything besides the source that shapes the files' bytes (see RunCache.outputSettings). */
  settings: string;
  /** Absolute paths of the output files, in format order. */
  outputs: readonly string[];
}

/** A translation as stored: the target and what the decoder said about it (absent in v1 rows). */
export interface MemoryEntry {
  target: string;
  tokens?: number;
  logprob?: number;
  truncated?: boolean;
}

interface OutputRow {
  source_sha256: string;
  settings: string;
  files: string;
}

/** What an output file looked like when it was recorded: a file edited or replaced since is not current. */
interface FileStamp {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface OpenOptions {
  /** @default DEFAULT_BUSY_TIMEOUT_MS */
  busyTimeoutMs?: number;
  /** Open without creating tables or writing (e.g. inspecting a cache). @default false */
  readonly?: boolean;
}

/** better-sqlite3 errors carry SQLite's code; map the ones worth a clear message. */
function wrap(file: string, error: unknown, doing: string): TranslationMemoryError {
  if (error instanceof TranslationMemoryError) return error;
  const code = (error as { code?: string } | undefined)?.code ?? '';
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new TranslationMemoryError('corrupt', file, `not a usable cache (${code}) while ${doing}; delete it or run with --no-cache`, { cause: error });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new TranslationMemoryError('busy', file, `locked by another process for too long while ${doing}; wait for it, or pass another --cache`, { cause: error });
  }
  if (code === 'SQLITE_FULL') {
    return new TranslationMemoryError('io', file, `no space left on device while ${doing}; free some space, or pass --cache elsewhere, --no-cache, or --cache-errors continue`, { cause: error });
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM' || code === 'SQLITE_READONLY') {
    return new TranslationMemoryError('open', file, `cannot open the cache (${code}); check the folder's permissions or use --cache/--no-cache`, { cause: error });
  }
  const detail = errorMessage(error);
  return new TranslationMemoryError('io', file, `cache error while ${doing}: ${detail}; pass --no-cache or --cache-errors continue to go on without it`, { cause: error });
}


/**
 * The translation memory. Synchronous (better-sqlite3): a batch lookup of a few hundred sentences
 * takes well under a millisecond, far less than translating one of them.
 */
export class TranslationMemory {
  readonly file: string;
  readonly #db: Database.Database;
  readonly #get: Database.Statement<[string, string], { target: string; tokens: number | null; logprob: number | null; truncated: number | null }>;
  readonly #put: Database.Statement<[string, string, string, number | null, number | null, number | null, number]>;
  readonly #getOutput: Database.Statement<[string], OutputRow>;
  readonly #putOutput: Database.Statement<[string, string, string, string, string, number]>;
  readonly #deleteOutput: Database.Statement<[string]>;

  private constructor(file: string, db: Database.Database) {
    this.file = file;
    this.#db = db;
    this.#get = db.prepare('SELECT target, tokens, logprob, truncated FROM translations WHERE context = ? AND source = ?');
    this.#put = db.prepare(
      'INSERT OR REPLACE INTO translations (context, source, target, tokens, logprob, truncated, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.#getOutput = db.prepare('SELECT source_sha256, settings, files FROM outputs WHERE output_set = ?');
    this.#putOutput = db.prepare(
      'INSERT OR REPLACE INTO outputs (output_set, rel_path, source_sha256, settings, files, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#deleteOutput = db.prepare('DELETE FROM outputs WHERE output_set = ?');
  }

  /** Opens (creating the file, its folder and tables if needed) the cache at `file`. */
  static open(file: string, options: OpenOptions = {}): TranslationMemory {
    const busyTimeout = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    let db: Database.Database | undefined;
    try {
      if (!options.readonly) makeFolder(file);
      else statSync(file); // a missing file is an error in read-only mode
      db = new Database(file, { readonly: options.readonly ?? false, timeout: busyTimeout });
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeout))}`);
      if (!options.readonly) {
        // WAL survives in the file: set once, kept by every later connection. Switching the mode
        // needs an exclusive lock and SQLite does not call the busy handler for it, so two
        // processes creating the cache at once retry here instead of failing.
        const open = db;
        retryWhileBusy(() => open.pragma('journal_mode = WAL'), busyTimeout);
        // NORMAL in WAL mode cannot corrupt the file; a power cut may lose the last batches.
        db.pragma('synchronous = NORMAL');
        db.transaction(() => createOrUpgrade(db!)).immediate();
      }
      const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
      if (row === undefined || Number(row.value) !== SCHEMA_VERSION) {
        throw new TranslationMemoryError('incompatible', file, `cache schema version ${row?.value ?? 'missing'} is not supported (this fr2en knows ${SCHEMA_VERSION}); use another --cache file`);
      }
      return new TranslationMemory(file, db);
    } catch (error) {
      db?.close();
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new TranslationMemoryError('open', file, 'no such cache file', { cause: error });
      }
      throw wrap(file, error, 'opening');
    }
  }

  /** Known translations of `sentences` under `keyContext`: source -> entry (misses absent). */
  getMany(keyContext: string, sentences: Iterable<string>): Map<string, MemoryEntry> {
    const found = new Map<string, MemoryEntry>();
    try {
      // One read transaction: a consistent snapshot, and one lock instead of one per sentence.
      this.#db.transaction(() => {
        for (const source of sentences) {
          if (found.has(source)) continue;
          const row = this.#get.get(keyContext, source);
          if (row === undefined) continue;
          const entry: MemoryEntry = { target: row.target };
          if (row.tokens !== null && row.logprob !== null) Object.assign(entry, { tokens: row.tokens, logprob: row.logprob });
          if (row.truncated !== null) entry.truncated = row.truncated === 1;
          found.set(source, entry);
        }
      })();
    } catch (error) {
      throw wrap(this.file, error, 'reading translations');
    }
    return found;
  }

  /** Stores translations under `keyContext`, all or nothing, in one transaction. */
  putMany(keyContext: string, entries: Iterable<readonly [source: string, entry: MemoryEntry]>): void {
    const now = Date.now();
    try {
      this.#db.transaction(() => {
        for (const [source, { target, tokens, logprob, truncated }] of entries) {
          this.#put.run(keyContext, source, target, tokens ?? null, logprob ?? null, truncated === undefined ? null : Number(truncated), now);
        }
      }).immediate();
    } catch (error) {
      throw wrap(this.file, error, 'storing translations');
    }
  }

  /**
   * Whether `record`'s outputs are up to date: these output files were written from the same
   * input content with the same settings, and each is still there as it was written.
   */
  isUpToDate(record: OutputRecord): boolean {
    let row: OutputRow | undefined;
    try {
      row = this.#getOutput.get(outputSetKey(record.outputs));
    } catch (error) {
      throw wrap(this.file, error, 'reading output records');
    }
    if (row === undefined || row.source_sha256 !== record.sourceSha256 || row.settings !== record.settings) return false;
    return (JSON.parse(row.files) as FileStamp[]).every((stamp) => {
      try {
        const stat = statSync(stamp.path);
        return stat.isFile() && stat.size === stamp.size && stat.mtimeMs === stamp.mtimeMs;
      } catch {
        return false;
      }
    });
  }

  /** Records that `record.outputs` were written, complete, from `record`'s source and settings. */
  markDone(record: OutputRecord): void {
    try {
      const files: FileStamp[] = record.outputs.map((output) => {
        const stat = statSync(output);
        return { path: output, size: stat.size, mtimeMs: stat.mtimeMs };
      });
      this.#putOutput.run(outputSetKey(record.outputs), record.relPath, record.sourceSha256, record.settings, JSON.stringify(files), Date.now());
    } catch (error) {
      throw wrap(this.file, error, 'recording outputs');
    }
  }

  /** Forgets `outputs` (a file left incomplete must be written again by the next run). */
  forget(outputs: readonly string[]): void {
    try {
      this.#deleteOutput.run(outputSetKey(outputs));
    } catch (error) {
      throw wrap(this.file, error, 'recording outputs');
    }
  }

  /** Number of stored translations (all contexts, or one). */
  count(keyContext?: string): number {
    const row = (
      keyContext === undefined
        ? this.#db.prepare('SELECT count(*) AS n FROM translations').get()
        : this.#db.prepare('SELECT count(*) AS n FROM translations WHERE context = ?').get(keyContext)
    ) as { n: number };
    return row.n;
  }

  /** Closes the file; the instance must not be used afterwards. Idempotent. */
  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

/** The record key of a set of output files: two runs into different folders never share one. */
function outputSetKey(outputs: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(outputs)).digest('hex');
}

/** Creates the tables, or upgrades an older file's (inside the caller's transaction). */
function createOrUpgrade(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
  const version = row === undefined ? 0 : Number(row.value);
  if (version >= SCHEMA_VERSION) return;
  if (version === 1) {
    db.exec(`
      ALTER TABLE translations ADD COLUMN tokens INTEGER;
      ALTER TABLE translations ADD COLUMN logprob REAL;
      ALTER TABLE translations ADD COLUMN truncated INTEGER;
      DROP TABLE outputs;
    `);
  }
  db.exec(`
    CREATE TABLE IF NOT EXISTS translations (
      context TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
      tokens INTEGER, logprob REAL, truncated INTEGER, created_at INTEGER NOT NULL,
      PRIMARY KEY (context, source)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS outputs (
      output_set TEXT NOT NULL PRIMARY KEY, rel_path TEXT NOT NULL, source_sha256 TEXT NOT NULL,
      settings TEXT NOT NULL, files TEXT NOT NULL, updated_at INTEGER NOT NULL
    ) WITHOUT ROWID;
  `);
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
}

/** The cache's folder, created if needed; a folder that cannot be created is named with the reason. */
function makeFolder(file: string): void {
  const folder = path.dirname(path.resolve(file));
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    const code = whyNotWritable(folder) ?? (error as NodeJS.ErrnoException).code ?? 'error';
    throw new TranslationMemoryError('open', file, `cannot create the folder ${folder} (${describeErrno(code)}); pass --cache with a writable path or --no-cache`, { cause: error });
  }
}

/**
 * Why a folder cannot be created, asked of its nearest existing ancestor: a recursive mkdir on a
 * read-only file system reports ENOENT, which hides the real reason.
 */
function whyNotWritable(folder: string): string | undefined {
  let dir = path.dirname(folder);
  while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  try {
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}

/** A file-system error code in words. */
export function describeErrno(code: string): string {
  return ERRNO_WORDS[code] ?? code;
}

const ERRNO_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'name too long',
};

/** Runs `action`, retrying for up to `timeoutMs` while SQLite reports the database busy. */
function retryWhileBusy<T>(action: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return action();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if ((code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); // a synchronous 20 ms pause
    }
  }
}
