/**
 * API keys: read from a file (one key per line; blank lines and lines starting with `#` are
 * skipped) and checked in constant time. A key is never logged or echoed: errors name the file
 * and a line number, never the line.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Fr2enError, errorMessage } from '../errors.js';

export async function readApiKeys(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Fr2enError(`${file}: cannot read the API key file (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`);
  }
  const keys: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (/\s/.test(line)) throw new Fr2enError(`${file}: line ${i + 1} holds white space; write one key per line`);
    keys.push(line);
  });
  if (keys.length === 0) throw new Fr2enError(`${file}: no API key in the file (one key per line)`);
  return keys;
}

/**
 * Checks a presented key against every accepted key, always all of them, comparing SHA-256
 * digests with `timingSafeEqual`: equal-length inputs, so neither a key's length nor how much of
 * it matched shows in the time taken.
 */
export class ApiKeyChecker {
  readonly #digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.#digests = keys.map(digest);
  }

  accepts(candidate: string | undefined): boolean {
    const presented = digest(candidate ?? '');
    let match = false;
    for (const known of this.#digests) match = timingSafeEqual(known, presented) || match;
    return candidate !== undefined && candidate !== '' && match;
  }
}

const digest = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();
