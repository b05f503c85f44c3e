/** `fr2en translate` end to end: real files, real workers, the tiny generated model. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { segmentDocument } from '../src/segment/index.js';
import { TINY_MODEL_DIR } from './helpers/models.js';
import { runCli } from './helpers/cli.js';

const SAMPLES = path.resolve('samples');
const model = ['--model', TINY_MODEL_DIR, '--workers', '1', '--threads', '1'];

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'fr2en-cli-'));
}

describe('fr2en translate', () => {
  it('--help lists every option', async () => {
    const { code, stdout } = await runCli(['translate', '--help']);
    expect(code).toBe(0);
    const options = [
      '--out-dir', '--format', '--model', '--models-dir', '--dtype', '--workers', '--threads', '--batch-size', '--beams',
      '--ext', '--encoding', '--shard', '--force', '--cache', '--skip-non-french', '--width', '--quiet', '--timeout',
      '--offline', '--hub-url', '--help', '--qa', '--min-confidence', '--cache-errors', '--ngram-guard', '--redis', '--parallel-files',
    ];
    for (const option of options) expect(stdout).toContain(option);
  });

  it('translates samples/ and writes aligned outputs for every file', async () => {
    const out = tempDir();
    const { code, stderr } = await runCli(['translate', SAMPLES, '-o', out, '--format', 'txt,jsonl,tmx', ...model]);
    expect(code, stderr).toBe(0);
    const samples = readdirSync(SAMPLES).filter((name) => name.endsWith('.txt'));
    expect(samples.length).toBeGreaterThanOrEqual(4);
    for (const name of samples) {
      const base = name.replace(/\.txt$/, '');
      const source = readFileSync(path.join(SAMPLES, name), 'utf8');
      const paragraphs = segmentDocument(source, name).paragraphs;
      const english = readFileSync(path.join(out, `${base}.en.txt`), 'utf8');
      expect(english.trim().split(/\n\n/)).toHaveLength(paragraphs.length);
      const records = readFileSync(path.join(out, `${base}.fr-en.jsonl`), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      expect(records.map((r) => r.source)).toEqual(paragraphs.flatMap((p) => p.sentences.map((s) => s.text)));
      expect(records.every((r) => typeof r.target === 'string' && r.target.length > 0)).toBe(true);
      const tmx = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(path.join(out, `${base}.fr-en.tmx`), 'utf8'));
      const units = [tmx.tmx.body.tu].flat();
      expect(units).toHaveLength(records.length);
    }
    expect(readFileSync(path.join(out, 'blinken-lavrov.en.txt'), 'utf8').startsWith('date 2023-03 ')).toBe(true);
    expect(stderr).toMatch(/files: 4 done, 0 up to date, 0 failed/);

    // A rerun finds every output up to date and does not load the model.
    const again = await runCli(['translate', SAMPLES, '-o', out, '--format', 'txt,jsonl,tmx', ...model]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/files: 0 done, 4 up to date/);
  });

  it('keeps going past bad input, names each bad file and exits 1', async () => {
    const dir = tempDir();
    const out = tempDir();
    writeFileSync(path.join(dir, 'bon.txt'), 'Le conseil municipal a voté le budget. Il entre en vigueur demain.\n');
    writeFileSync(path.join(dir, 'latin1.txt'), Buffer.from('Le café est très apprécié à Paris.\r\n', 'latin1'));
    writeFileSync(path.join(dir, 'image.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    writeFileSync(path.join(dir, 'vide.txt'), '');
    const { code, stderr } = await runCli(['translate', dir, '-o', out, '--format', 'txt', ...model]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/image\.txt: .*binary/i);
    expect(readFileSync(path.join(out, 'bon.en.txt'), 'utf8').trim().length).toBeGreaterThan(0);
    expect(readFileSync(path.join(out, 'vide.en.txt'), 'utf8')).toBe('');
    expect(existsSync(path.join(out, 'image.en.txt'))).toBe(false);
    const records = (await runCli(['segment', path.join(dir, 'latin1.txt')])).stdout;
    expect(JSON.parse(records).text).toBe('Le café est très apprécié à Paris.');
  });

  it('reads stdin and writes one format to stdout', async () => {
    const { code, stdout } = await runCli(['translate', '-', '--format', 'jsonl', ...model], { stdin: 'Bonjour à tous. M. Dupont arrive.' });
    expect(code).toBe(0);
    const records = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(records.map((r) => r.source)).toEqual(['Bonjour à tous.', 'M. Dupont arrive.']);
  });

  it('rejects bad usage with exit code 2 and a message naming the problem', async () => {
    const unknownFormat = await runCli(['translate', SAMPLES, '-o', tempDir(), '--format', 'pdf', ...model]);
    expect(unknownFormat.code).toBe(2);
    expect(unknownFormat.stderr).toMatch(/Unknown --format pdf/);
    const badShard = await runCli(['translate', SAMPLES, '-o', tempDir(), '--shard', '4/3', ...model]);
    expect(badShard.code).toBe(2);
    expect(badShard.stderr).toMatch(/--shard/);
    const noOut = await runCli(['translate', SAMPLES, ...model]);
    expect(noOut.code).toBe(2);
  });

  it('splits a corpus into shards that together cover every file once', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'a'));
    for (let i = 0; i < 6; i++) writeFileSync(path.join(dir, i % 2 ? 'a' : '', `f${i}.txt`), `Phrase numéro ${i}.\n`);
    const out = tempDir();
    for (const shard of ['1/2', '2/2']) {
      const { code } = await runCli(['translate', dir, '-o', out, '--format', 'txt', '--shard', shard, '--no-cache', ...model]);
      expect(code).toBe(0);
    }
    const written = [...readdirSync(out), ...readdirSync(path.join(out, 'a'))].filter((n) => n.endsWith('.en.txt')).sort();
    expect(written).toEqual(['f0.en.txt', 'f1.en.txt', 'f2.en.txt', 'f3.en.txt', 'f4.en.txt', 'f5.en.txt']);
  });
});
