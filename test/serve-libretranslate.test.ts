/**
 * `fr2en serve`'s LibreTranslate API, driven by a real LibreTranslate client (the `libretranslate`
 * npm package) and by plain HTTP for every documented case and error: request and response
 * shapes, statuses and error bodies as LibreTranslate's API documentation gives them.
 */
import { translate as libreTranslate } from 'libretranslate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoolError } from '../src/errors.js';
import { gatedBackend, postJson, startTestServer, until, type TestServer } from './helpers/serve.js';

const ARTICLE = 'Le conseil municipal a voté le budget. Les travaux commencent en mars.\n\nLa mairie promet une piste cyclable.';

/** What the Translator itself makes of a text: paragraph translations, joined as the source's paragraphs are. */
async function direct(server: TestServer, text: string): Promise<string> {
  const doc = await server.translator!.translateText(text);
  return doc.paragraphs.map((p) => p.target).join('\n\n');
}

describe('LibreTranslate API on the tiny model', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ serve: { maxChars: 2000, batchLimit: 50 } });
  });
  afterAll(async () => server?.close());

  it('answers the libretranslate npm client, with an explicit source and with source auto', async () => {
    const explicit = await libreTranslate({ query: 'Le chat dort sur le canapé.', source: 'fr', target: 'en', apiurl: server.url });
    expect(explicit).toBe(await direct(server, 'Le chat dort sur le canapé.'));
    const auto = await libreTranslate({ query: ARTICLE, target: 'en', apiurl: server.url });
    expect(auto).toBe(await direct(server, ARTICLE));
    expect(auto.split('\n\n')).toHaveLength(2); // paragraphs kept
  });

  it('lets the client refuse a language the server does not list (GET /languages)', async () => {
    await expect(libreTranslate({ query: 'Bonjour', source: 'fr', target: 'de', apiurl: server.url })).rejects.toThrow(/not found/);
  });

  it('translates html through the client, keeping the markup', async () => {
    const html = '<p class="lede">Le maire <b>parle</b>.</p>';
    const out: string = await libreTranslate({ query: html, source: 'fr', target: 'en', format: 'html', apiurl: server.url });
    expect(out).toMatch(/^<p class="lede">.+<b>.+<\/b>.*<\/p>$/s);
  });

  it('POST /translate with JSON: a string gives a string, an array an array, in order', async () => {
    const one = await postJson(`${server.url}/translate`, { q: ARTICLE, source: 'fr', target: 'en' });
    expect(one.status).toBe(200);
    expect(one.json).toEqual({ translatedText: await direct(server, ARTICLE) });
    const texts = ['Bonjour.', 'Le chat dort.', 'Bonjour.'];
    const many = await postJson(`${server.url}/translate`, { q: texts, source: 'fr', target: 'en', format: 'text' });
    expect(many.status).toBe(200);
    expect(many.json.translatedText).toEqual([await direct(server, texts[0]), await direct(server, texts[1]), await direct(server, texts[2])]);
    expect(many.json.detectedLanguage).toBeUndefined();
  });

  it('POST /translate with source auto adds detectedLanguage (one per text for an array)', async () => {
    const one = await postJson(`${server.url}/translate`, { q: ARTICLE, source: 'auto', target: 'en' });
    expect(one.json.detectedLanguage).toMatchObject({ language: 'fr' });
    expect(one.json.detectedLanguage.confidence).toBeGreaterThan(0);
    expect(one.json.detectedLanguage.confidence).toBeLessThanOrEqual(100);
    const many = await postJson(`${server.url}/translate`, { q: ['Bonjour.', 'Merci.'], source: 'auto', target: 'en' });
    expect(many.json.detectedLanguage).toHaveLength(2);
    expect(many.json.detectedLanguage[0].language).toBe('fr');
  });

  it('POST /translate with a form body, q repeated for a batch; white space around and between paragraphs kept', async () => {
    const form = new URLSearchParams({ q: '  Le chat dort.\n\n\nIl rêve.\n', source: 'fr', target: 'en' });
    const response = await fetch(`${server.url}/translate`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    const { translatedText } = (await response.json()) as { translatedText: string };
    expect(translatedText).toMatch(/^ {2}\S.*\S\n\n\n\S.*\S\n$/s);
    const batch = new URLSearchParams([['q', 'Un.'], ['q', 'Deux.'], ['source', 'fr'], ['target', 'en']]);
    const both = (await (await fetch(`${server.url}/translate`, { method: 'POST', body: batch })).json()) as { translatedText: string[] };
    expect(both.translatedText).toHaveLength(2);
  });

  it('format html translates text nodes only: markup, attributes, entities outside text, script and style kept byte for byte', async () => {
    const page =
      '<!DOCTYPE html><html lang="fr"><head><title>Le titre</title><style>p > b { color: red }</style></head>' +
      '<body><p data-x="a > b" title="Ne pas traduire">Le chat &amp; le chien.</p><!-- commentaire -->' +
      '<script>if (a < b) { document.write("<p>texte</p>") }</script>' +
      '<pre>code brut</pre><p translate="no">Nom propre</p><span class="x notranslate">Marque</span> 42 </body></html>';
    const { json } = await postJson(`${server.url}/translate`, { q: page, source: 'fr', target: 'en', format: 'html' });
    const out: string = json.translatedText;
    for (const kept of [
      '<!DOCTYPE html><html lang="fr"><head><title>',
      '</title><style>p > b { color: red }</style></head><body><p data-x="a > b" title="Ne pas traduire">',
      '</p><!-- commentaire --><script>if (a < b) { document.write("<p>texte</p>") }</script><pre>code brut</pre><p translate="no">Nom propre</p><span class="x notranslate">Marque</span> 42 </body></html>',
    ]) {
      expect(out).toContain(kept);
    }
    const body = /<p data-x="a > b" title="Ne pas traduire">(.*?)<\/p>/.exec(out)![1];
    expect(body).not.toBe('Le chat &amp; le chien.');
    expect(body).not.toMatch(/<|>/);
    expect(/<title>(.*?)<\/title>/.exec(out)![1]).not.toBe('Le titre');
  });

  it('accepts alternatives and answers an empty list (one hypothesis is kept)', async () => {
    const { json } = await postJson(`${server.url}/translate`, { q: 'Bonjour.', source: 'fr', target: 'en', alternatives: 3 });
    expect(json.alternatives).toEqual([]);
    expect(typeof json.translatedText).toBe('string');
  });

  it('GET /languages, POST /detect and GET /frontend/settings', async () => {
    const languages = await (await fetch(`${server.url}/languages`)).json();
    expect(languages).toEqual([
      { code: 'fr', name: 'French', targets: ['en'] },
      { code: 'en', name: 'English', targets: [] },
    ]);
    const french = await postJson(`${server.url}/detect`, { q: 'Le gouvernement a présenté hier soir son projet de loi sur le logement social.' });
    expect(french.status).toBe(200);
    expect(french.json).toEqual([{ language: 'fr', confidence: expect.any(Number) }]);
    const english = await postJson(`${server.url}/detect`, { q: 'The government presented its bill on social housing last night, and the opposition rejected it.' });
    expect(english.json[0].language).toBe('en');
    const form = await fetch(`${server.url}/detect`, { method: 'POST', body: new URLSearchParams({ q: 'Bonjour à tous, merci d’être venus ce soir.' }) });
    expect(((await form.json()) as Array<{ language: string }>)[0].language).toBe('fr');
    const settings = await (await fetch(`${server.url}/frontend/settings`)).json();
    expect(settings).toMatchObject({
      charLimit: 2000,
      apiKeys: false,
      keyRequired: false,
      suggestions: false,
      language: { source: { code: 'fr', name: 'French' }, target: { code: 'en', name: 'English' } },
    });
  });

  it.each([
    [{ source: 'fr', target: 'en' }, 'Invalid request: missing q parameter'],
    [{ q: '', source: 'fr', target: 'en' }, 'Invalid request: missing q parameter'],
    [{ q: [], source: 'fr', target: 'en' }, 'Invalid request: missing q parameter'],
    [{ q: 'Bonjour', target: 'en' }, 'Invalid request: missing source parameter'],
    [{ q: 'Bonjour', source: 'fr' }, 'Invalid request: missing target parameter'],
    [{ q: 'Bonjour', source: 'fr', target: 'en', format: 'xml' }, 'xml format is not supported'],
    [{ q: 'Bonjour', source: 'de', target: 'en' }, 'de is not supported as a source language (this server translates fr to en)'],
    [{ q: 'Bonjour', source: 'fr', target: 'es' }, 'es is not supported as a target language (this server translates fr to en)'],
    [{ q: 5, source: 'fr', target: 'en' }, 'Invalid request: q must be a string or an array of strings'],
    [{ q: ['a', 5], source: 'fr', target: 'en' }, 'Invalid request: q must be a string or an array of strings'],
    [{ q: 'Bonjour', source: 7, target: 'en' }, 'Invalid request: source must be a language code (fr or auto)'],
    [{ q: 'x'.repeat(2001), source: 'fr', target: 'en' }, 'Invalid request: request (2001) exceeds text limit (2000)'],
    [{ q: ['x'.repeat(1500), 'y'.repeat(501)], source: 'fr', target: 'en' }, 'Invalid request: request (2001) exceeds text limit (2000)'],
    [{ q: Array.from({ length: 51 }, () => 'a'), source: 'fr', target: 'en' }, 'Invalid request: request (51 texts) exceeds batch limit (50)'],
  ])('400 with an error body for %j', async (body, message) => {
    const response = await postJson(`${server.url}/translate`, body);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: message });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('400 when source auto detects another language', async () => {
    const response = await postJson(`${server.url}/translate`, {
      q: 'The city council voted the budget last night and the works begin in March, the mayor said.',
      source: 'auto',
      target: 'en',
    });
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('Detected language en is not supported (this server translates fr to en)');
  });

  it('400 for /detect without q, and counts characters as code points', async () => {
    expect((await postJson(`${server.url}/detect`, {})).json).toEqual({ error: 'Invalid request: missing q parameter' });
    // 1000 emoji are 2000 UTF-16 units but 1000 characters: within the limit.
    expect((await postJson(`${server.url}/detect`, { q: '😀'.repeat(1000) })).status).toBe(200);
  });
});

