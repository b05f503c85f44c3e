/**
 * Ctrl-C in the middle of a batch: exit 130, no half-written file, the translation memory keeps
 * what was done, and the rerun translates only what is missing and ends with the same outputs
 * as an uninterrupted run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TranslationMemory } from '../src/cache/index.js';
import { TINY_MODEL_DIR } from './helpers/models.js';
import { runCli } from './helpers/cli.js';

const MAIN = path.resolve('src/cli/main.ts');

function corpus(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fr2en-int-in-'));
  for (let f = 0; f < 8; f++) {
    const paragraphs = Array.from({ length: 12 }, (_, p) =>
      `Le dossier ${f} traite de la question ${p}. Les élus ont débattu pendant ${p + f} heures. La décision sera publiée au journal officiel.`,
    );
    writeFileSync(path.join(dir, `article-${f}.txt`), paragraphs.join('\n\n'));
  }
  return dir;
}

function summaryCounts(stderr: string): { translated: number; cached: number } {
  const match = /sentences: (\d+) translated, (\d+) from cache/.exec(stderr);
  if (!match) throw new Error(`no summary in: ${stderr}`);
  return { translated: Number(match[1]), cached: Number(match[2]) };
}

const args = (input: string, out: string) => ['translate', input, '-o', out, '--format', 'txt,jsonl', '--model', TINY_MODEL_DIR, '--dtype', 'fp32', '--workers', '1', '--batch-size', '4'];

describe('interrupting a batch', () => {
  it('exits 130 on SIGINT, keeps finished work, and a rerun translates only what is missing', async () => {
    const input = corpus();
    const out = mkdtempSync(path.join(tmpdir(), 'fr2en-int-out-'));
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args(input, out)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Interrupt as soon as the first file is complete: the batch is then mid-way.
    const interrupted = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (readdirSync(out).some((name) => name.endsWith('.en.txt'))) {
          clearInterval(timer);
          child.kill('SIGINT');
          resolve();
        }
      }, 20);
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    // A run that ends before its first file (a crash) fails the test instead of leaving it waiting.
    expect(code, stderr).toBe(130);
    await interrupted;

    const written = readdirSync(out).filter((name) => name.endsWith('.en.txt'));
    expect(written.length).toBeGreaterThanOrEqual(1);
    expect(written.length).toBeLessThan(8);
    // Only complete files: no temporary file left, and each written jsonl has all its records.
    expect(readdirSync(out).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const memory = TranslationMemory.open(path.join(out, '.fr2en', 'cache.db'));
    const storedAfterInterrupt = memory.count();
    memory.close();
    expect(storedAfterInterrupt).toBeGreaterThan(0);

    const rerun = await runCli(args(input, out));
    expect(rerun.code, rerun.stderr).toBe(0);
    const counts = summaryCounts(rerun.stderr);
    const finalMemory = TranslationMemory.open(path.join(out, '.fr2en', 'cache.db'));
    const storedAtEnd = finalMemory.count();
    finalMemory.close();
    // Model calls on the rerun = distinct sentences that were not stored before the interrupt.
    expect(counts.translated).toBe(storedAtEnd - storedAfterInterrupt);
    expect(counts.translated).toBeGreaterThan(0);

    const fresh = mkdtempSync(path.join(tmpdir(), 'fr2en-int-ref-'));
    const reference = await runCli([...args(input, fresh), '--no-cache']);
    expect(reference.code).toBe(0);
    for (let f = 0; f < 8; f++) {
      for (const name of [`article-${f}.en.txt`, `article-${f}.fr-en.jsonl`]) {
        expect(existsSync(path.join(out, name))).toBe(true);
        expect(readFileSync(path.join(out, name), 'utf8')).toBe(readFileSync(path.join(fresh, name), 'utf8'));
      }
    }
  });
});
