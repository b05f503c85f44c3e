/**
 * LibreTranslate's HTTP API, as its documentation (the /spec of LibreTranslate 1.x) describes it,
 * so its clients work unchanged: POST /translate, POST /detect, GET /languages,
 * GET /frontend/settings. Bodies are JSON or form-encoded; errors are `{"error": "..."}` with
 * LibreTranslate's statuses and wording (400 bad parameter or text too long, 403 key, 429 slow
 * down with Retry-After, 500 failure), plus 503 while the model loads or when a request times out.
 *
 * Differences, all additive: `q` may also be repeated in a form body (a batch); `apiKey` and
 * `Authorization: Bearer` are accepted besides `api_key`; `alternatives` is accepted but the
 * list is always empty (the decoder keeps one hypothesis).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import type { ServeConfig } from './config.js';
import { HttpError } from './http-error.js';
import { joinHtml, splitHtml, textOf, type HtmlPart } from './html-text.js';
import { detectLanguage, LANGUAGES, SOURCE_LANGUAGE, TARGET_LANGUAGE, type Detection } from './languages.js';
import { note } from './request-notes.js';
import { ClientClosed, type TranslationService } from './service.js';
import { prepareTexts, translateTexts } from './texts.js';

const TEXTS = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } as const;

const translateSchema = {
  body: {
    type: 'object',
    properties: {
      q: TEXTS,
      source: { type: 'string' },
      target: { type: 'string' },
      format: { type: 'string' },
      alternatives: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^[0-9]{1,6}$' }] },
      api_key: { type: 'string' },
      apiKey: { type: 'string' },
    },
  },
} as const;

const detectSchema = { body: { type: 'object', properties: { q: TEXTS, api_key: { type: 'string' }, apiKey: { type: 'string' } } } } as const;

interface TranslateBody {
  q?: string | string[];
  source?: string;
  target?: string;
  format?: string;
  alternatives?: number | string;
}

export function registerLibreTranslateRoutes(app: FastifyInstance, service: TranslationService, keyCheck: preValidationAsyncHookHandler): void {
  const { config } = service;

  app.get('/languages', async () => LANGUAGES);

  app.get('/frontend/settings', async () => ({
    charLimit: config.maxChars,
    frontendTimeout: 500,
    apiKeys: config.apiKeys !== undefined,
    keyRequired: config.apiKeys !== undefined,
    suggestions: false,
    filesTranslation: false,
    supportedFilesFormat: [],
    language: { source: { ...SOURCE_LANGUAGE }, target: { ...TARGET_LANGUAGE } },
  }));

  app.post('/detect', { schema: detectSchema, preValidation: keyCheck }, async (request) => {
    const { q } = (request.body ?? {}) as { q?: string | string[] };
    const texts = checkTexts(q, config);
    note(request, { texts: texts.length, chars: charCount(texts) });
    const detection = detectLanguage(texts.join('\n\n'));
    return [detection];
  });

  app.post('/translate', { schema: translateSchema, preValidation: keyCheck }, async (request, reply) => {
    const body = (request.body ?? {}) as TranslateBody;
    const texts = checkTexts(body.q, config);
    note(request, { texts: texts.length, chars: charCount(texts) });
    if (!body.source) throw new HttpError(400, 'Invalid request: missing source parameter');
    if (!body.target) throw new HttpError(400, 'Invalid request: missing target parameter');
    const format = body.format || 'text';
    if (format !== 'text' && format !== 'html') throw new HttpError(400, `${echo(format)} format is not supported`);
    if (body.source !== SOURCE_LANGUAGE.code && body.source !== 'auto') throw new HttpError(400, `${echo(body.source)} is not supported as a source language (this server translates fr to en)`);
    if (body.target !== TARGET_LANGUAGE.code) throw new HttpError(400, `${echo(body.target)} is not supported as a target language (this server translates fr to en)`);
    const alternatives = Number(body.alternatives ?? 0);

    let detected: Detection | undefined;
    if (body.source === 'auto') {
      detected = detectLanguage(texts.map((text) => (format === 'html' ? visibleText(text) : text)).join('\n\n'));
      if (detected.language !== SOURCE_LANGUAGE.code) {
        throw new HttpError(400, `Detected language ${detected.language} is not supported (this server translates fr to en)`);
      }
    }

    const translations = format === 'html' ? await translateHtml(service, request, reply, texts) : await runTexts(service, request, reply, texts);
    const batch = Array.isArray(body.q);
    const result: Record<string, unknown> = { translatedText: batch ? translations : translations[0] };
    if (detected) result.detectedLanguage = batch ? texts.map(() => detected) : detected;
    if (alternatives > 0) result.alternatives = batch ? texts.map(() => []) : [];
    return result;
  });
}

/** A parameter named back in an error, cut short: a client's mistake is not an echo service. */
const echo = (value: string): string => (value.length > 40 ? `${value.slice(0, 40)}…` : value);

/** `q` present, within the batch and character limits; as a list. */
function checkTexts(q: string | string[] | undefined, config: ServeConfig): string[] {
  if (q === undefined || q === '' || (Array.isArray(q) && q.length === 0)) throw new HttpError(400, 'Invalid request: missing q parameter');
  const texts = Array.isArray(q) ? q : [q];
  if (texts.length > config.batchLimit) {
    throw new HttpError(400, `Invalid request: request (${texts.length} texts) exceeds batch limit (${config.batchLimit})`);
  }
  const chars = charCount(texts);
  if (chars > config.maxChars) throw new HttpError(400, `Invalid request: request (${chars}) exceeds text limit (${config.maxChars})`);
  return texts;
}

/** Characters as LibreTranslate counts them (code points). */
function charCount(texts: readonly string[]): number {
  let count = 0;
  for (const text of texts) for (const _ of text) count++;
  return count;
}

/** Only the text runs are translated; the markup around them is kept as sent. */
async function translateHtml(service: TranslationService, request: FastifyRequest, reply: FastifyReply, pages: readonly string[]): Promise<string[]> {
  const split = pages.map(splitHtml);
  const runs = split.flatMap((parts) => parts.filter(isTranslatedText).map((part) => textOf(part).core));
  const translated = await runTexts(service, request, reply, runs);
  let next = 0;
  return split.map((parts) => {
    const count = parts.filter(isTranslatedText).length;
    const own = translated.slice(next, next + count);
    next += count;
    return joinHtml(parts, own);
  });
}

const isTranslatedText = (part: HtmlPart): part is HtmlPart & { kind: 'text' } => part.kind === 'text' && part.translate;

function visibleText(html: string): string {
  return splitHtml(html)
    .filter(isTranslatedText)
    .map((part) => textOf(part).core)
    .join(' ');
}

/** Admits the texts' sentences, translates them in one call, and maps every failure to an answer. */
async function runTexts(service: TranslationService, request: FastifyRequest, reply: FastifyReply, texts: readonly string[]): Promise<string[]> {
  const prepared = prepareTexts(texts);
  note(request, { sentences: prepared.sentences });
  const ticket = service.admit(prepared.sentences, reply.raw);
  try {
    return await translateTexts(ticket.translator, prepared, { signal: ticket.signal, onProgress: ticket.progress() });
  } catch (error) {
    const failure = ticket.failure(error);
    if (failure instanceof ClientClosed) note(request, { error: 'client-closed' });
    throw failure;
  } finally {
    ticket.release();
  }
}
