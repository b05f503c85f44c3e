/**
 * fr2en's own API: the aligned document rather than bare strings, its renderings, and the
 * operational endpoints.
 *
 * - POST /v1/translate `{text, file?}`: the AlignedDocument as JSON (paragraphs, sentence pairs,
 *   flags, offsets, quality findings, confidence). With `Accept: application/x-ndjson` the answer
 *   is a stream of lines: `{"progress": {"done", "total"}}` (source words) as batches finish, then
 *   `{"document": ...}` or `{"error": ..., "status": ...}`. The web page reads that stream.
 * - POST /v1/render `{document, format}`: a document in one of the output formats, as a download.
 * - GET /healthz (the process answers), GET /readyz (the model is loaded), GET /metrics.
 */
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import { PAIR_FLAGS, PARAGRAPH_KINDS, QA_CHECKS, type AlignedDocument, type SourceDocument } from '../document.js';
import { normalizeNewlines } from '../read/bytes.js';
import { detectFrench } from '../read/language.js';
import { segmentDocument } from '../segment/index.js';
import { OUTPUT_FORMATS, renderDocument, toolVersion, writers, type OutputFormat } from '../write/index.js';
import { HttpError } from './http-error.js';
import { note } from './request-notes.js';
import { ClientClosed, type Ticket, type TranslationService } from './service.js';
import { countWork } from './texts.js';

/** The longest `file` name a client may give a document (it is shown in page titles and headers). */
const MAX_FILE_NAME = 255;

const translateSchema = {
  body: {
    type: 'object',
    properties: { text: { type: 'string' }, file: { type: 'string', maxLength: MAX_FILE_NAME } },
  },
} as const;

const span = { type: 'integer', minimum: 0 } as const;
const documentSchema = {
  type: 'object',
  required: ['file', 'model', 'paragraphs'],
  properties: {
    file: { type: 'string', maxLength: MAX_FILE_NAME },
    model: { type: 'string', maxLength: 1000 },
    paragraphs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['index', 'start', 'kind', 'source', 'target', 'pairs'],
        properties: {
          index: span,
          start: span,
          kind: { enum: PARAGRAPH_KINDS },
          source: { type: 'string' },
          target: { type: 'string' },
          pairs: {
            type: 'array',
            items: {
              type: 'object',
              required: ['index', 'start', 'end', 'source', 'target', 'flags', 'qa'],
              properties: {
                index: span,
                start: span,
                end: span,
                source: { type: 'string' },
                target: { type: 'string' },
                flags: { type: 'array', items: { enum: PAIR_FLAGS } },
                qa: {
                  type: 'array',
                  items: { type: 'object', required: ['check', 'message'], properties: { check: { enum: QA_CHECKS }, message: { type: 'string' } } },
                },
                confidence: { type: 'number' },
              },
            },
          },
        },
      },
    },
  },
} as const;

const renderSchema = {
  body: {
    type: 'object',
    required: ['document', 'format'],
    properties: { document: documentSchema, format: { enum: OUTPUT_FORMATS } },
  },
} as const;

/** Content types of the downloads. */
const MEDIA_TYPES: Readonly<Record<OutputFormat, string>> = {
  txt: 'text/plain',
  sbs: 'text/plain',
  md: 'text/markdown',
  html: 'text/html',
  jsonl: 'application/jsonl',
  tsv: 'text/tab-separated-values',
  tmx: 'application/x-tmx+xml',
  xliff: 'application/xliff+xml',
};

export const NDJSON = 'application/x-ndjson';

export interface Fr2enRouteOptions {
  keyCheck: preValidationAsyncHookHandler;
  /** Body limit of /v1/render, which carries a whole document (source, target, pairs). */
  renderBodyLimit: number;
}

