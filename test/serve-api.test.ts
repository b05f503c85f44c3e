/**
 * fr2en's own API on `fr2en serve`: the aligned document (JSON and a progress stream), its
 * renderings, health, readiness, metrics, the access log, CORS, and the API key file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlignedDocument } from '../src/document.js';
import { ApiKeyChecker, readApiKeys } from '../src/serve/api-keys.js';
import { Metrics } from '../src/serve/metrics.js';
import { Translator } from '../src/translator.js';
import { OUTPUT_FORMATS, renderDocument, toolVersion } from '../src/write/index.js';
import { TINY_MODEL_DIR } from './helpers/models.js';
import { gatedBackend, postJson, startTestServer, TINY_DECODE, type TestServer } from './helpers/serve.js';

const ARTICLE = [
  'date 2023-03 Le conseil municipal a voté le budget',
  'Le budget prévoit 1,2 million d’euros pour les écoles. Les travaux commencent en mars.',
  'AP Photo/Jacquelyn Martin',
  'Le maire promet une piste cyclable. Les commerçants sont inquiets.',
].join('\n\n');

describe('POST /v1/translate and /v1/render on the tiny model', () => {
  let server: TestServer;
  let document: AlignedDocument;
  beforeAll(async () => {
    server = await startTestServer({ serve: { maxChars: 5000 } });
    const response = await postJson(`${server.url}/v1/translate`, { text: ARTICLE, file: 'conseil.txt' });
    expect(response.status).toBe(200);
    document = response.json;
  });
  afterAll(async () => server?.close());

  it('returns the aligned document: paragraphs, pairs with offsets into the source, flags, quality fields', async () => {
    expect(document.file).toBe('conseil.txt');
    expect(document.model).toBe(TINY_MODEL_DIR);
    expect(document.paragraphs.map((p) => p.kind)).toEqual(['header', 'prose', 'non-prose', 'prose']);
    for (const paragraph of document.paragraphs) {
      expect(ARTICLE.slice(paragraph.start).startsWith(paragraph.source)).toBe(true);
      for (const pair of paragraph.pairs) {
        expect(paragraph.source.slice(pair.start, pair.end)).toBe(pair.source);
        expect(Array.isArray(pair.qa)).toBe(true);
        expect(Array.isArray(pair.flags)).toBe(true);
      }
    }
    const header = document.paragraphs[0].pairs[0];
    expect(header).toMatchObject({ source: 'date 2023-03', target: 'date 2023-03', flags: ['verbatim'] });
    const translated = document.paragraphs[1].pairs[0];
    expect(translated.confidence).toBeLessThanOrEqual(0);
    // The same as the library gives.
    const direct = await server.translator!.translateText(ARTICLE, 'conseil.txt');
    expect(document.paragraphs.map((p) => p.target)).toEqual(direct.paragraphs.map((p) => p.target));
  });

  it('streams progress then the document with Accept: application/x-ndjson', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `Le paragraphe ${i + 1} parle du budget municipal. Il compte deux phrases.`).join('\n\n');
    const response = await fetch(`${server.url}/v1/translate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/x-ndjson' },
      body: JSON.stringify({ text: long }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line));
    const progress = lines.filter((line) => line.progress).map((line) => line.progress as { done: number; total: number });
    expect(progress[0]).toEqual({ done: 0, total: 440 });
    expect(progress.length).toBeGreaterThan(2);
    for (let i = 1; i < progress.length; i++) expect(progress[i].done).toBeGreaterThanOrEqual(progress[i - 1].done);
    expect(progress.at(-1)).toEqual({ done: 440, total: 440 });
    const last = lines.at(-1);
    expect(last.document.paragraphs).toHaveLength(40);
  });

  it.each(OUTPUT_FORMATS)('renders %s as a download, byte for byte what the writer gives', async (format) => {
    const response = await fetch(`${server.url}/v1/render`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ document, format }) });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(renderDocument(document, format, { toolVersion: toolVersion() }));
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="conseil\.[\w.-]+"$/);
    expect(response.headers.get('content-type')).toMatch(/; charset=utf-8$/);
  });

  it('keeps download names safe', async () => {
    const hostile = { ...document, file: '../../etc/"passwd" <b>.txt' };
    const response = await fetch(`${server.url}/v1/render`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ document: hostile, format: 'txt' }) });
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="passwd-b.en.txt"');
  });

  it.each([
    [{ text: '' }, 'Invalid request: missing text parameter'],
    [{}, 'Invalid request: missing text parameter'],
    [{ text: 12 }, 'Invalid request: text must be a string'],
    [{ text: 'a'.repeat(5001) }, 'Invalid request: request (5001) exceeds text limit (5000)'],
    [{ text: 'Bonjour', file: 'x'.repeat(300) }, 'Invalid request: file must be a name of at most 255 characters'],
  ])('/v1/translate 400 for %#', async (body, message) => {
    expect(await postJson(`${server.url}/v1/translate`, body)).toMatchObject({ status: 400, json: { error: message } });
  });

  it('/v1/render 400 for an unknown format or a document that is not one', async () => {
    expect(await postJson(`${server.url}/v1/render`, { document, format: 'pdf' })).toMatchObject({ status: 400 });
    const broken = { ...document, paragraphs: [{ ...document.paragraphs[1], pairs: [{ index: 0, start: 0, end: 3, source: 'x', target: 'y', flags: ['bogus'], qa: [] }] }] };
    const response = await postJson(`${server.url}/v1/render`, { document: broken, format: 'html' });
    expect(response.status).toBe(400);
    expect(response.json.error).toMatch(/^Invalid request: document\.paragraphs\.0\.pairs\.0\.flags\.0 /);
  });

  it('serves /metrics in the Prometheus text format', async () => {
    await postJson(`${server.url}/translate`, { q: 'Une phrase de plus.', source: 'fr', target: 'en' });
    const response = await fetch(`${server.url}/metrics`);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    for (const line of text.trimEnd().split('\n')) {
      expect(line).toMatch(/^(# (HELP|TYPE) [a-z0-9_]+ .+|[a-z0-9_]+(\{[a-z_]+="[^"\n]*"(,[a-z_]+="[^"\n]*")*\})? -?[0-9.e+]+)$/);
    }
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}"+.]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('fr2en_http_requests_total{route="/v1/translate",method="POST",status="200"}')).toBeGreaterThanOrEqual(2);
    expect(value('fr2en_http_requests_total{route="/v1/translate",method="POST",status="400"}')).toBeGreaterThanOrEqual(1);
    // 5 from the article, 41 distinct in the 40 paragraphs (their second sentence repeats), 1 more.
    expect(value('fr2en_sentences_total{outcome="translated"}')).toBe(47);
    expect(value('fr2en_target_tokens_total')).toBeGreaterThan(0);
    expect(value('fr2en_tokens_per_second')).toBeGreaterThan(0);
    expect(value('fr2en_queue_waiting_sentences')).toBe(0);
    expect(value('fr2en_ready')).toBe(1);
    const buckets = [...text.matchAll(/^fr2en_http_request_duration_seconds_bucket\{route="\/translate",le="([^"]+)"\} (\d+)$/gm)].map((m) => Number(m[2]));
    expect(buckets.length).toBeGreaterThan(5);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]).toBeGreaterThanOrEqual(buckets[i - 1]);
    expect(buckets.at(-1)).toBe(value('fr2en_http_request_duration_seconds_count{route="/translate"}'));
  });

  it('logs one JSON line per request, with sizes and counts but no text', async () => {
    const requests = server.logs.map((line) => JSON.parse(line)).filter((line) => line.event === 'request');
    expect(requests.length).toBeGreaterThan(5);
    const translate = requests.find((line) => line.path === '/v1/translate' && line.status === 200);
    expect(translate).toMatchObject({ method: 'POST', route: '/v1/translate', texts: 1, chars: [...ARTICLE].length, sentences: 5, ip: '127.0.0.1' });
    expect(typeof translate.ms).toBe('number');
    const all = server.logs.join('');
    for (const fragment of ['conseil municipal', 'budget', 'Une phrase', document.paragraphs[1].target]) expect(all).not.toContain(fragment);
  });

  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready', model: TINY_MODEL_DIR });
  });
});

describe('readiness, keys and CORS', () => {
  it('is alive but not ready until the model is loaded', async () => {
    const server = await startTestServer({ ready: false });
    let translator: Translator | undefined;
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const loading = await fetch(`${server.url}/readyz`);
      expect(loading.status).toBe(503);
      expect(await loading.json()).toMatchObject({ status: 'loading' });
      expect((await postJson(`${server.url}/v1/translate`, { text: 'Bonjour' })).status).toBe(503);
      translator = await Translator.create({ model: TINY_MODEL_DIR, dtype: 'fp32', workers: 1, decode: TINY_DECODE });
      server.service.ready(translator);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect((await postJson(`${server.url}/v1/translate`, { text: 'Bonjour' })).status).toBe(200);
    } finally {
      await server.close();
      await translator?.close();
    }
  });

  it('needs a key on /v1 routes when keys are set; CORS only for the origins given', async () => {
    const gate = gatedBackend();
    gate.open();
    const server = await startTestServer({ serve: { apiKeys: ['s3cret'], cors: ['https://newsroom.example'] }, internals: gate.internals });
    try {
      expect((await postJson(`${server.url}/v1/translate`, { text: 'Bonjour.' })).status).toBe(403);
      const ok = await postJson(`${server.url}/v1/translate`, { text: 'Bonjour.' }, { Authorization: 'Bearer s3cret' });
      expect(ok.status).toBe(200);
      expect(ok.json.paragraphs[0].target).toBe('BONJOUR.');
      expect((await postJson(`${server.url}/v1/render`, { document: ok.json, format: 'txt' })).status).toBe(403);
      const preflight = await fetch(`${server.url}/translate`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://newsroom.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://newsroom.example');
      const other = await fetch(`${server.url}/languages`, { headers: { Origin: 'https://elsewhere.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await server.close();
    }
    const closed = await startTestServer({ internals: gate.internals });
    try {
      const response = await fetch(`${closed.url}/languages`, { headers: { Origin: 'https://newsroom.example' } });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await closed.close();
    }
  });
});

describe('API keys and metrics, as units', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fr2en-serve-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads one key per line, skipping comments and blank lines; errors name the file and line, never the key', async () => {
    const file = path.join(dir, 'keys.txt');
    writeFileSync(file, '# newsroom\nalpha-123\r\n\n  beta-456  \n');
    expect(await readApiKeys(file)).toEqual(['alpha-123', 'beta-456']);
    writeFileSync(file, 'alpha-123\nsecret with space\n');
    await expect(readApiKeys(file)).rejects.toThrow(`${file}: line 2 holds white space; write one key per line`);
    writeFileSync(file, '# nothing\n\n');
    await expect(readApiKeys(file)).rejects.toThrow(`${file}: no API key in the file (one key per line)`);
    await expect(readApiKeys(path.join(dir, 'missing.txt'))).rejects.toThrow(/missing\.txt: cannot read the API key file \(ENOENT\)/);
  });

  it('accepts exactly the keys given', () => {
    const checker = new ApiKeyChecker(['alpha-123', 'beta-456']);
    expect(checker.accepts('alpha-123')).toBe(true);
    expect(checker.accepts('beta-456')).toBe(true);
    for (const wrong of ['alpha-12', 'alpha-1234', 'ALPHA-123', '', undefined]) expect(checker.accepts(wrong)).toBe(false);
  });

  it('computes rates over the last minute', () => {
    let now = 1_000_000;
    const metrics = new Metrics(() => now);
    metrics.translated({ translated: 30, cached: 2, failed: 1, sourceWords: 100, targetTokens: 600 });
    expect(metrics.rates()).toEqual({ sentences: 0.5, tokens: 10 });
    now += 61_000;
    expect(metrics.rates()).toEqual({ sentences: 0, tokens: 0 });
    expect(metrics.render({ waiting: 3, running: 1, admitted: 7, ready: true })).toContain('fr2en_sentences_total{outcome="cached"} 2\n');
  });
});
