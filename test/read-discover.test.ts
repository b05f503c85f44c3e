import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { discoverInputs, parseExtensions, parseShard, shardOf, splitGlob } from '../src/read/discover.js';

const root = mkdtempSync(path.join(tmpdir(), 'fr2en-discover-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function touch(rel: string, content = 'Bonjour.\n'): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

beforeAll(() => {
  touch('docs/b.txt');
  touch('docs/a.txt');
  touch('docs/notes.md');
  touch('docs/UPPER.TXT');
  touch('docs/sub/c.txt');
  touch('docs/sub/deeper/d.txt');
  touch('docs/.hidden/e.txt');
  touch('docs/.fr2en/cache.txt');
  touch('docs/image.png');
  touch('other/a.txt', 'Autre.\n');
  touch('outside/secret.txt');
  touch('single.txt');
  // Links inside docs/: one to a file inside, one to a folder inside, one out, one dangling, one cycle.
  symlinkSync(path.join(root, 'docs/a.txt'), path.join(root, 'docs/sub/alias.txt'));
  symlinkSync(path.join(root, 'docs/sub/deeper'), path.join(root, 'docs/linked-deeper'));
  symlinkSync(path.join(root, 'outside'), path.join(root, 'docs/escape'));
  symlinkSync(path.join(root, 'outside/secret.txt'), path.join(root, 'docs/secret.txt'));
  symlinkSync(path.join(root, 'nowhere.txt'), path.join(root, 'docs/dangling.txt'));
  symlinkSync(path.join(root, 'docs'), path.join(root, 'docs/sub/loop'));
});

const discover = (args: string[], options: Partial<Parameters<typeof discoverInputs>[1]> = {}) =>
  discoverInputs(args, { cwd: root, ...options });

describe('folders', () => {
  it('walks recursively in sorted order, with paths relative to the folder, skipping dot entries', async () => {
    const { inputs, problems } = await discover(['docs']);
    expect(inputs.map((input) => input.relPath)).toEqual([
      'UPPER.TXT',
      'a.txt',
      'b.txt',
      'linked-deeper/d.txt',
      'sub/c.txt',
    ]);
    expect(inputs[1]).toMatchObject({ kind: 'file', path: path.join(root, 'docs/a.txt'), name: 'docs/a.txt' });
    // sub/alias.txt is the same real file as a.txt; sub/deeper was already walked through the link.
    const reasons = Object.fromEntries(problems.map((p) => [p.file, p.reason]));
    expect(reasons).toEqual({
      'docs/dangling.txt': 'broken-symlink',
      'docs/escape': 'symlink-escape',
      'docs/secret.txt': 'symlink-escape',
      'docs/sub/loop': 'symlink-loop',
    });
    for (const problem of problems) expect(problem.message.startsWith(`${problem.file}: `)).toBe(true);
  });

  it('filters by --ext, case-insensitively', async () => {
    const { inputs } = await discover(['docs'], { extensions: parseExtensions('md, .TXT') });
    expect(inputs.map((input) => input.relPath)).toContain('notes.md');
    expect(inputs.map((input) => input.relPath)).toContain('UPPER.TXT');
  });

  it('does not walk an excluded folder (the output folder inside an input folder)', async () => {
    const { inputs } = await discover(['docs'], { exclude: ['docs/sub'] });
    expect(inputs.map((input) => input.relPath)).not.toContain('sub/c.txt');
  });

  it('reports a folder without matching files', async () => {
    const { inputs, problems } = await discover(['docs'], { extensions: ['rst'] });
    expect(inputs).toEqual([]);
    expect(problems.map((p) => p.reason)).toContain('no-match');
  });
});

describe('files, globs, stdin', () => {
  it('uses the base name of a file and keeps command-line order', async () => {
    const { inputs } = await discover(['single.txt', 'docs/notes.md', '-']);
    expect(inputs.map((input) => [input.kind, input.relPath])).toEqual([
      ['file', 'single.txt'],
      ['file', 'notes.md'],
      ['stdin', 'stdin.txt'],
    ]);
  });

  it('expands a glob relative to its static base', async () => {
    expect(splitGlob('docs/**/*.txt')).toEqual({ base: 'docs', rest: '**/*.txt' });
    expect(splitGlob('*.txt')).toEqual({ base: '', rest: '*.txt' });
    const { inputs, problems } = await discover(['docs/**/*.txt']);
    expect(inputs.map((input) => input.relPath)).toEqual(['a.txt', 'b.txt', 'sub/c.txt', 'sub/deeper/d.txt']);
    expect(inputs[2].name).toBe('docs/sub/c.txt');
    // Globs never match symbolic links (docs/secret.txt, docs/dangling.txt, docs/sub/alias.txt).
    expect(problems).toEqual([]);
  });

  it('reports a glob that matches nothing, and a missing file', async () => {
    const { inputs, problems } = await discover(['docs/*.rst', 'missing.txt']);
    expect(inputs).toEqual([]);
    expect(problems.map((p) => [p.reason, p.file])).toEqual([
      ['no-match', 'docs/*.rst'],
      ['not-found', 'missing.txt'],
    ]);
  });

  it('de-duplicates a file reached twice, and reports two files with one output path', async () => {
    const { inputs, problems } = await discover(['docs', 'docs/a.txt', './docs/b.txt', 'other/a.txt', '-', '-']);
    expect(inputs.filter((input) => input.relPath === 'a.txt')).toHaveLength(1);
    expect(inputs.filter((input) => input.kind === 'stdin')).toHaveLength(1);
    expect(problems.find((p) => p.reason === 'duplicate-output')).toMatchObject({ file: 'other/a.txt' });
  });

  it('is deterministic', async () => {
    const first = await discover(['docs', 'single.txt']);
    const second = await discover(['docs', 'single.txt']);
    expect(second.inputs).toEqual(first.inputs);
  });

  it('throws a usage error without inputs', async () => {
    await expect(discover([])).rejects.toThrow(UsageError);
  });
});

describe('--ext', () => {
  it('rejects an empty list or path characters', () => {
    expect(() => parseExtensions(' , ')).toThrow(UsageError);
    expect(() => parseExtensions('txt,*.md')).toThrow(/--ext/);
    expect(parseExtensions('TXT,.md,txt')).toEqual(['txt', 'md']);
  });
});

describe('--shard', () => {
  it('parses K/N with K 1-based', () => {
    expect(parseShard('1/3')).toEqual({ index: 1, count: 3 });
    expect(parseShard(' 3 / 3 ')).toEqual({ index: 3, count: 3 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
  });

  for (const bad of ['0/3', '4/3', '1/0', '0/0', 'a/b', '1.5/3', '2', '-1/3', '1/3/4', '', '99999999999999999999/1']) {
    it(`rejects ${JSON.stringify(bad)} with a usage error`, () => {
      expect(() => parseShard(bad)).toThrow(UsageError);
      expect(() => parseShard(bad)).toThrow(/--shard.*1 <= K <= N/);
    });
  }

  it('puts every input in exactly one shard, stably', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `corpus/dir${i % 4}/f${i}.txt`);
    for (const name of names) touch(name);
    const all = (await discover(['corpus'])).inputs.map((input) => input.relPath);
    expect(all).toHaveLength(60);
    for (const count of [1, 2, 3, 7]) {
      const seen: string[] = [];
      for (let index = 1; index <= count; index++) {
        const { inputs, otherShards } = await discover(['corpus'], { shard: { index, count } });
        expect(inputs.length + otherShards).toBe(60);
        seen.push(...inputs.map((input) => input.relPath));
      }
      expect(seen.sort()).toEqual([...all].sort());
    }
    // Stable: fixed values, so a change of hash would be caught (every machine must agree).
    expect(shardOf('a.txt', 3)).toBe(shardOf('a.txt', 3));
    expect([shardOf('dir0/f0.txt', 4), shardOf('a.txt', 2), shardOf('sub/c.txt', 5)]).toEqual(FIXED_SHARDS);
  });

  it('refuses --shard with stdin', async () => {
    await expect(discover(['-'], { shard: { index: 1, count: 2 } })).rejects.toThrow(UsageError);
  });
});

// Computed independently: Number(sha256(p).readBigUInt64BE(0) % BigInt(n)) + 1.
const FIXED_SHARDS = [4, 2, 1];
