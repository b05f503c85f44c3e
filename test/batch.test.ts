/** Batch robustness: huge inputs, stuck model calls, non-French text, paths out of -o. */
import { execFile } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Translator } from '../src/translator.js';
import { TINY_MODEL_DIR } from './helpers/models.js';
import { runCli } from './helpers/cli.js';

const run = promisify(execFile);
const tempDir = (prefix: string) => mkdtempSync(path.join(tmpdir(), `fr2en-${prefix}-`));
const model = ['--model', TINY_MODEL_DIR, '--workers', '1', '--threads', '1'];

async function writeBigFile(file: string, bytes: number): Promise<void> {
  const paragraph =
    "Le conseil municipal a adopté mardi soir, après quatre heures de débats, un budget de 40 000 000 € pour l'année 2024. " +
    '« Nous avons fait des choix difficiles », a déclaré Mme Dubois. M. Martin a voté contre.\n\n';
  const out = createWriteStream(file);
  for (let written = 0; written < bytes; written += Buffer.byteLength(paragraph)) {
    if (!out.write(paragraph)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

describe('batch robustness', () => {
  // The model is replaced by an instant echo so that 50 MB go through reader, segmenter,
  // scheduler and writers in seconds; the child process reports its own peak RSS.
  it('streams a 50 MB file paragraph by paragraph with flat memory (peak RSS < baseline + 160 MiB)', async () => {
    const dir = tempDir('big');
    const input = path.join(dir, 'grand.txt');
    await writeBigFile(input, 50 * 1024 * 1024);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/fixtures/batch-memory.ts', input, path.join(dir, 'out')], {
      maxBuffer: 1 << 20,
    });
    const report = JSON.parse(stdout) as { status: string; paragraphs: number; baseline: number; peak: number };
    expect(report.status).toBe('done');
    expect(report.paragraphs).toBeGreaterThan(200_000);
    expect((report.peak - report.baseline) / 2 ** 20).toBeLessThan(160);
    const english = readFileSync(path.join(dir, 'out', 'grand.en.txt'), 'utf8');
    expect(english.split('\n\n').length).toBe(report.paragraphs);
  }, 180_000);

  it('abandons model calls stuck past the timeout, keeps the source flagged failed, and never hangs', async () => {
    // A 1 ms limit: every call times out, its worker is replaced, and retries run out.
    const translator = await Translator.create({ model: TINY_MODEL_DIR, workers: 1, threads: 1, taskTimeoutMs: 1, maxAttempts: 2 });
    try {
      const doc = await translator.translateText('Premier paragraphe. Deuxième phrase.\n\nSecond paragraphe.');
      expect(doc.paragraphs).toHaveLength(2);
      const pairs = doc.paragraphs.flatMap((p) => p.pairs);
      expect(pairs.map((p) => p.target)).toEqual(['Premier paragraphe.', 'Deuxième phrase.', 'Second paragraphe.']);
      expect(pairs.every((p) => p.flags.includes('failed'))).toBe(true);
    } finally {
      await translator.close();
    }
  });

  it('translates a 100 kB paragraph with no punctuation whole, in budget-sized pieces', async () => {
    const words = ['maison', 'rivière', 'conseil', 'budget', 'ville', 'école', 'habitants', 'travaux', 'été', 'route'];
    const text = Array.from({ length: 15_000 }, (_, i) => (i % 13 === 0 ? String(i) : words[(i * 7) % words.length])).join(' ');
    expect(text.length).toBeGreaterThan(100_000);
    const translator = await Translator.create({ model: TINY_MODEL_DIR, workers: 1, threads: 2, batchSize: 32 });
    try {
      const pieces: string[] = [];
      const doc = await translator.translateText(text, 'long.txt', {
        memory: { getMany: () => new Map(), putMany: (entries) => entries.forEach(([source]) => pieces.push(source)) },
      });
      const [pair] = doc.paragraphs[0].pairs;
      expect(doc.paragraphs[0].pairs).toHaveLength(1);
      expect(pair.flags).toEqual(['split']);
      expect(pieces.length).toBeGreaterThanOrEqual((15_000 * 1.5) / 200);
      expect(pieces.slice().sort((a, b) => text.indexOf(a) - text.indexOf(b)).join(' ')).toBe(text);
    } finally {
      await translator.close();
    }
  });

  it('flags paragraphs that are not French, and leaves them untranslated with --skip-non-french', async () => {
    const dir = tempDir('lang');
    writeFileSync(
      path.join(dir, 'mixte.txt'),
      'Le gouvernement a présenté mercredi un projet de loi sur la rénovation énergétique des logements anciens.\n\n' +
        'The government presented a bill on Wednesday about the energy renovation of old housing across the country.\n',
    );
    for (const [flag, expected] of [[[], ['not-french']], [['--skip-non-french'], ['not-french', 'skipped']]] as const) {
      const out = tempDir('lang-out');
      const { code } = await runCli(['translate', dir, '-o', out, '--format', 'jsonl', ...flag, ...model]);
      expect(code).toBe(0);
      const records = readFileSync(path.join(out, 'mixte.fr-en.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(records[0].flags).toEqual([]);
      expect(records[1].flags).toEqual(expected);
      if (flag.length > 0) expect(records[1].target).toBe(records[1].source);
    }
  });

  it('refuses to write through a link that leads out of the output folder', async () => {
    const input = tempDir('esc-in');
    const out = tempDir('esc-out');
    const elsewhere = tempDir('esc-elsewhere');
    mkdirSync(path.join(input, 'sub'));
    writeFileSync(path.join(input, 'sub', 'article.txt'), 'Une phrase en français.\n');
    writeFileSync(path.join(input, 'autre.txt'), 'Une autre phrase en français.\n');
    symlinkSync(elsewhere, path.join(out, 'sub'));
    const { code, stderr } = await runCli(['translate', input, '-o', out, '--format', 'txt', ...model]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/sub\/article.*outside/);
    expect(existsSync(path.join(elsewhere, 'article.en.txt'))).toBe(false);
    expect(existsSync(path.join(out, 'autre.en.txt'))).toBe(true);
  });
});
