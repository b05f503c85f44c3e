/**
 * Every output written, whole and current (issue 16): records keyed by output folder and
 * settings, outputs never read back as inputs, failed sentences retried, write errors and cache
 * failures reported once and clearly, damaged models and timeouts never aborting the process,
 * leftovers cleaned, paragraphs never cut by the reader. Real files, real workers, real signals,
 * and real full or read-only file systems where the machine lets a test mount them.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { translateFiles } from '../src/batch/translate-files.js';
import { resolveRunConfig } from '../src/config.js';
import { discoverInputs } from '../src/read/discover.js';
import { echoTranslator } from './helpers/scheduling.js';
import { TINY_MODEL_DIR } from './helpers/models.js';
import { runCli } from './helpers/cli.js';
import { canMount, mountTmpfs } from './helpers/tmpfs.js';

const MAIN = path.resolve('src/cli/main.ts');
const tempDir = (prefix: string) => mkdtempSync(path.join(tmpdir(), `fr2en-${prefix}-`));
const tiny = ['--model', TINY_MODEL_DIR, '--workers', '1'];

function corpus(files = 4, paragraphs = 3): string {
  const dir = tempDir('out-in');
  for (let f = 0; f < files; f++) {
    const text = Array.from({ length: paragraphs }, (_, p) => `Le dossier ${f} traite de la question ${p}. Les élus ont voté le texte.`);
    writeFileSync(path.join(dir, `article-${f}.txt`), text.join('\n\n'));
  }
  return dir;
}

/** Visible files of a folder, recursively, with their bytes. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, full);
    if (!rel.split(path.sep).some((part) => part.startsWith('.'))) files.set(rel, readFileSync(full, 'utf8'));
  }
  return files;
}

function summary(stderr: string): { done: number; upToDate: number; translated: number } {
  const files = /files: (\d+) done, (\d+) up to date/.exec(stderr);
  const sentences = /sentences: (\d+) translated/.exec(stderr);
  if (!files || !sentences) throw new Error(`no summary in: ${stderr}`);
  return { done: Number(files[1]), upToDate: Number(files[2]), translated: Number(sentences[1]) };
}

describe('the record of finished files', () => {
  it('writes a second output folder that shares the cache, and then keeps both up to date', async () => {
    const input = corpus();
    const work = tempDir('shared-cache');
    const cache = path.join(work, 'c.db');
    const a = await runCli(['translate', input, '-o', path.join(work, 'A'), '--cache', cache, ...tiny]);
    expect(a.code, a.stderr).toBe(0);
    const b = await runCli(['translate', input, '-o', path.join(work, 'B'), '--cache', cache, ...tiny]);
    expect(b.code, b.stderr).toBe(0);
    expect(summary(b.stderr)).toMatchObject({ done: 4, translated: 0 }); // from the memory, but written
    expect(snapshot(path.join(work, 'B'))).toEqual(snapshot(path.join(work, 'A')));
    const again = await runCli(['translate', input, '-o', path.join(work, 'B'), '--cache', cache, ...tiny]);
    expect(summary(again.stderr)).toMatchObject({ done: 0, upToDate: 4 });
  });

  it('never takes its own outputs as inputs when the input folder is the output folder', async () => {
    const io = corpus(3);
    const counts: number[] = [];
    for (let run = 0; run < 3; run++) {
      const { code, stderr } = await runCli(['translate', io, '-o', io, '--format', 'txt,jsonl,sbs,md', ...tiny]);
      expect(code, stderr).toBe(0);
      if (run > 0) expect(summary(stderr)).toMatchObject({ done: 0, upToDate: 3 });
      counts.push(snapshot(io).size);
    }
    expect(counts).toEqual([15, 15, 15]); // 3 sources + 3 x 4 outputs, every time
  });

  it('redoes exactly the files whose write settings changed (--width), and nothing else', async () => {
    const input = corpus(2);
    const out = tempDir('width');
    const first = await runCli(['translate', input, '-o', out, '--format', 'sbs', '--width', '40', ...tiny]);
    expect(first.code, first.stderr).toBe(0);
    const narrow = readFileSync(path.join(out, 'article-0.fr-en.sbs.txt'), 'utf8');
    const wide = await runCli(['translate', input, '-o', out, '--format', 'sbs', '--width', '120', ...tiny]);
    expect(summary(wide.stderr)).toMatchObject({ done: 2, translated: 0 });
    const rewritten = readFileSync(path.join(out, 'article-0.fr-en.sbs.txt'), 'utf8');
    expect(Math.max(...rewritten.split('\n').map((l) => l.length))).toBeGreaterThan(Math.max(...narrow.split('\n').map((l) => l.length)));
    const same = await runCli(['translate', input, '-o', out, '--format', 'sbs', '--width', '120', ...tiny]);
    expect(summary(same.stderr)).toMatchObject({ done: 0, upToDate: 2 });
  });

  it('exits 1 when sentences fail, never calls such a file up to date, and retries exactly those sentences', async () => {
    const input = corpus(2);
    const out = tempDir('failed');
    // A 1 ms limit: every batch is stopped (its worker process killed) and its sentences fail.
    const failing = await runCli(['translate', input, '-o', out, '--timeout', '0.001', '--format', 'txt,jsonl', ...tiny]);
    expect(failing.code, failing.stderr).toBe(1);
    const failed = Number(/(\d+) sentences? could not be translated/.exec(failing.stderr)?.[1]);
    expect(failed).toBe(2 * 3 * 2); // every sentence of both files
    const records = readFileSync(path.join(out, 'article-0.fr-en.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(records.every((r) => r.flags.includes('failed') && r.target === r.source)).toBe(true);

    const rerun = await runCli(['translate', input, '-o', out, '--format', 'txt,jsonl', ...tiny]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(summary(rerun.stderr)).toMatchObject({ done: 2 });
    const distinct = new Set(records.map((r) => r.source)).size;
    expect(summary(rerun.stderr).translated).toBeGreaterThanOrEqual(distinct);
    const third = await runCli(['translate', input, '-o', out, '--format', 'txt,jsonl', ...tiny]);
    expect(summary(third.stderr)).toMatchObject({ done: 0, upToDate: 2 });
  });
});

describe('files in flight at once', () => {
  it('writes the same outputs with --parallel-files 3 as one file at a time (fp32)', async () => {
    const input = corpus(6, 4);
    const one = tempDir('par-1');
    const three = tempDir('par-3');
    const args = (out: string, n: string) => ['translate', input, '-o', out, '--no-cache', '--dtype', 'fp32', '--workers', '2', '--format', 'txt,jsonl', '--parallel-files', n, '--model', TINY_MODEL_DIR];
    const a = await runCli(args(one, '1'));
    const b = await runCli(args(three, '3'));
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(snapshot(three)).toEqual(snapshot(one));
    expect(snapshot(one).size).toBe(12);
  });
});

describe('write errors', () => {
  it.skipIf(!canMount)('names each file the disk could not hold, goes on, and tells the truth in the summary', async () => {
    const disk = mountTmpfs({ sizeKiB: 48 })!;
    try {
      const input = corpus(12, 8);
      const { code, stderr } = await runCli(['translate', input, '-o', disk.dir, '--no-cache', '--format', 'txt,jsonl', ...tiny]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/\.(en\.txt|fr-en\.jsonl): no space left on device/);
      expect(stderr).not.toMatch(/\n\s+at /);
      const written = readdirSync(disk.dir).filter((name) => name.endsWith('.en.txt'));
      const counts = /files: (\d+) done, \d+ up to date, (\d+) failed/.exec(stderr)!;
      expect(Number(counts[1]) + Number(counts[2])).toBe(12);
      expect(Number(counts[1])).toBe(written.length);
      expect(readdirSync(disk.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    } finally {
      disk.unmount();
    }
  });

  it.skipIf(!canMount)('stops once, clearly, when the output folder is read-only', async () => {
    const disk = mountTmpfs({ sizeKiB: 64, readOnly: true })!;
    try {
      const input = corpus(3);
      const withCache = await runCli(['translate', input, '-o', disk.dir, ...tiny]);
      expect(withCache.code).toBe(1);
      expect(withCache.stderr).toMatch(/cannot create the folder .*read-only file system.*--cache/);
      const noCache = await runCli(['translate', input, '-o', disk.dir, '--no-cache', ...tiny]);
      expect(noCache.code).toBe(1);
      expect(noCache.stderr).toMatch(/stopped: .*: read-only file system \(3 files not attempted\)/);
    } finally {
      disk.unmount();
    }
  });

  it.skipIf(process.getuid?.() === 0)('names a folder it may not write to (as a user without rights)', async () => {
    const input = corpus(1);
    const out = tempDir('eacces');
    mkdirSync(path.join(out, 'locked'), { mode: 0o555 });
    const { code, stderr } = await runCli(['translate', input, '-o', path.join(out, 'locked'), '--no-cache', ...tiny]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/permission denied/);
  });
});

describe('the translation memory failing mid-run', () => {
  it.skipIf(!canMount)('stops once when the disk under the cache is full, or goes on without it when asked', async () => {
    const disk = mountTmpfs({ sizeKiB: 100 })!;
    try {
      const input = corpus(10, 30);
      const out = tempDir('tm-full');
      const stop = await runCli(['translate', input, '-o', out, '--cache', path.join(disk.dir, 'c.db'), '--format', 'txt', ...tiny]);
      expect(stop.code).toBe(1);
      const stops = stop.stderr.split('\n').filter((line) => line.includes('no space left on device'));
      expect(stops).toHaveLength(1); // once, not file by file
      expect(stops[0]).toMatch(/^fr2en: stopped: .*c\.db: no space left on device .*--cache-errors continue/);

      const go = await runCli(['translate', input, '-o', out, '--cache', path.join(disk.dir, 'c.db'), '--cache-errors', 'continue', '--format', 'txt', ...tiny]);
      expect(go.code, go.stderr).toBe(0);
      expect(go.stderr.split('\n').filter((line) => line.includes('going on without the translation memory'))).toHaveLength(1);
      expect(readdirSync(out).filter((name) => name.endsWith('.en.txt'))).toHaveLength(10);
    } finally {
      disk.unmount();
    }
  });

  it('waits for a locked cache, then stops the run once, clearly', async () => {
    const input = corpus(2);
    const out = tempDir('tm-locked');
    const cache = path.join(out, 'c.db');
    await runCli(['translate', input, '-o', out, '--cache', cache, '--format', 'txt', ...tiny]);
    writeFileSync(path.join(input, 'article-new.txt'), 'Un nouveau texte à traduire.\n');
    // Another process holds the write lock for longer than fr2en's busy timeout (10 s).
    const holder = new Database(cache);
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const { code, stderr } = await runCli(['translate', input, '-o', out, '--cache', cache, '--format', 'txt', ...tiny]);
      expect(code).toBe(1);
      expect(stderr.split('\n').filter((line) => /locked by another process/.test(line))).toHaveLength(1);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  }, 60_000);
});

describe('models and workers that fail', () => {
  it('reports a truncated ONNX file cleanly on every run, whatever the number of workers', async () => {
    const model = path.join(tempDir('damaged'), 'model');
    cpSync(TINY_MODEL_DIR, model, { recursive: true });
    const file = path.join(model, 'onnx', 'encoder_model_quantized.onnx');
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const input = corpus(3);
    for (const workers of ['1', '2', '2']) {
      const { code, stderr } = await runCli(['translate', input, '-o', tempDir('damaged-out'), '--model', model, '--workers', workers, '--quiet']);
      expect(code).toBe(1);
      expect(stderr).toMatch(/encoder_model_quantized\.onnx is damaged .*truncated/);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('survives batches stuck past --timeout in q8 (worker processes are killed, never the run)', async () => {
    const child = await promisify(execFile)(process.execPath, ['--import', 'tsx', MAIN, 'translate', corpus(1), '-o', tempDir('q8-timeout'), '--timeout', '0.001', ...tiny]).catch((error: { code: number; stderr: string }) => error);
    expect((child as { code: number }).code).toBe(1); // sentences failed: 1, never 134
  });
});

describe('leftovers', () => {
  it('removes temporary files a killed run left behind, and only those', async () => {
    const input = corpus(6, 20);
    const out = tempDir('leftovers');
    const run = spawn(process.execPath, ['--import', 'tsx', MAIN, 'translate', input, '-o', out, '--format', 'txt,jsonl,html,tmx', ...tiny], { stdio: 'ignore' });
    // kill -9 as soon as a temporary file exists: it is left behind.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (existsSync(out) && readdirSync(out).some((name) => name.endsWith('.tmp'))) {
          clearInterval(timer);
          run.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    await new Promise((resolve) => run.on('exit', resolve));
    const alive = `.article-9.en.txt.${process.pid}-0123456789ab.tmp`; // a live writer's file
    writeFileSync(path.join(out, alive), '');
    expect(readdirSync(out).filter((name) => name.endsWith('.tmp')).length).toBeGreaterThan(1);
    const rerun = await runCli(['translate', input, '-o', out, '--format', 'txt,jsonl,html,tmx', ...tiny]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(readdirSync(out).filter((name) => name.endsWith('.tmp'))).toEqual([alive]);
  });
});

describe('paragraphs longer than the reader block', () => {
  async function jsonlParagraphs(file: string, out: string): Promise<string[]> {
    const config = resolveRunConfig({ inputs: [file], outDir: out, formats: ['jsonl'], model: 'echo', workers: 1, cache: false });
    const { inputs } = await discoverInputs([file], { cwd: process.cwd() });
    await translateFiles({ config, inputs, translator: echoTranslator, toolVersion: 'test' });
    return paragraphsOfJsonl(path.join(out, `${path.basename(file, '.txt')}.fr-en.jsonl`));
  }

  it('keeps 1 MB without a blank line exactly as `segment` does', async () => {
    const dir = tempDir('long-para');
    const file = path.join(dir, 'long.txt');
    const line = 'le texte continue sans point ni ligne vide, au fil des mots et des chiffres 12 345';
    writeFileSync(file, `Avant.\n\n${Array.from({ length: 1_000_000 / line.length }, () => line).join('\n')}\n\nAprès.\n`);
    const segmented = await runCli(['segment', file]);
    const expected = segmented.stdout.trim().split('\n').map((l) => JSON.parse(l).text as string);
    expect(expected.some((text) => text.length > 900_000)).toBe(true);
    expect(await jsonlParagraphs(file, path.join(dir, 'out'))).toEqual(expected);
  });

  it('keeps a quotation open across the edge of a reader block, as `segment` does', async () => {
    const dir = tempDir('quote-edge');
    const file = path.join(dir, 'quote.txt');
    // Filler paragraphs up to just under the 64 KiB block, then a quotation opened in the last
    // paragraph of the block and closed in the first paragraph of the next one.
    const opening = 'Il a déclaré devant la presse : « Nous partons demain matin.';
    const filler = 'Un paragraphe de remplissage qui parle du conseil municipal et de son budget annuel.';
    const paragraphs: string[] = [];
    const end = 65_536 - 40; // where the opening paragraph ends: inside the first block
    while (paragraphs.join('\n\n').length + 2 * filler.length + opening.length + 6 < end) paragraphs.push(filler);
    const room = end - paragraphs.join('\n\n').length - opening.length - 4;
    paragraphs.push(`${'Texte '.repeat(Math.floor(room / 6))}fin.`.slice(-room), opening);
    paragraphs.push('Nous reviendrons bientôt. » Ensuite il est parti sans un mot.', 'Fin.');
    writeFileSync(file, `${paragraphs.join('\n\n')}\n`);
    const segmented = (await runCli(['segment', file])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { text: string; sentences: { text: string }[] });
    const closing = segmented.find((p) => p.text.startsWith('Nous reviendrons'))!;
    expect(closing.sentences.map((s) => s.text)).toEqual(['Nous reviendrons bientôt. »', 'Ensuite il est parti sans un mot.']);
    const out = path.join(dir, 'out');
    await jsonlParagraphs(file, out);
    const sources = readFileSync(path.join(out, 'quote.fr-en.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).source as string);
    expect(sources).toEqual(segmented.flatMap((p) => p.sentences.map((s) => s.text)));
  });

  it('translates a 70,000-character paragraph into one paragraph, as `segment` shows it (real model)', async () => {
    const dir = tempDir('long-para-cli');
    const file = path.join(dir, 'long.txt');
    const words = ['maison', 'rivière', 'conseil', 'budget', 'ville', 'école', 'habitants', 'travaux'];
    writeFileSync(file, `${Array.from({ length: 10_000 }, (_, i) => words[i % words.length]).join(' ')}.\n\nFin.\n`);
    const { code, stderr } = await runCli(['translate', file, '-o', path.join(dir, 'out'), '--format', 'jsonl', ...tiny]);
    expect(code, stderr).toBe(0);
    const segmented = (await runCli(['segment', file])).stdout.trim().split('\n').map((l) => JSON.parse(l).text as string);
    expect(paragraphsOfJsonl(path.join(dir, 'out', 'long.fr-en.jsonl'))).toEqual(segmented);
  });
});

/** Paragraph texts rebuilt from a JSONL output: each pair's source at its offset in its paragraph. */
function paragraphsOfJsonl(file: string): string[] {
  const byParagraph = new Map<number, string>();
  for (const line of readFileSync(file, 'utf8').trim().split('\n')) {
    const record = JSON.parse(line) as { paragraph: number; source: string; paragraphRange: [number, number] };
    const text = byParagraph.get(record.paragraph) ?? '';
    byParagraph.set(record.paragraph, text.padEnd(record.paragraphRange[0], ' ') + record.source);
  }
  return [...byParagraph.keys()].sort((a, b) => a - b).map((p) => byParagraph.get(p)!);
}