export function registerFr2enRoutes(app: FastifyInstance, service: TranslationService, options: Fr2enRouteOptions): void {
  const { config } = service;

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    if (service.isReady) return { status: 'ready', model: service.model };
    return reply.code(503).header('Retry-After', '5').send({ status: 'loading', error: 'The translation model is still loading' });
  });

  app.get('/metrics', async (_request, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return service.metrics.render(service.gauges());
  });

  app.post('/v1/translate', { schema: translateSchema, preValidation: options.keyCheck }, async (request, reply) => {
    const { text, file } = (request.body ?? {}) as { text?: string; file?: string };
    if (text === undefined || text === '') throw new HttpError(400, 'Invalid request: missing text parameter');
    const chars = [...text].length;
    note(request, { texts: 1, chars });
    if (chars > config.maxChars) throw new HttpError(400, `Invalid request: request (${chars}) exceeds text limit (${config.maxChars})`);
    const document = segmentDocument(normalizeNewlines(text), file || 'text');
    const work = countWork([document]);
    note(request, { sentences: work.sentences });
    const ticket = service.admit(work.sentences, reply.raw);
    if (wantsStream(request)) return streamDocument(reply, request, ticket, document, work.words);
    try {
      return await translate(ticket, document);
    } catch (error) {
      throw failure(request, ticket, error);
    } finally {
      ticket.release();
    }
  });

  app.post('/v1/render', { schema: renderSchema, bodyLimit: options.renderBodyLimit, preValidation: options.keyCheck }, async (request, reply) => {
    const { document, format } = request.body as { document: AlignedDocument; format: OutputFormat };
    const body = renderDocument(document, format, { toolVersion: toolVersion() });
    const name = `${downloadBase(document.file)}${writers[format].extension}`;
    return reply
      .type(`${MEDIA_TYPES[format]}; charset=utf-8`)
      .header('Content-Disposition', `attachment; filename="${name}"`)
      .header('Cache-Control', 'no-store')
      .send(body);
  });
}

function wantsStream(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').split(',').some((type) => type.trim().split(';')[0] === NDJSON);
}

function translate(ticket: Ticket, document: SourceDocument, onProgress?: (words: number) => void): Promise<AlignedDocument> {
  return ticket.translator.translateDocument(document, {
    signal: ticket.signal,
    isFrench: (text) => detectFrench(text).french,
    onProgress: ticket.progress((event) => onProgress?.(event.sourceWords)),
  });
}

function failure(request: FastifyRequest, ticket: Ticket, error: unknown): Error {
  const answer = ticket.failure(error);
  if (answer instanceof ClientClosed) note(request, { error: 'client-closed' });
  return answer;
}

/** Progress lines while translating, then the document: the status (200) is sent before the work starts. */
function streamDocument(reply: FastifyReply, request: FastifyRequest, ticket: Ticket, document: SourceDocument, total: number): FastifyReply {
  const stream = new PassThrough();
  const line = (value: unknown) => stream.write(`${JSON.stringify(value)}\n`);
  let done = 0;
  line({ progress: { done, total } });
  void translate(ticket, document, (words) => {
    done = Math.min(total, done + words);
    line({ progress: { done, total } });
  })
    .then(
      (result) => {
        // Repeated sentences are translated once, so the counted words may fall short: end at 100%.
        line({ progress: { done: total, total } });
        line({ document: result });
      },
      (error: unknown) => {
        const answer = failure(request, ticket, error);
        if (answer instanceof HttpError) line({ error: answer.message, status: answer.status });
      },
    )
    .finally(() => {
      ticket.release();
      stream.end();
    });
  return reply.type(`${NDJSON}; charset=utf-8`).header('Cache-Control', 'no-store').send(stream);
}

/** A safe download name from the document's `file`: its base name without extension, word characters only. */
function downloadBase(file: string): string {
  const base = file.split(/[\\/]/).pop()!.replace(/\.[^.]*$/, '');
  const safe = base.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 80);
  return safe === '' ? 'translation' : safe;
}
