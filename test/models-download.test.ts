import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadModel, ensureModel, ModelError, readManifest, type ModelProgressEvent } from '../src/models/index.js';
import { closedPortUrl, fakeMarianFiles, sha256, startHubServer, type HubServer } from './helpers/hub-server.js';

const ID = 'Xenova/opus-mt-fr-en';
let dir: string;
let hub: HubServer | undefined;
const files = fakeMarianFiles();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fr2en-models-'));
});
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function listFiles(folder: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(join(e.parentPath, e.name).slice(folder.length + 1));
  }
  return out.sort();
}

async function expectModelError(p: Promise<unknown>): Promise<ModelError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

describe('downloadModel', () => {
  it('fetches only the q8 files, verifies them and writes a manifest', async () => {
    hub = await startHubServer({ models: { [ID]: files } });
    const events: ModelProgressEvent[] = [];
    const result = await downloadModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url, onProgress: (e) => events.push(e) });
    const folder = join(dir, 'Xenova', 'opus-mt-fr-en');
    expect(result.folder).toBe(folder);
    expect(await listFiles(folder)).toEqual([
      '.fr2en-manifest.json',
      'config.json',
      'generation_config.json',
      'onnx/decoder_model_merged_quantized.onnx',
      'onnx/encoder_model_quantized.onnx',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    for (const f of ['config.json', 'onnx/encoder_model_quantized.onnx']) {
      expect(await readFile(join(folder, f))).toEqual(files[f]);
    }
    const manifest = await readManifest(folder);
    expect(manifest?.dtypes).toEqual(['q8']);
    expect(manifest?.commit).toMatch(/^[0-9a-f]{40}$/);
    const enc = manifest!.files['onnx/encoder_model_quantized.onnx']!;
    expect(enc).toMatchObject({ size: files['onnx/encoder_model_quantized.onnx']!.length, verifiedBy: 'sha256' });
    expect(enc.sha256).toBe(sha256(files['onnx/encoder_model_quantized.onnx']!));
    expect(enc.url).toBe(`${hub.url}/${ID}/resolve/main/onnx/encoder_model_quantized.onnx`);
    expect(manifest!.files['config.json']!.verifiedBy).toBe('git-sha1');
    // LFS files went through the CDN; the hub's 302 carried the metadata.
    expect(hub.requests.some((r) => r.server === 'cdn' && r.status === 200)).toBe(true);
    const plan = events.find((e) => e.type === 'plan');
    expect(plan).toMatchObject({ type: 'plan', totalBytes: Object.entries(files).filter(([p]) => !p.endsWith('model.onnx') && !p.endsWith('merged.onnx')).reduce((s, [, b]) => s + b.length, 0) });
    expect(events.at(-1)).toMatchObject({ type: 'done', files: 6 });
  });

  it('downloading again fetches nothing; adding fp32 fetches only the fp32 onnx files', async () => {
    hub = await startHubServer({ models: { [ID]: files } });
    await downloadModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url });
    hub.requests.length = 0;
    const again = await downloadModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url });
    expect(again.fetched).toEqual([]);
    expect(hub.requests.every((r) => r.method === 'HEAD')).toBe(true);
    const fp32 = await downloadModel({ model: ID, dtype: 'fp32', modelsDir: dir, hubUrl: hub.url });
    expect(fp32.fetched).toEqual(['onnx/encoder_model.onnx', 'onnx/decoder_model_merged.onnx']);
    expect((await readManifest(fp32.folder))?.dtypes).toEqual(['fp32', 'q8']);
  });

  it('resumes an interrupted download with Range instead of starting over', async () => {
    const big = 'onnx/decoder_model_merged.onnx';
    hub = await startHubServer({ models: { [ID]: files }, cutAfterBytes: 100_000, cutTimes: 1, cutPathSuffix: big });
    const error = await expectModelError(downloadModel({ model: ID, dtype: 'fp32', modelsDir: dir, hubUrl: hub.url, retries: 0 }));
    expect(error.reason).toBe('interrupted');
    expect(error.file).toBe(big);
    expect(error.message).toContain(big);
    const folder = join(dir, 'Xenova', 'opus-mt-fr-en');
    // Nothing half-written under the final name; the part is kept for resuming.
    await expect(stat(join(folder, big))).rejects.toThrow();
    expect((await stat(join(folder, `${big}.part`))).size).toBe(100_000);
    expect((await readManifest(folder))?.dtypes ?? []).toEqual([]);

    hub.requests.length = 0;
    const result = await downloadModel({ model: ID, dtype: 'fp32', modelsDir: dir, hubUrl: hub.url, retries: 0 });
    const gets = hub.requests.filter((r) => r.method === 'GET' && r.server === 'cdn');
    // Only the cut file was fetched again, from byte 100000, validated with the CDN's ETag.
    expect(result.fetched).toEqual([big]);
    expect(gets).toHaveLength(1);
    expect(gets[0]).toMatchObject({ range: 'bytes=100000-', status: 206, bytes: files[big]!.length - 100_000 });
    expect(gets[0]!.ifRange).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await readFile(join(folder, big))).toEqual(files[big]);
    await expect(stat(join(folder, `${big}.part`))).rejects.toThrow();
    await expect(stat(join(folder, `${big}.part.json`))).rejects.toThrow();
  });

  it('retries a dropped connection by itself, resuming each time', async () => {
    const big = 'onnx/decoder_model_merged.onnx';
    hub = await startHubServer({ models: { [ID]: files }, cutAfterBytes: 50_000, cutTimes: 3, cutPathSuffix: big });
    const events: ModelProgressEvent[] = [];
    await downloadModel({ model: ID, dtype: 'fp32', modelsDir: dir, hubUrl: hub.url, retries: 3, retryDelayMs: 1, onProgress: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(3);
    const ranges = hub.requests.filter((r) => r.server === 'cdn' && r.path.includes(encodeURIComponent(big))).map((r) => r.range);
    expect(ranges).toHaveLength(4);
    expect(ranges[0]).toBeUndefined();
    // Every retry resumes where the bytes received so far end (at most 50,000 more each time,
    // fewer if a reset lost some in flight), never from the start.
    const starts = ranges.slice(1).map((range) => Number(/^bytes=(\d+)-$/.exec(range ?? '')?.[1]));
    starts.forEach((start, i) => {
      expect(start).toBeGreaterThan(0);
      expect(start).toBeLessThanOrEqual(50_000 * (i + 1));
      if (i > 0) expect(start).toBeGreaterThanOrEqual(starts[i - 1]);
    });
    expect(await readFile(join(dir, 'Xenova', 'opus-mt-fr-en', big))).toEqual(files[big]);
  });

  it('starts the file over when the server ignores Range', async () => {
    const big = 'onnx/decoder_model_merged.onnx';
    hub = await startHubServer({ models: { [ID]: files }, cutAfterBytes: 100_000, cutTimes: 1, cutPathSuffix: big, ignoreRange: true });
    await expectModelError(downloadModel({ model: ID, dtype: 'fp32', modelsDir: dir, hubUrl: hub.url, retries: 0 }));
    const events: ModelProgressEvent[] = [];
    await downloadModel({ model: ID, dtype: 'fp32', modelsDir: dir, hubUrl: hub.url, retries: 0, onProgress: (e) => events.push(e) });
    expect(events).toContainEqual(expect.objectContaining({ type: 'file-restart', path: big }));
    expect(await readFile(join(dir, 'Xenova', 'opus-mt-fr-en', big))).toEqual(files[big]);
  });

  it('starts the file over when the remote file changed since the interruption', async () => {
    const big = 'onnx/decoder_model_merged.onnx';
    hub = await startHubServer({ models: { [ID]: files }, cutAfterBytes: 100_000, cutTimes: 1, cutPathSuffix: big });
    await expectModelError(downloadModel({ model: ID, dtype: 'fp32', modelsDir: dir, hubUrl: hub.url, retries: 0 }));
    const changed = Buffer.concat([Buffer.from('new version'), files[big]!]);
    hub.setFile(ID, big, changed);
    hub.requests.length = 0;
    const events: ModelProgressEvent[] = [];
    await downloadModel({ model: ID, dtype: 'fp32', modelsDir: dir, hubUrl: hub.url, retries: 0, onProgress: (e) => events.push(e) });
    expect(events).toContainEqual({ type: 'file-restart', path: big, reason: 'the remote file changed' });
    expect(hub.requests.find((r) => r.server === 'cdn' && r.method === 'GET')?.range).toBeUndefined();
    const folder = join(dir, 'Xenova', 'opus-mt-fr-en');
    expect(await readFile(join(folder, big))).toEqual(changed);
    expect((await readManifest(folder))!.files[big]!.sha256).toBe(sha256(changed));
  });

  it('rejects bytes that do not match the hub checksum and deletes them', async () => {
    hub = await startHubServer({ models: { [ID]: files } });
    const big = 'onnx/encoder_model_quantized.onnx';
    // A proxy in between that flips a byte of one file.
    const tampering: typeof fetch = async (url, init) => {
      const res = await fetch(url, init);
      if (!String(url).includes('/repos/') || !String(url).includes(encodeURIComponent(big))) return res;
      const body = Buffer.from(await res.arrayBuffer());
      body[10] ^= 0xff;
      return new Response(body, { status: res.status, headers: res.headers });
    };
    const error = await expectModelError(downloadModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url, fetch: tampering }));
    expect(error.reason).toBe('checksum-mismatch');
    expect(error.message).toContain(big);
    const folder = join(dir, 'Xenova', 'opus-mt-fr-en');
    await expect(stat(join(folder, big))).rejects.toThrow();
    await expect(stat(join(folder, `${big}.part`))).rejects.toThrow();
  });

  it('names the model for an unknown id (404) and writes nothing', async () => {
    hub = await startHubServer({ models: { [ID]: files } });
    const error = await expectModelError(downloadModel({ model: 'Helsinki-NLP/does-not-exist', dtype: 'q8', modelsDir: dir, hubUrl: hub.url }));
    expect(error.reason).toBe('not-found');
    expect(error.status).toBe(404);
    expect(error.message).toContain("Model 'Helsinki-NLP/does-not-exist' was not found");
    expect(error.url).toBe(`${hub.url}/Helsinki-NLP/does-not-exist/resolve/main/config.json`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('names a missing file of an existing model', async () => {
    const noQuantized = { ...files };
    delete noQuantized['onnx/decoder_model_merged_quantized.onnx'];
    hub = await startHubServer({ models: { [ID]: noQuantized } });
    const error = await expectModelError(downloadModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url }));
    expect(error.reason).toBe('not-found');
    expect(error.message).toContain("File 'onnx/decoder_model_merged_quantized.onnx' is not in model");
  });

  it('tolerates a model without generation_config.json', async () => {
    const noGen = { ...files };
    delete noGen['generation_config.json'];
    hub = await startHubServer({ models: { [ID]: noGen } });
    const result = await downloadModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url });
    expect(result.fetched).not.toContain('generation_config.json');
    expect((await readManifest(result.folder))?.dtypes).toEqual(['q8']);
  });

  it('reports a refused connection clearly', async () => {
    const url = await closedPortUrl();
    const error = await expectModelError(downloadModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: url, retries: 0 }));
    expect(error.reason).toBe('network');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain(url);
  });

  it('sends HF_TOKEN to the hub only, never to the CDN it redirects to', async () => {
    hub = await startHubServer({ models: { [ID]: files }, token: 'hf_secret' });
    const denied = await expectModelError(downloadModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url }));
    expect(denied.reason).toBe('unauthorized');
    expect(denied.message).toContain('HF_TOKEN');
    expect(denied.message).not.toContain('hf_secret');
    await downloadModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url, token: 'hf_secret' });
    const hubRequests = hub.requests.filter((r) => r.server === 'hub' && r.status !== 401);
    const cdnRequests = hub.requests.filter((r) => r.server === 'cdn');
    expect(hubRequests.length).toBeGreaterThan(0);
    expect(hubRequests.every((r) => r.authorization === 'Bearer hf_secret')).toBe(true);
    expect(cdnRequests.length).toBeGreaterThan(0);
    expect(cdnRequests.every((r) => r.authorization === undefined)).toBe(true);
    const manifest = await readFile(join(dir, 'Xenova', 'opus-mt-fr-en', '.fr2en-manifest.json'), 'utf8');
    expect(manifest).not.toContain('hf_secret');
    expect(manifest).not.toContain('X-Sig');
  });

  it('uses an ETag that is a sha256 when a mirror sends no X-Linked-Etag', async () => {
    hub = await startHubServer({ models: { [ID]: files }, noLinkedHeaders: true, noCdn: true });
    const result = await downloadModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url });
    expect(result.manifest.files['onnx/encoder_model_quantized.onnx']!.verifiedBy).toBe('sha256');
  });

  it('verifies by size only when a mirror sends no checksum at all, and records our own sha256', async () => {
    hub = await startHubServer({ models: { [ID]: files }, noLinkedHeaders: true, noCdn: true, opaqueEtags: true });
    const result = await downloadModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url });
    const entry = result.manifest.files['onnx/encoder_model_quantized.onnx']!;
    expect(entry.verifiedBy).toBe('size');
    expect(entry.sha256).toBe(sha256(files['onnx/encoder_model_quantized.onnx']!));
    expect(result.manifest.files['config.json']!.verifiedBy).toBe('size');
  });
});

