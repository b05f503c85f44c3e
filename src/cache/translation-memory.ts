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
import { mkdirSync, statSync } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Fr2enError, errorMessage } from '../errors.js';

/** Bumped when the tables change; an older fr2en refuses a newer file instead of misreading it. */
const SCHEMA_VERSION = 1;
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
  keyContext: string;
  /** Output formats asked for; order does not matter. */
  formats: readonly string[];
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
    return new TranslationMemoryError('busy', file, `locked by another process for too long while ${doing}`, { cause: error });
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM' || code === 'SQLITE_READONLY') {
    return new TranslationMemoryError('open', file, `cannot open the cache (${code}); check the folder's permissions or use --cache/--no-cache`, { cause: error });
  }
  const detail = errorMessage(error);
  return new TranslationMemoryError('io', file, `cache error while ${doing}: ${detail}`, { cause: error });
}

const formatsKey = (formats: readonly string[]): string => [...new Set(formats)].sort().join(',');

/**
 * The translation memory. Synchronous (better-sqlite3): a batch lookup of a few hundred sentences
 * takes well under a millisecond, far less than translating one of them.
 */
export class TranslationMemory {
  readonly file: string;
  readonly #db: Database.Database;
  readonly #get: Database.Statement<[string, string], { target: string }>;
  readonly #put: Database.Statement<[string, string, string, number]>;
  readonly #getOutput: Database.Statement<[string, string, string], { source_sha256: string; outputs: string }>;
  readonly #putOutput: Database.Statement<[string, string, string, string, string, number]>;

  private constructor(file: string, db: Database.Database) {
    this.file = file;
    this.#db = db;
    this.#get = db.prepare('SELECT target FROM translations WHERE context = ? AND source = ?');
    this.#put = db.prepare('INSERT OR REPLACE INTO translations (context, source, target, created_at) VALUES (?, ?, ?, ?)');
    this.#getOutput = db.prepare('SELECT source_sha256, outputs FROM outputs WHERE rel_path = ? AND context = ? AND formats = ?');
    this.#putOutput = db.prepare(
      'INSERT OR REPLACE INTO outputs (rel_path, context, formats, source_sha256, outputs, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  /** Opens (creating the file, its folder and tables if needed) the cache at `file`. */
  static open(file: string, options: OpenOptions = {}): TranslationMemory {
    const busyTimeout = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    let db: Database.Database | undefined;
    try {
      if (!options.readonly) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
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
        db.transaction(() => {
          db!.exec(`
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS translations (
              context TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL, created_at INTEGER NOT NULL,
              PRIMARY KEY (context, source)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS outputs (
              rel_path TEXT NOT NULL, context TEXT NOT NULL, formats TEXT NOT NULL,
              source_sha256 TEXT NOT NULL, outputs TEXT NOT NULL, updated_at INTEGER NOT NULL,
              PRIMARY KEY (rel_path, context, formats)
            ) WITHOUT ROWID;
            INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '${SCHEMA_VERSION}');
          `);
        }).immediate();
      }
      const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
      if (row === undefined || Number(row.value) > SCHEMA_VERSION) {
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

  /** Known translations of `sentences` under `keyContext`: source -> target (misses absent). */
  getMany(keyContext: string, sentences: Iterable<string>): Map<string, string> {
    const found = new Map<string, string>();
    try {
      // One read transaction: a consistent snapshot, and one lock instead of one per sentence.
      this.#db.transaction(() => {
        for (const source of sentences) {
          if (found.has(source)) continue;
          const row = this.#get.get(keyContext, source);
          if (row !== undefined) found.set(source, row.target);
        }
      })();
    } catch (error) {
      throw wrap(this.file, error, 'reading translations');
    }
    return found;
  }

  /** Stores translations under `keyContext`, all or nothing, in one transaction. */
  putMany(keyContext: string, entries: Iterable<readonly [source: string, target: string]> | ReadonlyMap<string, string>): void {
    const now = Date.now();
    try {
      this.#db.transaction(() => {
        for (const [source, target] of entries) this.#put.run(keyContext, source, target, now);
      }).immediate();
    } catch (error) {
      throw wrap(this.file, error, 'storing translations');
    }
  }

  /**
   * Whether `record`'s outputs are up to date: the same input content was translated with the
   * same key context and formats, and every output file recorded by `markDone` still exists.
   */
  isUpToDate(record: OutputRecord): boolean {
    let row: { source_sha256: string; outputs: string } | undefined;
    try {
      row = this.#getOutput.get(record.relPath, record.keyContext, formatsKey(record.formats));
    } catch (error) {
      throw wrap(this.file, error, 'reading output records');
    }
    if (row === undefined || row.source_sha256 !== record.sourceSha256) return false;
    const outputs = JSON.parse(row.outputs) as string[];
    return outputs.every((output) => {
      try {
        return statSync(output).isFile();
      } catch {
        return false;
      }
    });
  }

  /** Records that `record` was translated and written to `outputs` (absolute paths). */
  markDone(record: OutputRecord, outputs: readonly string[]): void {
    try {
      this.#putOutput.run(record.relPath, record.keyContext, formatsKey(record.formats), record.sourceSha256, JSON.stringify(outputs), Date.now());
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
