/**
 * Bad input never crashes or hangs `fr2en serve`: each case gets a clear 4xx (or the connection
 * is cut, for a client too slow to send), and a well-behaved client is served meanwhile.
 */
import { connect, type Socket } from 'node:net';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatedBackend, postJson, rawPost, startTestServer, until, type TestServer } from './helpers/serve.js';

/** A normal request, to show the server still serves others. */
async function stillServing(server: TestServer): Promise<void> {
  const response = await postJson(`${server.url}/translate`, { q: 'Toujours là ?', source: 'fr', target: 'en' });
  expect(response).toMatchObject({ status: 200, json: { translatedText: 'TOUJOURS LÀ ?' } });
}

describe('hostile input', () => {
  let server: TestServer;
  const gate = gatedBackend(2);
  beforeAll(async () => {
    gate.open();
    server = await startTestServer({ serve: { receiveTimeoutMs: 1000 }, internals: gate.internals });
  });
  afterAll(async () => server?.close());

  it.each([
    ['{"q": "Bonjour", "source": ', 'Invalid JSON format'],
    ['', 'Invalid request: the JSON body is empty'],
    ['"just a string"', 'Invalid request: the body must be a JSON object or a form'],
    ['[1, 2]', 'Invalid request: the body must be a JSON object or a form'],
    ['{"__proto__": {"polluted": true}, "q": "a", "source": "fr", "target": "en"}', 'Invalid JSON format'],
    [`${'['.repeat(200_000)}${']'.repeat(200_000)}`, 'Invalid request: the body must be a JSON object or a form'],
  ])('malformed JSON %#: 400 with a message', async (body, message) => {
    const response = await rawPost(server.url, '/translate', 'application/json', Buffer.from(body));
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toEqual({ error: message });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await stillServing(server);
  });

  it.each(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream'])('content type %s: 415', async (type) => {
    const response = await rawPost(server.url, '/translate', type, Buffer.from('q=Bonjour&source=fr&target=en'));
    expect(response.status).toBe(415);
    expect(JSON.parse(response.text)).toEqual({ error: 'Unsupported content type: send application/json or application/x-www-form-urlencoded' });
    await stillServing(server);
  });

  it('a 50 MB body: 413 before it is read, the connection closed, others served meanwhile', async () => {
    const body = Buffer.alloc(50 * 1024 * 1024, 'a');
    const upload = rawPost(server.url, '/translate', 'application/json', body).catch((error: NodeJS.ErrnoException) => ({ status: -1, text: error.code ?? '' }));
    await stillServing(server);
    const response = await upload;
    // The server answers 413 and closes; a client still writing may see the reset instead.
    if (response.status !== -1) {
      expect(response.status).toBe(413);
      expect(JSON.parse(response.text).error).toMatch(/^Request body too large: at most \d+ bytes \(the text limit is 100000 characters\)$/);
    } else {
      expect(['ECONNRESET', 'EPIPE']).toContain(response.text);
    }
    // Chunked, without a length: counted while read, cut at the limit.
    const chunked = await new Promise<number>((resolve, reject) => {
      const target = new URL('/translate', server.url);
      const request = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      request.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve(413) : reject(error)));
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      let sent = 0;
      const pump = () => {
        while (sent < 50 && request.write(chunk)) sent++;
        if (sent < 50) request.once('drain', pump);
        else request.end();
      };
      pump();
    });
    expect(chunked).toBe(413);
    await stillServing(server);
  });

  it('q as a number, an object, null: 400', async () => {
    for (const q of [42, { a: 1 }, null, true]) {
      const response = await postJson(`${server.url}/translate`, { q, source: 'fr', target: 'en' });
      expect(response).toMatchObject({ status: 400, json: { error: 'Invalid request: q must be a string or an array of strings' } });
    }
    await stillServing(server);
  });

  it('10,000 tiny strings in one request: 400 at the default batch limit, in well under a second', async () => {
    const started = Date.now();
    const response = await postJson(`${server.url}/translate`, { q: Array.from({ length: 10_000 }, (_, i) => `m${i}`), source: 'fr', target: 'en' });
    expect(response).toMatchObject({ status: 400, json: { error: 'Invalid request: request (10000 texts) exceeds batch limit (1000)' } });
    expect(Date.now() - started).toBeLessThan(1000);
    await stillServing(server);
  });

  it('invalid UTF-8 in a JSON body, raw or %-escaped in a form: 400 naming the problem', async () => {
    const json = Buffer.concat([Buffer.from('{"q": "caf'), Buffer.from([0xc3, 0x28]), Buffer.from('", "source": "fr", "target": "en"}')]);
    const bad = await rawPost(server.url, '/translate', 'application/json', json);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toEqual({ error: 'Invalid request: the body is not valid UTF-8 (byte 10)' });
    const escaped = await rawPost(server.url, '/translate', 'application/x-www-form-urlencoded', Buffer.from('q=caf%C3%28&source=fr&target=en'));
    expect(escaped.status).toBe(400);
    expect(JSON.parse(escaped.text).error).toMatch(/malformed or non-UTF-8 %-escape/);
    const raw = await rawPost(server.url, '/translate', 'application/x-www-form-urlencoded', Buffer.concat([Buffer.from('q=caf'), Buffer.from([0xff]), Buffer.from('&source=fr&target=en')]));
    expect(raw.status).toBe(400);
    // Lone surrogates escaped in JSON are valid JSON: translated, never echoed raw.
    const surrogate = await rawPost(server.url, '/translate', 'application/json', Buffer.from('{"q": "a\\ud800b", "source": "fr", "target": "en"}'));
    expect(surrogate.status).toBe(200);
    await stillServing(server);
  });

  it('a slow-loris client is cut off after the receive timeout while others are served', async () => {
    const sockets = [0, 1].map(() => connect(Number(new URL(server.url).port), '127.0.0.1'));
    const closed = sockets.map(
      (socket) =>
        new Promise<{ ms: number; data: string }>((resolve) => {
          const started = Date.now();
          let data = '';
          socket.on('data', (chunk) => (data += chunk.toString()));
          socket.on('error', () => undefined);
          socket.on('close', () => resolve({ ms: Date.now() - started, data }));
        }),
    );
    // One sends its headers a few bytes at a time, the other sends headers and then a trickle of body.
    const [headersOnly, slowBody] = sockets as [Socket, Socket];
    headersOnly.write('POST /translate HTTP/1.1\r\nHost: localhost\r\n');
    slowBody.write('POST /translate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"q": "');
    const trickle = setInterval(() => {
      if (!headersOnly.destroyed) headersOnly.write('X-Slow: 1\r\n');
      if (!slowBody.destroyed) slowBody.write('a');
    }, 100);
    try {
      await stillServing(server);
      const results = await Promise.all(closed);
      for (const { ms, data } of results) {
        expect(ms).toBeLessThan(4000);
        expect(data === '' || data.startsWith('HTTP/1.1 408')).toBe(true);
      }
    } finally {
      clearInterval(trickle);
      for (const socket of sockets) socket.destroy();
    }
    await stillServing(server);
  });

  it('unknown routes and methods: 404 with an error body', async () => {
    const missing = await fetch(`${server.url}/nope?api_key=x`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'Not found: GET /nope' });
    expect((await fetch(`${server.url}/translate`)).status).toBe(404);
  });
});

describe('a client that disconnects', () => {
  it('has its sentences that are not yet in a batch dropped; the running batch finishes', async () => {
    const gate = gatedBackend(1);
    const server = await startTestServer({ translator: { batchSize: 2 }, internals: gate.internals });
    try {
      const controller = new AbortController();
      const sentences = Array.from({ length: 10 }, (_, i) => `Phrase ${i + 1} de la requête abandonnée.`).join(' ');
      const request = fetch(`${server.url}/translate`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ q: sentences, source: 'fr', target: 'en' }),
        signal: controller.signal,
      }).catch((error: Error) => error.name);
      await until(() => gate.held === 1 && server.translator!.load.waiting === 8);
      controller.abort();
      expect(await request).toBe('AbortError');
      await until(() => server.translator!.load.waiting === 0);
      gate.open();
      await until(() => server.translator!.load.running === 0);
      expect(gate.batches).toHaveLength(1);
      await until(() => server.logs.some((line) => line.includes('"status":499')));
      const line = JSON.parse(server.logs.find((l) => l.includes('"status":499'))!);
      expect(line).toMatchObject({ path: '/translate', status: 499, sentences: 10 });
      expect(server.service.gauges().admitted).toBe(0);
    } finally {
      await server.close();
    }
  });
});
