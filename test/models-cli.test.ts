import net from 'node:net';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import yargs from 'yargs';
import { modelsBuilder, modelsHandler, type ModelsArgs } from '../src/cli/models-command.js';
import { createProgressReporter, formatBytes } from '../src/cli/progress-reporter.js';
import type { CliIo } from '../src/cli/io.js';
import { ensureModel, ModelError, validateMarianFolder, type ModelProgressEvent } from '../src/models/index.js';
import { fakeMarianFiles, startHubServer, type HubServer } from './helpers/hub-server.js';

const ID = 'Xenova/opus-mt-fr-en';
const files = fakeMarianFiles({ onnxBytes: 120_000 });
let dir: string;
let hub: HubServer | undefined;

class Sink extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

function fakeIo(env: NodeJS.ProcessEnv = {}): CliIo & { stdout: Sink; stderr: Sink } {
  return { stdin: Readable.from([]) as CliIo['stdin'], stdout: new Sink(), stderr: new Sink(), env, cwd: dir };
}

const args = (action: ModelsArgs['action'], extra: Partial<ModelsArgs> = {}): ModelsArgs => ({
  action,
  modelsDir: 'models',
  dtype: 'q8',
  revision: 'main',
  ...extra,
});

async function rejection(p: Promise<unknown>): Promise<ModelError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ModelError);
  return e as ModelError;
}

