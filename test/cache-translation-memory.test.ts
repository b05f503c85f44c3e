import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createKeyContext,
  defaultCachePath,
  fingerprintModelFiles,
  TranslationMemory,
  TranslationMemoryError,
} from '../src/cache/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fr2en-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

const CONTEXT = createKeyContext({ model: 'Xenova/opus-mt-fr-en', modelFingerprint: 'abc', dtype: 'q8', decoding: { beams: 4, maxTokens: 512 } });

describe('key context', () => {
  it('is stable and ignores key order', () => {
    const again = createKeyContext({ decoding: { maxTokens: 512, beams: 4 }, dtype: 'q8', modelFingerprint: 'abc', model: 'Xenova/opus-mt-fr-en' });
    expect(again).toBe(CONTEXT);
    expect(CONTEXT).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with the model files, dtype or decoding options', () => {
    const base = { model: 'm', modelFingerprint: 'f', dtype: 'q8', decoding: { beams: 4 } };
    const keys = new Set([
      createKeyContext(base),
      createKeyContext({ ...base, modelFingerprint: 'g' }),
      createKeyContext({ ...base, dtype: 'fp32' }),
      createKeyContext({ ...base, decoding: { beams: 1 } }),
    ]);
    expect(keys.size).toBe(4);
  });

  it('fingerprints a model folder by content, not by time', async () => {
    const model = path.join(dir, 'model');
    mkdirSync(path.join(model, 'onnx'), { recursive: true });
    writeFileSync(path.join(model, 'config.json'), '{"a":1}');
    writeFileSync(path.join(model, 'onnx/encoder.onnx'), Buffer.alloc(2 * 1024 * 1024, 7));
    const first = await fingerprintModelFiles(model);
    expect(await fingerprintModelFiles(model)).toBe(first);
    writeFileSync(path.join(model, 'config.json'), '{"a":2}');
    expect(await fingerprintModelFiles(model)).not.toBe(first);
    expect(await fingerprintModelFiles(model, ['config.json', 'missing.json'])).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('TranslationMemory', () => {
  it('stores and finds translations per context, across reopenings', () => {
    const file = path.join(dir, 'a', '.fr2en', 'cache.db');
    expect(defaultCachePath(path.join(dir, 'a'))).toBe(file);
    const memory = TranslationMemory.open(file);
    memory.putMany(CONTEXT, [
      ['Bonjour.', { target: 'Hello.', tokens: 3, logprob: -0.75, truncated: false }],
      ['Merci.', { target: 'Thank you.' }],
    ]);
    memory.putMany(CONTEXT, [['Merci.', { target: 'Thanks.', tokens: 2, logprob: -2, truncated: true }]]); // a newer translation replaces
    memory.close();
    memory.close(); // idempotent

    const reopened = TranslationMemory.open(file);
    const found = reopened.getMany(CONTEXT, ['Bonjour.', 'Inconnu.', 'Merci.', 'Bonjour.']);
    expect([...found]).toEqual([
      ['Bonjour.', { target: 'Hello.', tokens: 3, logprob: -0.75, truncated: false }],
      ['Merci.', { target: 'Thanks.', tokens: 2, logprob: -2, truncated: true }],
    ]);
    expect(reopened.getMany('other-context', ['Bonjour.']).size).toBe(0);
    expect(reopened.count()).toBe(2);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    reopened.close();
  });

  it('records outputs and says when they are up to date', () => {
    const memory = TranslationMemory.open(path.join(dir, 'outputs.db'));
    const output = path.join(dir, 'out.en.txt');
    const other = path.join(dir, 'elsewhere', 'out.en.txt');
    writeFileSync(output, 'Hello.');
    const record = { relPath: 'a.txt', sourceSha256: 'aa', settings: 'S', outputs: [output] };
    expect(memory.isUpToDate(record)).toBe(false);
    memory.markDone(record);
    expect(memory.isUpToDate(record)).toBe(true);
    expect(memory.isUpToDate({ ...record, sourceSha256: 'bb' })).toBe(false); // source changed
    expect(memory.isUpToDate({ ...record, settings: 'T' })).toBe(false); // model, options or write settings changed
    expect(memory.isUpToDate({ ...record, outputs: [other] })).toBe(false); // another output folder
    expect(memory.isUpToDate({ ...record, outputs: [output, other] })).toBe(false); // more formats
    writeFileSync(output, 'Hello!!'); // edited since
    expect(memory.isUpToDate(record)).toBe(false);
    memory.markDone(record);
    memory.forget([output]);
    expect(memory.isUpToDate(record)).toBe(false); // forgotten (it had failed sentences)
    memory.markDone(record);
    rmSync(output);
    expect(memory.isUpToDate(record)).toBe(false); // an output was deleted
    memory.close();
  });

  it('upgrades a version 1 cache, keeping its translations', () => {
    const file = path.join(dir, 'v1.db');
    const db = new Database(file);
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE translations (context TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (context, source)) WITHOUT ROWID;
      CREATE TABLE outputs (rel_path TEXT NOT NULL, context TEXT NOT NULL, formats TEXT NOT NULL, source_sha256 TEXT NOT NULL, outputs TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (rel_path, context, formats)) WITHOUT ROWID;
      INSERT INTO meta VALUES ('schema_version', '1');
    `);
    db.prepare('INSERT INTO translations VALUES (?, ?, ?, 0)').run(CONTEXT, 'Bonjour.', 'Hello.');
    db.close();
    const memory = TranslationMemory.open(file);
    expect([...memory.getMany(CONTEXT, ['Bonjour.'])]).toEqual([['Bonjour.', { target: 'Hello.' }]]);
    memory.close();
  });

  it('reports a file that is not a database with a typed error', () => {
    const file = path.join(dir, 'garbage.db');
    writeFileSync(file, 'this is not SQLite '.repeat(100));
    try {
      TranslationMemory.open(file);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TranslationMemoryError);
      expect(error).toMatchObject({ reason: 'corrupt', file });
      expect((error as Error).message).toMatch(/--no-cache/);
    }
  });

  it('refuses a cache written by a newer schema', () => {
    const file = path.join(dir, 'newer.db');
    TranslationMemory.open(file).close();
    const db = new Database(file);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    db.close();
    expect(() => TranslationMemory.open(file)).toThrow(expect.objectContaining({ reason: 'incompatible' }));
  });

  it('survives two processes writing at once', async () => {
    const file = path.join(dir, 'shared', 'cache.db');
    const script = path.join(dir, 'writer.mts');
    writeFileSync(
      script,
      `import { TranslationMemory } from ${JSON.stringify(path.join(ROOT, 'src/cache/translation-memory.ts'))};
const [file, context, who, startAt] = process.argv.slice(2);
// Both processes wait for the same instant (tsx start-up times differ), then write together.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const memory = TranslationMemory.open(file);
for (let batch = 0; batch < 300; batch++) {
  const entries = [];
  for (let i = 0; i < 20; i++) entries.push([\`\${who} phrase \${batch}-\${i}\`, { target: \`\${who} sentence \${batch}-\${i}\` }]);
  entries.push([\`commune \${batch}\`, { target: \`shared \${batch}\` }]); // both write the same keys too
  memory.putMany(context, entries);
  const back = memory.getMany(context, entries.map(([s]) => s));
  if (back.size !== entries.length) throw new Error('read-back missed entries');
}
memory.close();
console.log('ok');
`,
    );
    const startAt = String(Date.now() + 3000);
    const writers = ['A', 'B'].map((who) =>
      run(process.execPath, ['--import', 'tsx', script, file, CONTEXT, who, startAt], { cwd: ROOT }),
    );
    const results = await Promise.all(writers);
    expect(results.map((r) => r.stdout.trim())).toEqual(['ok', 'ok']);

    const memory = TranslationMemory.open(file);
    expect(memory.count(CONTEXT)).toBe(2 * 300 * 20 + 300);
    expect(memory.getMany(CONTEXT, ['A phrase 99-19', 'B phrase 0-0', 'commune 50']).size).toBe(3);
    memory.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
