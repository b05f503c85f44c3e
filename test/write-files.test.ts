import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openOutput, outputPath, renderDocument, toolVersion, writeDocument } from '../src/write/index.js';
import { sampleDocument } from './helpers/aligned-fixtures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fr2en-write-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('outputPath', () => {
  it('keeps the relative folder, drops the last extension and adds the format extension', () => {
    expect(outputPath('articles/le-monde.txt', 'html', 'out')).toBe(path.join('out', 'articles', 'le-monde.fr-en.html'));
    expect(outputPath('a.txt', 'txt', 'out')).toBe(path.join('out', 'a.en.txt'));
    expect(outputPath('a.b.md', 'sbs', 'out')).toBe(path.join('out', 'a.b.fr-en.sbs.txt'));
    expect(outputPath('README', 'xliff', 'out')).toBe(path.join('out', 'README.fr-en.xlf'));
    expect(outputPath('.notes', 'tmx', 'out')).toBe(path.join('out', '.notes.fr-en.tmx'));
    expect(outputPath('-', 'jsonl', 'out')).toBe(path.join('out', 'stdin.fr-en.jsonl'));
    expect(outputPath('./x/../y.txt', 'tsv', 'out')).toBe(path.join('out', 'y.fr-en.tsv'));
    expect(outputPath('y.txt', 'md', 'out')).toBe(path.join('out', 'y.fr-en.md'));
  });

  it('refuses paths that would leave the output folder', () => {
    expect(() => outputPath('../secret.txt', 'txt', 'out')).toThrow(RangeError);
    expect(() => outputPath('/etc/passwd', 'txt', 'out')).toThrow(/relative path/);
  });
});

describe('openOutput', () => {
  it('writes to a temporary file and renames on commit; the target appears complete', async () => {
    const file = path.join(dir, 'sub', 'deeper', 'x.txt');
    const output = await openOutput(file);
    void output.write('one ');
    await output.write('two');
    expect(readdirSync(path.dirname(file))).toEqual([expect.stringMatching(new RegExp(`^\\.x\\.txt\\.${process.pid}-[0-9a-f]{12}\\.tmp$`))]);
    await output.commit();
    expect(readdirSync(path.dirname(file))).toEqual(['x.txt']);
    expect(readFileSync(file, 'utf8')).toBe('one two');
    expect(() => output.write('late')).toThrow(/already committed/);
  });

  it('leaves an existing file untouched and no temporary file on abort', async () => {
    const file = path.join(dir, 'x.txt');
    writeFileSync(file, 'old');
    const output = await openOutput(file);
    await output.write('partial');
    await output.abort();
    await output.abort(); // idempotent
    expect(readdirSync(dir)).toEqual(['x.txt']);
    expect(readFileSync(file, 'utf8')).toBe('old');
  });
});

describe('writeDocument', () => {
  it('writes the same bytes as renderDocument, with the version from package.json', async () => {
    const doc = sampleDocument();
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
    expect(toolVersion()).toBe(version);
    const file = outputPath('articles/le-monde.txt', 'tmx', dir);
    await writeDocument(doc, 'tmx', file);
    expect(readFileSync(file, 'utf8')).toBe(renderDocument(doc, 'tmx', { toolVersion: version }));
    expect(readFileSync(file, 'utf8')).toContain(`creationtoolversion="${version}"`);
  });

  it('creates no file when rendering fails', async () => {
    const file = path.join(dir, 'bad.fr-en.sbs.txt');
    await expect(writeDocument(sampleDocument(), 'sbs', file, { width: 3 })).rejects.toThrow(/`width`/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
