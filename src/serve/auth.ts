/**
 * API keys on translation routes. A key may come as LibreTranslate sends it (`api_key` in the
 * body or the query string), as the `libretranslate` npm client sends it (`apiKey`), or as
 * `Authorization: Bearer KEY`. Missing or wrong: 403.
 */
import type { FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import type { ApiKeyChecker } from './api-keys.js';
import { HttpError } from './http-error.js';
import { note } from './request-notes.js';

export function presentedKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (bearer) return bearer[1];
  }
  for (const source of [request.body, request.query]) {
    if (typeof source !== 'object' || source === null) continue;
    const fields = source as Record<string, unknown>;
    for (const name of ['api_key', 'apiKey']) {
      const value = fields[name];
      if (typeof value === 'string' && value !== '') return value;
    }
  }
  return undefined;
}

/** A hook that lets a request through only with an accepted key (none when `checker` is undefined). */
export function requireKey(checker: ApiKeyChecker | undefined): preValidationAsyncHookHandler {
  return async (request) => {
    if (!checker) return;
    const key = presentedKey(request);
    if (key === undefined) throw new HttpError(403, 'Invalid request: this server requires an API key (api_key parameter or Authorization: Bearer)');
    if (!checker.accepts(key)) throw new HttpError(403, 'Invalid API key');
    note(request, { authenticated: true });
  };
}