describe('ensureModel', () => {
  it('downloads a missing model, then finds it installed without touching the network', async () => {
    hub = await startHubServer({ models: { [ID]: files } });
    const first = await ensureModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url });
    expect(first).toMatchObject({ source: 'downloaded', localModelPath: dir, modelId: ID, folder: join(dir, 'Xenova', 'opus-mt-fr-en') });
    const before = hub.connections();
    const second = await ensureModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url });
    expect(second.source).toBe('installed');
    expect(hub.connections()).toBe(before);
  });

  it('repairs a corrupted file on the next call (same size, flipped byte)', async () => {
    hub = await startHubServer({ models: { [ID]: files } });
    const { folder } = await ensureModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url });
    const f = join(folder, 'onnx/encoder_model_quantized.onnx');
    const bytes = await readFile(f);
    bytes[5] ^= 1;
    await writeFile(f, bytes);
    const offline = await expectModelError(ensureModel({ model: ID, dtype: 'q8', modelsDir: dir, offline: true }));
    expect(offline.reason).toBe('corrupt');
    expect(offline.files).toEqual(['onnx/encoder_model_quantized.onnx']);
    hub.requests.length = 0;
    const repaired = await ensureModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url });
    expect(repaired.source).toBe('downloaded');
    const gets = hub.requests.filter((r) => r.method === 'GET').map((r) => decodeURIComponent(r.path));
    expect(gets.length).toBeGreaterThan(0);
    expect(gets.every((p) => p.includes('onnx/encoder_model_quantized.onnx'))).toBe(true);
    expect(await readFile(f)).toEqual(files['onnx/encoder_model_quantized.onnx']);
  });
});

describe('damaged manifest', () => {
  it('offline: reported as corrupt; online: rebuilt by downloading again', async () => {
    hub = await startHubServer({ models: { [ID]: files } });
    const { folder } = await ensureModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url });
    await writeFile(join(folder, '.fr2en-manifest.json'), '{"format": 1, "id"');
    const offline = await expectModelError(ensureModel({ model: ID, dtype: 'q8', modelsDir: dir, offline: true }));
    expect(offline.reason).toBe('corrupt');
    expect(offline.message).toContain('.fr2en-manifest.json');
    const again = await ensureModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url });
    expect(again.source).toBe('downloaded');
    expect((await readManifest(folder))?.dtypes).toEqual(['q8']);
  });
});