describe('LibreTranslate API keys', () => {
  let server: TestServer;
  const gate = gatedBackend();
  beforeAll(async () => {
    gate.open();
    server = await startTestServer({ serve: { apiKeys: ['k1-secret', 'second-key'] }, internals: gate.internals });
  });
  afterAll(async () => server?.close());

  it('403 without a key or with a wrong one; 200 with api_key, apiKey (the npm client) or a Bearer header', async () => {
    const body = { q: 'Bonjour.', source: 'fr', target: 'en' };
    expect(await postJson(`${server.url}/translate`, body)).toMatchObject({ status: 403, json: { error: expect.stringMatching(/requires an API key/) } });
    expect(await postJson(`${server.url}/translate`, { ...body, api_key: 'k1-secreT' })).toMatchObject({ status: 403, json: { error: 'Invalid API key' } });
    expect(await postJson(`${server.url}/detect`, { q: 'Bonjour' })).toMatchObject({ status: 403 });
    expect(await postJson(`${server.url}/translate`, { ...body, api_key: 'k1-secret' })).toMatchObject({ status: 200, json: { translatedText: 'BONJOUR.' } });
    expect(await postJson(`${server.url}/translate`, body, { Authorization: 'Bearer second-key' })).toMatchObject({ status: 200 });
    const form = await fetch(`${server.url}/translate`, { method: 'POST', body: new URLSearchParams({ ...body, api_key: 'second-key' }) });
    expect(form.status).toBe(200);
    expect(await libreTranslate({ query: 'Bonjour.', source: 'fr', target: 'en', apiurl: server.url, apiKey: 'k1-secret' })).toBe('BONJOUR.');
    expect(await libreTranslate({ query: 'Bonjour.', source: 'fr', target: 'en', apiurl: server.url, apiKey: 'wrong' })).toBeUndefined();
  });

  it('says so in /frontend/settings, leaves /languages open, and never logs a key', async () => {
    expect(await (await fetch(`${server.url}/frontend/settings`)).json()).toMatchObject({ apiKeys: true, keyRequired: true });
    expect((await fetch(`${server.url}/languages`)).status).toBe(200);
    await fetch(`${server.url}/translate?api_key=k1-secret`, { method: 'POST', body: new URLSearchParams({ q: 'Salut', source: 'fr', target: 'en' }) });
    const log = server.logs.join('');
    expect(log).toContain('"authenticated":true');
    expect(log).not.toMatch(/k1-secret|second-key|wrong/);
  });
});

