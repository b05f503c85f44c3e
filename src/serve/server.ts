/**
 * The HTTP server: fastify with JSON-schema validation, LibreTranslate's routes, fr2en's routes,
 * the page, the access log, metrics, and one error shape (`{"error": "..."}`) for every failure,
 * including fastify's own (bad JSON, wrong content type, body too large).
 *
 * Made ready in two steps, so that it can answer /healthz and /readyz while the model loads:
 * `createServer` builds and the caller listens; `service.ready(translator)` opens the translation
 * routes (503 until then).
 */
import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { toolVersion } from '../write/index.js';
import { registerAccessLog, CLIENT_CLOSED_STATUS, type LogSink } from './access-log.js';
import { ApiKeyChecker } from './api-keys.js';
import { requireKey } from './auth.js';
import { registerBodyParsers } from './body-parsers.js';
import type { ServeConfig } from './config.js';
import { registerFr2enRoutes } from './fr2en-routes.js';
import { HttpError } from './http-error.js';
import { registerLibreTranslateRoutes } from './libretranslate-routes.js';
import { Metrics } from './metrics.js';
import { PAGE_CSP, renderPage } from './page/index.js';
import { note } from './request-notes.js';
import { ClientClosed, TranslationService } from './service.js';

export interface ServerOptions {
  /** Where the access log and server events go, one JSON line each. @default nowhere */
  log?: LogSink;
}

export interface Server {
  readonly app: FastifyInstance;
  readonly service: TranslationService;
  /**
   * Stops accepting connections, lets the requests in flight finish (a request arriving on an
   * open connection meanwhile gets 503), then closes the connections left: idle keep-alive ones,
   * and ones a client opened without sending a request, which would otherwise hold the close.
   */
  close(): Promise<void>;
}

/**
 * Bytes of a request body: room for `maxChars` characters of French in JSON (up to 4 bytes of
 * UTF-8 each, or a 6-byte `\uXXXX` escape) plus the other fields. A bigger body is refused (413)
 * before it is read.
 */
export function bodyLimitFor(maxChars: number): number {
  return 64 * 1024 + maxChars * 6;
}

/** /v1/render's body holds the document: source and target, per paragraph and per pair, with offsets. */
export function renderBodyLimitFor(maxChars: number): number {
  return 1024 * 1024 + maxChars * 40;
}

export async function createServer(config: ServeConfig, options: ServerOptions = {}): Promise<Server> {
  const log = options.log ?? (() => undefined);
  const metrics = new Metrics();
  const service = new TranslationService(config, metrics);
  const headersTimeout = Math.min(60_000, config.receiveTimeoutMs);
  const app = Fastify({
    logger: false,
    bodyLimit: bodyLimitFor(config.maxChars),
    // Slow clients: the whole request must arrive within receiveTimeoutMs, checked every second.
    requestTimeout: config.receiveTimeoutMs,
    http: { headersTimeout, requestTimeout: config.receiveTimeoutMs, connectionsCheckingInterval: Math.max(100, Math.min(1000, config.receiveTimeoutMs / 4)) },
    genReqId: () => randomUUID(),
    // Types are part of the API: "q": 5 is an error, not the string "5".
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    schemaErrorFormatter: (errors) => new HttpError(400, describeSchemaError(errors[0])),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  registerBodyParsers(app);
  registerAccessLog(app, log, metrics);
  const inFlight = trackInFlight(app);
  if (config.cors.length > 0) {
    await app.register(cors, { origin: config.cors.includes('*') ? '*' : [...config.cors], methods: ['GET', 'POST'], maxAge: 86_400 });
  }
  app.addHook('onSend', async (_request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
  });

  app.setErrorHandler((error: FastifyError | HttpError | ClientClosed, request, reply) => {
    if (error instanceof ClientClosed) {
      note(request, { error: 'client-closed' });
      return reply.code(CLIENT_CLOSED_STATUS).send({ error: error.message });
    }
    if (error instanceof HttpError) {
      if (error.status >= 500 && error.cause !== undefined) note(request, { error: errorKind(error.cause) });
      return reply.code(error.status).headers(error.headers).send({ error: error.message });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      note(request, { error: errorKind(error) });
      return reply.code(500).send({ error: 'Internal server error' });
    }
    return reply.code(status).send({ error: frameworkMessage(error, config) });
  });
  app.setNotFoundHandler(async (request, reply) => reply.code(404).send({ error: `Not found: ${request.method} ${request.url.split('?')[0].slice(0, 200)}` }));

  const keyCheck = requireKey(config.apiKeys ? new ApiKeyChecker(config.apiKeys) : undefined);
  registerLibreTranslateRoutes(app, service, keyCheck);
  registerFr2enRoutes(app, service, { keyCheck, renderBodyLimit: renderBodyLimitFor(config.maxChars) });

  const version = toolVersion();
  app.get('/', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('Content-Security-Policy', PAGE_CSP)
      .header('Referrer-Policy', 'no-referrer')
      .header('X-Frame-Options', 'DENY')
      .header('Cache-Control', 'no-store')
      .send(renderPage({ model: service.model ?? 'loading', maxChars: config.maxChars, keyRequired: config.apiKeys !== undefined, version })),
  );

  await app.ready();
  return {
    app,
    service,
    async close() {
      const closing = app.close();
      await inFlight.drained();
      app.server.closeAllConnections();
      await closing;
    },
  };
}

/** Requests between their arrival and the end of their response, and a way to wait for none. */
function trackInFlight(app: FastifyInstance): { drained(): Promise<void> } {
  let count = 0;
  let waiters: Array<() => void> = [];
  app.addHook('onRequest', async (_request, reply) => {
    count++;
    reply.raw.once('close', () => {
      count--;
      if (count === 0) for (const resolve of waiters.splice(0)) resolve();
    });
  });
  return {
    drained: () => (count === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
  };
}

/** What failed, for the log: an error's name and code or reason, never its message (which might quote text). */
function errorKind(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const detail = (error as { reason?: unknown; code?: unknown }).reason ?? (error as { code?: unknown }).code;
  return typeof detail === 'string' ? `${error.name}:${detail}` : error.name;
}

/** Fastify's own 4xx errors, in words a client can act on. */
function frameworkMessage(error: FastifyError, config: ServeConfig): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'Invalid JSON format';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'Invalid request: the JSON body is empty';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `Request body too large: at most ${bodyLimitFor(config.maxChars)} bytes (the text limit is ${config.maxChars} characters)`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported content type: send application/json or application/x-www-form-urlencoded';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'Invalid request: the body does not match its Content-Length';
    default:
      return error.message;
  }
}

/** What a client needs to fix, per top-level field; other failures keep ajv's wording. */
const EXPECTED: Readonly<Record<string, string>> = {
  q: 'a string or an array of strings',
  source: 'a language code (fr or auto)',
  target: 'a language code (en)',
  format: 'text or html',
  alternatives: 'a whole number',
  api_key: 'a string',
  apiKey: 'a string',
  text: 'a string',
  file: 'a name of at most 255 characters',
};

function describeSchemaError(error: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }): string {
  const path = error.instancePath.split('/').filter(Boolean);
  if (path.length === 0) {
    if (error.keyword === 'required') return `Invalid request: missing ${String(error.params.missingProperty)} parameter`;
    return 'Invalid request: the body must be a JSON object or a form';
  }
  const field = path[0];
  if (path.length <= 2 && EXPECTED[field]) return `Invalid request: ${field} must be ${EXPECTED[field]}`;
  return `Invalid request: ${path.join('.')} ${error.message ?? 'is invalid'}`;
}
