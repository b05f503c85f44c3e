/**
 * The CLI as a well-made Unix tool (issue 15): usage problems found before any model work, one
 * line each with exit 2; pipes closed early; stdin to stdout; `--`, -h/-v; file names that cannot
 * drive the terminal; clear messages for broken inputs and models.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { defaultWorkers, resolveTranslatorOptions } from '../src/config.js';
import { TINY_MODEL_DIR } from './helpers/models.js';
import { runCli } from './helpers/cli.js';

const MAIN = path.resolve('src/cli/main.ts');
const tiny = ['--model', TINY_MODEL_DIR, '--dtype', 'fp32', '--workers', '1'];
const tempDir = (prefix: string) => mkdtempSync(path.join(tmpdir(), `fr2en-${prefix}-`));

function frenchFolder(): string {
  const dir = tempDir('conduct-in');
  writeFileSync(path.join(dir, 'a.txt'), 'Le conseil a voté le budget. La séance est levée.\n\nDeuxième paragraphe.\n');
  return dir;
}

/** Exactly one `fr2en: ...` line, without help text or a stack trace. */
function expectOneLine(stderr: string): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^fr2en: /);
  expect(stderr).not.toMatch(/\n\s+at |Options:/);
}

describe('usage errors: exit 2, one line, before any model work', () => {
  // A models folder that does not exist and --offline: anything that touched the model would
  // fail with a model error (exit 1) instead.
  const noModel = (dir: string) => ['--models-dir', path.join(dir, 'no-models'), '--offline'];
  const cases: Array<[string, string[], RegExp]> = [
    ['--workers 0', ['--workers', '0'], /--workers .*got 0/],
    ['--width 10', ['--width', '10', '--format', 'sbs'], /--width .*got 10/],
    ['--format with nothing in it', ['--format', ''], /--format/],
    ['an unknown format', ['--format', 'pdf'], /Unknown --format pdf/],
    ['an unknown option', ['--bogus'], /Unknown option --bogus \(see fr2en translate --help\)/],
    ['a bad --dtype', ['--dtype', 'int3'], /--dtype cannot be "int3"/],
    ['a bad --shard', ['--shard', '4/3'], /--shard/],
    ['an unknown encoding', ['--encoding', 'klingon'], /--encoding/],
    ['a bad --timeout', ['--timeout', '0'], /--timeout/],
    ['--min-confidence with --qa off', ['--qa', 'off', '--min-confidence', '-2'], /minConfidence|min-confidence/],
  ];
  for (const [name, flags, message] of cases) {
    it(`refuses ${name}`, async () => {
      const dir = frenchFolder();
      const { code, stderr } = await runCli(['translate', dir, '-o', path.join(dir, 'out'), ...noModel(dir), ...flags]);
      expect(code).toBe(2);
      expectOneLine(stderr);
      expect(stderr).toMatch(message);
      expect(readdirSync(dir)).not.toContain('out');
    });
  }

  it('refuses a local model folder that does not exist', async () => {
    const dir = frenchFolder();
    const { code, stderr } = await runCli(['translate', dir, '-o', path.join(dir, 'out'), '--model', './nope'], { cwd: dir });
    expect(code).toBe(2);
    expectOneLine(stderr);
    expect(stderr).toMatch(/--model \.\/nope: no such folder/);
  });

  it('refuses several formats to standard output, and a missing -o for files', async () => {
    const both = await runCli(['translate', '-', '--format', 'txt,jsonl', ...tiny], { stdin: 'Bonjour.' });
    expect(both.code).toBe(2);
    expectOneLine(both.stderr);
    const noOut = await runCli(['translate', frenchFolder(), ...tiny]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/-o/);
  });

  it('takes -o - as standard output: the English of standard input, and the missing -o message for files', async () => {
    const piped = await runCli(['translate', '-', '-o', '-', ...tiny], { stdin: 'Le chat dort.\n' });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout.trim()).not.toBe('');
    const files = await runCli(['translate', frenchFolder(), '-o', '-', ...tiny]);
    expect(files.code).toBe(2);
    expectOneLine(files.stderr);
    expect(files.stderr).toMatch(/Give an output folder with -o/);
  });
});

