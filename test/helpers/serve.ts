/**
 * Servers for the serve tests: the real server (src/serve/) on a loopback port, with a Translator
 * on the tiny generated model, or on a backend the test controls (to hold batches, count them,
 * fail them) while the model folder, tokenizer and scheduler stay real.
 */
import { request as httpRequest } from 'node:http';
import type { TranslationBackend } from '../../src/translate/backend.js';
import { createServer, resolveServeOptions, type Server, type ServeOptions } from '../../src/serve/index.js';
import { createTranslator, Translator, type TranslatorInternals } from '../../src/translator.js';
import type { TranslatorOptions } from '../../src/config.js';
import { TINY_MODEL_DIR } from './models.js';

// Fixed output length: the tiny model's random weights rarely emit </s>.
export const TINY_DECODE = { maxNewTokensFactor: 0, maxNewTokensMargin: 6 };

export interface TestServer extends Server {
  url: string;
  translator: Translator | undefined;
  /** Every line the server logged (access log and events). */
  logs: string[];
  close(): Promise<void>;
}

export interface TestServerOptions {
  serve?: ServeOptions;
  translator?: TranslatorOptions;
  internals?: TranslatorInternals;
  /** Leave the service not ready (as while the model loads). */
  ready?: boolean;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const logs: string[] = [];
  const server = await createServer(resolveServeOptions({ port: 0, ...options.serve }), { log: (line) => void logs.push(line) });
  const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  let translator: Translator | undefined;
  if (options.ready !== false) {
    translator = await createTranslator(
      { model: TINY_MODEL_DIR, dtype: 'fp32', workers: 1, threads: 1, decode: TINY_DECODE, ...options.translator },
      options.internals,
    );
    server.service.ready(translator);
  }
  return {
    ...server,
    url,
    translator,
    logs,
    async close() {
      await server.close();
      await translator?.close();
    },
  };
}

/**
 * A backend that upper-cases texts and holds each batch until released (or answers at once when
 * `hold` is false). It records every batch it was given.
 */
export function gatedBackend(capacity = 1) {
  const batches: string[][] = [];
  let hold = true;
  let waiters: Array<() => void> = [];
  let failWith: Error | undefined;
  const backend: TranslationBackend = {
    capacity,
    async translate({ texts }) {
      batches.push(texts);
      if (hold) await new Promise<void>((resolve) => waiters.push(resolve));
      if (failWith) throw failWith;
      return { translations: texts.map((text) => ({ text: text.toUpperCase(), tokens: 3, logprob: -1, truncated: false })) };
    },
    close: async () => undefined,
  };
  return {
    internals: { backend: async () => backend } satisfies TranslatorInternals,
    batches,
    /** Lets the held batches (and all later ones) through. */
    open() {
      hold = false;
      for (const resolve of waiters.splice(0)) resolve();
    },
    /** Batches from now on fail with `error`. */
    fail(error: Error) {
      failWith = error;
    },
    get held() {
      return waiters.length;
    },
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) };
}

/** A raw HTTP exchange with the body as bytes (fetch would re-encode invalid UTF-8). */
export function rawPost(url: string, path: string, contentType: string, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(path, url);
    const request = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'Content-Type': contentType, 'Content-Length': body.length } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Waits until `condition` holds (polling), or fails after `ms`. */
export async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