describe('LibreTranslate API under load and failure', () => {
  it('429 with Retry-After when the queue is full; the admitted request still completes', async () => {
    const gate = gatedBackend();
    const server = await startTestServer({ serve: { maxQueue: 3 }, internals: gate.internals });
    try {
      const first = postJson(`${server.url}/translate`, { q: 'Une phrase. Une autre phrase.', source: 'fr', target: 'en' });
      await until(() => gate.held === 1);
      const refused = await postJson(`${server.url}/translate`, { q: 'Encore une. Et une dernière.', source: 'fr', target: 'en' });
      expect(refused.status).toBe(429);
      expect(refused.json.error).toMatch(/^Slowdown: the translation queue is full/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // A request that fits is still let in.
      const fits = postJson(`${server.url}/translate`, { q: 'Oui.', source: 'fr', target: 'en' });
      gate.open();
      expect(await first).toMatchObject({ status: 200, json: { translatedText: 'UNE PHRASE. UNE AUTRE PHRASE.' } });
      expect(await fits).toMatchObject({ status: 200, json: { translatedText: 'OUI.' } });
    } finally {
      await server.close();
    }
  });

  it('503 with Retry-After while the model loads', async () => {
    const server = await startTestServer({ ready: false });
    try {
      const response = await postJson(`${server.url}/translate`, { q: 'Bonjour', source: 'fr', target: 'en' });
      expect(response.status).toBe(503);
      expect(response.json.error).toMatch(/still loading/);
      expect(response.headers.get('retry-after')).toBe('5');
      expect((await fetch(`${server.url}/languages`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('500 with an error body when the translation fails', async () => {
    const gate = gatedBackend();
    gate.fail(new PoolError('closed', 'the translation workers are gone'));
    gate.open();
    const server = await startTestServer({ internals: gate.internals });
    try {
      const response = await postJson(`${server.url}/translate`, { q: 'Bonjour.', source: 'fr', target: 'en' });
      expect(response).toMatchObject({ status: 500, json: { error: 'Cannot translate text: the translation workers are gone' } });
      await until(() => server.logs.some((line) => line.includes('"status":500')));
      expect(server.logs.find((line) => line.includes('"status":500'))).toContain('"error":"PoolError:closed"');
    } finally {
      await server.close();
    }
  });

  it('503 after the request timeout, and the timed-out request leaves nothing waiting in the queue', async () => {
    const gate = gatedBackend();
    const server = await startTestServer({ serve: { requestTimeoutMs: 300 }, translator: { batchSize: 2 }, internals: gate.internals });
    try {
      const sentences = Array.from({ length: 12 }, (_, i) => `Phrase numéro ${i + 1} du texte.`).join(' ');
      const started = Date.now();
      const response = await postJson(`${server.url}/translate`, { q: sentences, source: 'fr', target: 'en' });
      expect(response.status).toBe(503);
      expect(response.json.error).toBe('Translation timed out after 0.3 s');
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(server.translator!.load).toEqual({ waiting: 0, running: 1 });
      gate.open();
      await until(() => server.translator!.load.running === 0);
      expect(gate.batches).toHaveLength(1); // the other 5 batches were never started
    } finally {
      await server.close();
    }
  });
});