describe('conduct', () => {
  it('answers -h and -v', async () => {
    const help = await runCli(['-h']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/fr2en <command>/);
    const version = await runCli(['-v']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    const translateHelp = await runCli(['translate', '-h']);
    expect(translateHelp.stdout).toMatch(/--workers/);
    expect(translateHelp.stdout).toMatch(new RegExp(`here ${defaultWorkers('q8')}`));
  });

  it('prints the English of standard input as plain text by default', async () => {
    const { code, stdout, stderr } = await runCli(['translate', '-', ...tiny], { stdin: 'Le chat dort. Il fait beau.\n\nFin du texte.\n' });
    expect(code, stderr).toBe(0);
    // txt: two paragraphs of English separated by a blank line, no JSON, no header line.
    expect(stdout.trim().split('\n\n')).toHaveLength(2);
    expect(stdout).not.toMatch(/^\{/m);
  });

  it('takes every argument after -- as a file, even one that starts with -', async () => {
    const dir = frenchFolder();
    writeFileSync(path.join(dir, '-lead.txt'), 'Une phrase en tête.\n');
    const out = path.join(dir, 'out');
    const { code, stderr } = await runCli(['translate', '-o', out, '--format', 'txt', ...tiny, '--', '-lead.txt', 'a.txt'], { cwd: dir });
    expect(code, stderr).toBe(0);
    expect(readdirSync(out).filter((name) => !name.startsWith('.')).sort()).toEqual(['-lead.en.txt', 'a.en.txt']);
  });

  it('honours FORCE_COLOR and NO_COLOR for side-by-side output on standard output', async () => {
    const args = ['translate', '-', '--format', 'sbs', '--width', '80', ...tiny];
    const forced = await runCli(args, { stdin: 'Bonjour à tous.', env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(/\u001b\[/);
    const plain = await runCli(args, { stdin: 'Bonjour à tous.', env: { FORCE_COLOR: '0' } });
    expect(plain.stdout).not.toMatch(/\u001b\[/);
    const none = await runCli(args, { stdin: 'Bonjour à tous.', env: { NO_COLOR: '1' } });
    expect(none.stdout).not.toMatch(/\u001b\[/);
  });

  it('stops quietly with exit 0 when the reader of its output goes away (| head)', async () => {
    const dir = tempDir('epipe');
    const big = path.join(dir, 'big.txt');
    writeFileSync(big, `${'Une phrase de plus dans un long texte. '.repeat(40)}\n\n`.repeat(4000));
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'segment', big], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Read one line, then close the pipe, as `head -1` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('shows file names with control characters as escapes, never raw', async () => {
    const dir = tempDir('names');
    const nasty = 'a\u001b]0;owned\u0007\u001b[2J\nfr2en: forged.txt';
    writeFileSync(path.join(dir, nasty), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])); // a PNG
    const { code, stderr } = await runCli(['translate', dir, '-o', path.join(dir, 'out'), ...tiny]);
    expect(code).toBe(1);
    expect(stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(stderr).toContain('a\\x1b]0;owned\\x07\\x1b[2J\\x0afr2en: forged.txt');
    expect(stderr.split('\n').filter((line) => line.startsWith('fr2en: forged'))).toEqual([]);
  });

  it('hints at --encoding for UTF-16 without a byte-order mark', async () => {
    const dir = tempDir('utf16');
    writeFileSync(path.join(dir, 'u.txt'), Buffer.from('Bonjour à tous, le café est prêt.\n', 'utf16le'));
    const { code, stderr } = await runCli(['segment', path.join(dir, 'u.txt')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/looks like UTF-16LE without a byte-order mark: pass --encoding utf-16le/);
    const read = await runCli(['segment', '--encoding', 'utf-16le', path.join(dir, 'u.txt')]);
    expect(read.code).toBe(0);
    expect(read.stdout).toContain('café');
  });

  it('names a named pipe found in a folder instead of skipping it silently', async () => {
    const dir = frenchFolder();
    execFileSync('mkfifo', [path.join(dir, 'pipe.txt')]);
    const { code, stderr } = await runCli(['translate', dir, '-o', path.join(dir, 'out'), '--format', 'txt', ...tiny]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/pipe\.txt: a named pipe \(FIFO\), not a regular file; skipped/);
    expect(readdirSync(path.join(dir, 'out')).filter((name) => !name.startsWith('.'))).toEqual(['a.en.txt']);
  });

  it('reports a malformed tokenizer.json in one line, and stops before translating', async () => {
    const model = path.join(tempDir('badtok'), 'model');
    cpSync(TINY_MODEL_DIR, model, { recursive: true });
    writeFileSync(path.join(model, 'tokenizer.json'), '{"model": {"type": "Unigram", "vocab": [[');
    const dir = frenchFolder();
    writeFileSync(path.join(dir, 'b.txt'), 'Encore un texte.\n');
    const { code, stderr } = await runCli(['translate', dir, '-o', path.join(dir, 'out'), '--model', model, '--dtype', 'fp32', '--workers', '1', '--quiet']);
    expect(code).toBe(1);
    expectOneLine(stderr);
    expect(stderr).toContain(`${path.join(model, 'tokenizer.json')}: the tokenizer cannot be loaded`);
  });
});

describe('library configuration', () => {
  it('keeps decode settings as given: one setting per concept', () => {
    expect(resolveTranslatorOptions({ decode: { beams: 4 } }).decode.beams).toBe(4);
    expect(() => resolveTranslatorOptions({ decode: { beams: 0 } })).toThrow(/decode\.beams/);
  });

  it('fits the default worker count to the cores and the free memory', () => {
    expect(defaultWorkers('q8', 1, { cores: 16, freeMemoryMB: 64_000 })).toBe(16);
    expect(defaultWorkers('q8', 1, { cores: 16, freeMemoryMB: 1_000 })).toBe(3); // 300 MB each
    expect(defaultWorkers('q8', 2, { cores: 16, freeMemoryMB: 64_000 })).toBe(8);
    expect(defaultWorkers('fp32', 1, { cores: 2, freeMemoryMB: 500 })).toBe(1); // never 0
    expect(resolveTranslatorOptions({}).workers).toBe(defaultWorkers('q8'));
  });
});