async function writeFolder(folder: string, content: Record<string, Buffer | string>) {
  for (const [p, c] of Object.entries(content)) {
    await mkdir(join(folder, p, '..'), { recursive: true });
    await writeFile(join(folder, p), c);
  }
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fr2en-cli-'));
  hub = await startHubServer({ models: { [ID]: files } });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await hub?.close();
  hub = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('fr2en models', () => {
  it('download prints plain progress lines when not a terminal, then list shows the model', async () => {
    const io = fakeIo();
    expect(await modelsHandler(args('download', { hubUrl: hub!.url }), io)).toBe(0);
    expect(io.stdout.text).toMatch(/^Xenova\/opus-mt-fr-en \(q8\) ready in models\/Xenova\/opus-mt-fr-en; commit [0-9a-f]{40}/);
    expect(io.stderr.text).toContain('Downloading Xenova/opus-mt-fr-en (q8): 6 files');
    expect(io.stderr.text).toContain('onnx/encoder_model_quantized.onnx: done, 30.0 kB, sha256 verified');
    expect(io.stderr.text).toContain('config.json: done');
    expect(io.stderr.text).not.toMatch(/\x1b\[/); // no terminal escapes in a log

    const listIo = fakeIo();
    expect(await modelsHandler(args('list'), listIo)).toBe(0);
    const [header, row] = listIo.stdout.text.trim().split('\n');
    expect(header).toMatch(/^MODEL\s+DTYPES\s+SIZE\s+STATUS$/);
    expect(row).toMatch(/^Xenova\/opus-mt-fr-en\s+q8\s+\d+\.\d+ kB\s+verified at download$/);
  });

  it('verify passes on an intact model and names a truncated and a corrupted file', async () => {
    await modelsHandler(args('download', { hubUrl: hub!.url, quiet: true }), fakeIo());
    const ok = fakeIo();
    expect(await modelsHandler(args('verify'), ok)).toBe(0);
    expect(ok.stdout.text).toMatch(/^Xenova\/opus-mt-fr-en: ok, 6 files/);

    const folder = join(dir, 'models', 'Xenova', 'opus-mt-fr-en');
    const enc = join(folder, 'onnx/encoder_model_quantized.onnx');
    const bytes = await readFile(enc);
    bytes[100] ^= 0x55;
    await writeFile(enc, bytes);
    const dec = join(folder, 'onnx/decoder_model_merged_quantized.onnx');
    await writeFile(dec, (await readFile(dec)).subarray(0, 1000));

    const bad = fakeIo();
    expect(await modelsHandler(args('verify', { id: ID }), bad)).toBe(1);
    expect(bad.stdout.text).toContain('Xenova/opus-mt-fr-en: FAILED');
    expect(bad.stdout.text).toContain('onnx/encoder_model_quantized.onnx: SHA-256 differs');
    expect(bad.stdout.text).toMatch(/onnx\/decoder_model_merged_quantized\.onnx: 1000 bytes, expected \d+ \(truncated or corrupt\)/);
    expect(bad.stdout.text).toContain('repair: fr2en models download Xenova/opus-mt-fr-en --dtype q8');

    // The next translate-time check sees both, without the network.
    const error = await rejection(ensureModel({ model: ID, dtype: 'q8', modelsDir: join(dir, 'models'), offline: true }));
    expect(error.reason).toBe('corrupt');
    expect([...error.files].sort()).toEqual(['onnx/decoder_model_merged_quantized.onnx', 'onnx/encoder_model_quantized.onnx']);
  });

  it('remove deletes the folder; removing again says it is not installed', async () => {
    await modelsHandler(args('download', { hubUrl: hub!.url, quiet: true }), fakeIo());
    const io = fakeIo();
    expect(await modelsHandler(args('remove', { id: ID }), io)).toBe(0);
    expect(io.stdout.text).toMatch(/^Removed Xenova\/opus-mt-fr-en \(.+\) from /);
    await expect(stat(join(dir, 'models', 'Xenova'))).rejects.toThrow();
    const again = await rejection(modelsHandler(args('remove', { id: ID }), fakeIo()));
    expect(again.reason).toBe('not-installed');
  });

  it('rejects a path or a malformed id', async () => {
    expect((await rejection(modelsHandler(args('download', { id: 'not-an-id' }), fakeIo()))).reason).toBe('invalid-id');
    expect((await rejection(modelsHandler(args('remove', { id: '../etc' }), fakeIo()))).reason).toBe('invalid-id');
  });
});

describe('offline', () => {
  it('never opens a socket, and names the missing files and the command to run', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const connectSpy = vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(() => {
      throw new Error('offline mode opened a socket');
    });
    const guardFetch = vi.fn(async () => {
      throw new Error('offline mode called fetch');
    });
    const before = hub!.connections();
    const modelsDir = join(dir, 'models');
    const error = await rejection(
      ensureModel({ model: ID, dtype: 'q8', modelsDir, offline: true, hubUrl: hub!.url, fetch: guardFetch }),
    );
    expect(error.reason).toBe('offline-missing');
    expect(error.files).toEqual([
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/encoder_model_quantized.onnx',
      'onnx/decoder_model_merged_quantized.onnx',
    ]);
    expect(error.message).toContain('onnx/encoder_model_quantized.onnx: missing');
    expect(error.message).toContain(`fr2en models download Xenova/opus-mt-fr-en --dtype q8 --models-dir ${modelsDir}`);
    expect(guardFetch).not.toHaveBeenCalled();
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(connectSpy).not.toHaveBeenCalled();
    expect(hub!.connections()).toBe(before);
  });

  it('uses an installed model offline', async () => {
    const modelsDir = join(dir, 'models');
    await ensureModel({ model: ID, dtype: 'q8', modelsDir, hubUrl: hub!.url });
    const connections = hub!.connections();
    const resolved = await ensureModel({ model: ID, dtype: 'q8', modelsDir, offline: true, fetch: async () => Promise.reject(new Error('no')) });
    expect(resolved).toMatchObject({ source: 'installed', localModelPath: modelsDir, modelId: ID });
    expect(hub!.connections()).toBe(connections);
    // q8 is there, fp32 is not.
    const fp32 = await rejection(ensureModel({ model: ID, dtype: 'fp32', modelsDir, offline: true }));
    expect(fp32.files).toEqual(['onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx']);
  });
});

describe('validateMarianFolder / local folders', () => {
  const base = fakeMarianFiles({ onnxBytes: 100 });

  it('accepts a Marian folder given as a path and returns what transformers.js needs', async () => {
    const folder = join(dir, 'my-marian');
    await writeFolder(folder, base);
    const resolved = await ensureModel({ model: folder, dtype: 'fp32', offline: true });
    expect(resolved).toEqual({ localModelPath: dir, modelId: 'my-marian', folder, dtype: 'fp32', source: 'folder' });
  });

  it.each([
    ['missing-config', () => { const f = { ...base } as Record<string, Buffer | string>; delete f['config.json']; return f; }, /config\.json is missing/],
    ['bad-config', () => ({ ...base, 'config.json': '{ not json' }), /not valid JSON/],
    ['not-marian', () => ({ ...base, 'config.json': JSON.stringify({ model_type: 'bert', is_encoder_decoder: false }) }), /model_type "bert"/],
    [
      'not-encoder-decoder',
      () => ({ ...base, 'config.json': JSON.stringify({ ...JSON.parse(base['config.json']!.toString()), is_encoder_decoder: undefined }) }),
      /is_encoder_decoder/,
    ],
    ['missing-tokenizer', () => { const f = { ...base } as Record<string, Buffer | string>; delete f['tokenizer.json']; return f; }, /no tokenizer\.json/],
    ['missing-onnx', () => { const f = { ...base } as Record<string, Buffer | string>; delete f['onnx/decoder_model_merged.onnx']; return f; }, /no onnx\/decoder_model_merged\.onnx for dtype fp32/],
  ] as const)('%s', async (reason, make, message) => {
    const folder = join(dir, 'candidate');
    await writeFolder(folder, make());
    const error = await rejection(validateMarianFolder(folder, 'fp32'));
    expect(error.reason).toBe(reason);
    expect(error.message).toMatch(message);
    // The same error through ensureModel with a path, before any worker or network.
    expect((await rejection(ensureModel({ model: folder, dtype: 'fp32' }))).reason).toBe(reason);
  });

  it('a folder that does not exist', async () => {
    expect((await rejection(ensureModel({ model: './nope', dtype: 'q8' }))).reason).toBe('not-a-folder');
  });
});

describe('progress reporter', () => {
  const plan: ModelProgressEvent[] = [
    { type: 'plan', model: ID, dtype: 'q8', files: [{ path: 'onnx/a.onnx', size: 10_000_000 }], skipped: [], totalBytes: 10_000_000 },
    { type: 'file-start', path: 'onnx/a.onnx', size: 10_000_000, resumeFrom: 4_000_000 },
  ];

  it('plain mode: rate-limited lines with speed and ETA that ignore resumed bytes', () => {
    const sink = new Sink();
    let t = 0;
    const report = createProgressReporter(sink, { tty: false, plainIntervalMs: 1000, now: () => t });
    for (const e of plan) report(e);
    for (let i = 1; i <= 6; i++) {
      t += 500;
      const bytes = 4_000_000 + i * 500_000; // 1 MB/s
      report({ type: 'file-progress', path: 'onnx/a.onnx', bytes, size: 10_000_000, totalDone: bytes, totalBytes: 10_000_000 });
    }
    report({ type: 'file-done', path: 'onnx/a.onnx', size: 10_000_000, verifiedBy: 'sha256' });
    const lines = sink.text.trim().split('\n');
    expect(lines[0]).toBe('Downloading Xenova/opus-mt-fr-en (q8): 1 files, 10.0 MB');
    expect(lines[1]).toBe('  onnx/a.onnx (10.0 MB), resuming at 4.00 MB');
    expect(lines.filter((l) => l.includes('MB/s'))).toHaveLength(3);
    expect(lines.at(-2)).toBe('  onnx/a.onnx: 70% 7.00 MB/10.0 MB, 1.00 MB/s, total 7.00 MB/10.0 MB, ETA 3s');
    expect(lines.at(-1)).toBe('  onnx/a.onnx: done, 10.0 MB, sha256 verified');
  });

  it('terminal mode draws a bar and stops cleanly', () => {
    const sink = new Sink();
    sink.isTTY = true;
    const report = createProgressReporter(sink, { tty: true });
    for (const e of plan) report(e);
    report({ type: 'file-progress', path: 'onnx/a.onnx', bytes: 5_000_000, size: 10_000_000, totalDone: 5_000_000, totalBytes: 10_000_000 });
    report({ type: 'done', model: ID, folder: '/x', downloadedBytes: 6_000_000, files: 1 });
    report.stop();
    expect(sink.text).toContain('onnx/a.onnx');
    expect(sink.text).toContain('10.0 MB');
  });

  it('formats bytes', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(140_200_000)).toBe('140.2 MB');
  });
});

describe('flags', () => {
  async function parse(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<ModelsArgs> {
    let got: ModelsArgs | undefined;
    await yargs(argv)
      .command('models <action> [id]', 'models', (y) => modelsBuilder(y, fakeIo(env)), (a) => {
        got = a as unknown as ModelsArgs;
      })
      .strict()
      .exitProcess(false)
      .parseAsync();
    return got!;
  }

  it('defaults from the environment, overridden by flags', async () => {
    const a = await parse(['models', 'download'], { HF_ENDPOINT: 'http://mirror.local', FR2EN_MODELS_DIR: '/srv/models' });
    expect(a.id).toBeUndefined();
    expect(a).toMatchObject({ action: 'download', hubUrl: 'http://mirror.local', modelsDir: '/srv/models', dtype: 'q8', revision: 'main' });
    const b = await parse(['models', 'download', 'Helsinki-NLP/opus-mt-de-en', '--dtype', 'fp32', '--hub-url', 'http://h', '--models-dir', 'm'], {
      HF_ENDPOINT: 'http://mirror.local',
    });
    expect(b).toMatchObject({ id: 'Helsinki-NLP/opus-mt-de-en', dtype: 'fp32', hubUrl: 'http://h', modelsDir: 'm' });
  });
});
