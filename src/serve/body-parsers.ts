/**
 * Request bodies: JSON and HTML form encoding (what LibreTranslate takes), both read as bytes and
 * decoded as strict UTF-8, so that invalid UTF-8 is a 400 naming the byte instead of U+FFFD
 * quietly translated. Any other content type is a 415 (fastify's default plain-text parser is
 * removed: a text/plain body is not a request this service understands).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from './http-error.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request: FastifyRequest, body: Buffer, done) => {
    let text: string;
    try {
      text = strictUtf8(body);
    } catch (error) {
      done(error as Error, undefined);
      return;
    }
    parseJson(request, text, done);
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    try {
      done(null, parseForm(strictUtf8(body)));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

function strictUtf8(body: Buffer): string {
  try {
    return UTF8.decode(body);
  } catch {
    throw new HttpError(400, `Invalid request: the body is not valid UTF-8 (byte ${firstInvalidByte(body)})`);
  }
}

/** Offset of the first byte that breaks UTF-8 (for the message; the decoder does not say). */
function firstInvalidByte(bytes: Buffer): number {
  let low = 0;
  let high = bytes.length;
  // The longest valid prefix, by bisection; a prefix cut inside a character is invalid too, so
  // the answer can be up to 3 bytes early: the start of the broken character.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    try {
      UTF8.decode(bytes.subarray(0, middle));
      low = middle;
    } catch {
      high = middle - 1;
    }
  }
  return low;
}

/**
 * `application/x-www-form-urlencoded`: `+` is a space, `%XX` sequences must spell UTF-8 (a
 * malformed one is a 400, not U+FFFD). A name given more than once gives an array, so
 * `q=un&q=deux` is a batch, as a JSON array would be.
 */
export function parseForm(body: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeField(eq < 0 ? pair : pair.slice(0, eq));
    const value = decodeField(eq < 0 ? '' : pair.slice(eq + 1));
    const previous = fields[name];
    if (previous === undefined) fields[name] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else fields[name] = [previous, value];
  }
  return fields;
}

function decodeField(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new HttpError(400, 'Invalid request: the form body holds a malformed or non-UTF-8 %-escape');
  }
}
