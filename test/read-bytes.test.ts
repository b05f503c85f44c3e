import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { scanUtf8 } from '../src/read/bytes.js';
import { InputError, readTextFile, resolveEncoding } from '../src/read/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fr2en-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FRENCH = 'Élève à l’école : « ça coûte 5 € », dit-il. Œuvre, cœur, naïf, où ?';

function write(name: string, bytes: Uint8Array | string): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

async function readError(file: string, encoding?: string): Promise<InputError> {
  try {
    await readTextFile(file, { encoding: encoding === undefined ? undefined : resolveEncoding(encoding) });
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`${file} was read without error`);
}

describe('encoding detection', () => {
  it('reads UTF-8 without BOM', async () => {
    const result = await readTextFile(write('utf8.txt', Buffer.from(FRENCH, 'utf8')));
    expect(result).toMatchObject({ text: FRENCH, encoding: 'utf-8', bom: false, detected: true });
  });

  it('reads UTF-8 with BOM and drops the BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(FRENCH, 'utf8')]);
    const result = await readTextFile(write('utf8bom.txt', bytes));
    expect(result).toMatchObject({ text: FRENCH, encoding: 'utf-8', bom: true });
    expect(result.text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('reads UTF-16 LE with BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${FRENCH} 😀`, 'utf16le')]);
    const result = await readTextFile(write('utf16le.txt', bytes));
    expect(result).toMatchObject({ text: `${FRENCH} 😀`, encoding: 'utf-16le', bom: true });
  });

  it('reads UTF-16 BE with BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(`${FRENCH} 😀`, 'utf16le').swap16()]);
    const result = await readTextFile(write('utf16be.txt', bytes));
    expect(result).toMatchObject({ text: `${FRENCH} 😀`, encoding: 'utf-16be', bom: true });
  });

  it('reads Windows-1252 (é à ç œ € ’ « ») when the bytes are not UTF-8', async () => {
    const bytes = iconv.encode(FRENCH, 'windows-1252');
    expect(bytes.includes(0x80)).toBe(true); // € really is the cp1252 byte
    expect(bytes.includes(0x9c)).toBe(true); // œ
    expect(bytes.includes(0x92)).toBe(true); // ’
    const result = await readTextFile(write('cp1252.txt', bytes));
    expect(result).toMatchObject({ text: FRENCH, encoding: 'windows-1252', bom: false, detected: true });
  });

  it('reads Latin-1 text (no 0x80-0x9F bytes) as Windows-1252, losslessly', async () => {
    const latin = 'Le garçon était à Noël chez sa sœur'.replace('œ', 'oe');
    const result = await readTextFile(write('latin1.txt', iconv.encode(latin, 'latin1')));
    expect(result.text).toBe(latin);
  });

  it('decides on a window after a long ASCII prefix', async () => {
    const prefix = 'abc def\n'.repeat(20_000); // 160 KB of ASCII before the first accent
    const result = await readTextFile(write('late.txt', iconv.encode(`${prefix}${FRENCH}`, 'windows-1252')));
    expect(result.encoding).toBe('windows-1252');
    expect(result.text.endsWith(FRENCH)).toBe(true);
  });

  it('treats pure ASCII and empty files as UTF-8', async () => {
    expect(await readTextFile(write('ascii.txt', 'Bonjour\n'))).toMatchObject({ text: 'Bonjour\n', encoding: 'utf-8' });
    expect(await readTextFile(write('empty.txt', ''))).toMatchObject({ text: '', encoding: 'utf-8', bytes: 0 });
  });

  it('returns the sha256 and size of the raw bytes', async () => {
    const result = await readTextFile(write('hash.txt', 'abc'));
    expect(result.bytes).toBe(3);
    expect(result.sha256).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('newlines', () => {
  it('normalizes CRLF and lone CR to LF', async () => {
    const result = await readTextFile(write('crlf.txt', 'un\r\ndeux\rtrois\n\r\nquatre\r'));
    expect(result.text).toBe('un\ndeux\ntrois\n\nquatre\n');
  });

  it('normalizes CRLF in UTF-16 too', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\r\nb\rc', 'utf16le')]);
    expect((await readTextFile(write('crlf16.txt', bytes))).text).toBe('a\nb\nc');
  });
});

describe('--encoding', () => {
  it('accepts WHATWG and iconv-lite labels and canonicalizes them', () => {
    expect(resolveEncoding('latin1').name).toBe('windows-1252');
    expect(resolveEncoding('UTF8').name).toBe('utf-8');
    expect(resolveEncoding('utf-16be').name).toBe('utf-16be');
    expect(resolveEncoding('iso-8859-15').name).toBe('iso-8859-15');
    expect(resolveEncoding('cp437').via).toBe('iconv');
  });

  it('rejects an unknown label with a usage error naming the option', () => {
    expect(() => resolveEncoding('klingon-8')).toThrow(UsageError);
    expect(() => resolveEncoding('klingon-8')).toThrow(/--encoding.*klingon-8/);
    expect(() => resolveEncoding('')).toThrow(UsageError);
  });

  it('forces ISO-8859-15 (€ is 0xA4 there)', async () => {
    const file = write('latin9.txt', iconv.encode('Prix : 5 € et un cœur', 'iso-8859-15'));
    const result = await readTextFile(file, { encoding: resolveEncoding('iso-8859-15') });
    expect(result).toMatchObject({ text: 'Prix : 5 € et un cœur', encoding: 'iso-8859-15', detected: false });
  });

  it('reports invalid UTF-8 with the byte offset when UTF-8 is forced', async () => {
    const bytes = Buffer.concat([Buffer.from('Bonjour, '), iconv.encode('été', 'windows-1252')]);
    const error = await readError(write('forced-utf8.txt', bytes), 'utf-8');
    expect(error.reason).toBe('decode');
    expect(error.offset).toBe(9);
    expect(error.message).toMatch(/forced-utf8\.txt: invalid UTF-8.*--encoding.*\(byte 9\)$/);
  });

  it('reports a UTF-8 sequence cut by the end of the file', async () => {
    const bytes = Buffer.concat([Buffer.from('abc'), Buffer.from('é', 'utf8').subarray(0, 1)]);
    const error = await readError(write('cut-utf8.txt', bytes), 'utf-8');
    expect(error).toMatchObject({ reason: 'decode', offset: 3 });
  });
});

describe('undecodable input', () => {
  it('reports an unpaired surrogate in UTF-16 with its offset', async () => {
    const units = Buffer.from('ab', 'utf16le');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), units, Buffer.from([0x00, 0xdc]), Buffer.from('c', 'utf16le')]);
    const error = await readError(write('bad16.txt', bytes));
    expect(error).toMatchObject({ reason: 'decode', offset: 6 });
    expect(error.message).toMatch(/unpaired UTF-16 surrogate/);
  });

  it('reports an odd byte count in UTF-16', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ab', 'utf16le'), Buffer.from([0x41])]);
    expect(await readError(write('odd16.txt', bytes))).toMatchObject({ reason: 'decode', offset: 6 });
  });

  it('calls mostly-UTF-8 text with one bad byte damaged, not Windows-1252', async () => {
    const good = Buffer.from('Élève, école, été, où, déjà. ', 'utf8');
    const bytes = Buffer.concat([good, Buffer.from([0xe9, 0x20]), good]);
    const error = await readError(write('damaged.txt', bytes));
    expect(error).toMatchObject({ reason: 'decode', offset: good.length });
    expect(error.message).toMatch(/looks like UTF-8/);
  });

  it('refuses bytes Windows-1252 leaves undefined', async () => {
    const error = await readError(write('undefined1252.txt', Buffer.from([0x61, 0x62, 0x63, 0xe9, 0x81, 0x62])));
    expect(error).toMatchObject({ reason: 'decode', offset: 4 });
    expect(error.message).toMatch(/neither UTF-8 nor Windows-1252/);
  });
});

describe('binary files', () => {
  const cases: Array<[string, number[], RegExp]> = [
    ['image.png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], /PNG/],
    ['photo.jpg', [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46], /JPEG/],
    ['doc.pdf', [...Buffer.from('%PDF-1.7\n%âãÏÓ\n')], /PDF/],
    ['doc.docx', [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00], /ZIP/],
    ['data.bin', [...Buffer.from('Bonjour'), 0x00, 0x01, 0x02], /NUL byte at offset 7/],
  ];
  for (const [name, bytes, kind] of cases) {
    it(`skips ${name} with a message`, async () => {
      const error = await readError(write(name, Uint8Array.from(bytes)));
      expect(error.reason).toBe('binary');
      expect(error.message).toMatch(new RegExp(`/${name.replace('.', '\\.')}: binary file \\(.*\\), skipped$`));
      expect(error.message).toMatch(kind);
    });
  }

  it('does not call UTF-16 text binary for its NUL bytes', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Bonjour', 'utf16le')]);
    expect((await readTextFile(write('nul16.txt', bytes))).text).toBe('Bonjour');
  });

  it('accepts NUL bytes when UTF-16 is forced without a BOM', async () => {
    const file = write('nobom16.txt', Buffer.from('Bonjour', 'utf16le'));
    expect((await readTextFile(file, { encoding: resolveEncoding('utf-16le') })).text).toBe('Bonjour');
  });
});

describe('file system errors', () => {
  it('reports a missing file', async () => {
    const error = await readError(path.join(dir, 'nope.txt'));
    expect(error.reason).toBe('not-found');
    expect(error.message).toMatch(/nope\.txt: no such file or folder$/);
  });

  it('reports a folder given as a file', async () => {
    const error = await readError(dir);
    expect(error.reason).toBe('unreadable');
  });
});

describe('UTF-8 validation matches the WHATWG decoder', () => {
  it('finds the same first error as TextDecoder on tricky sequences', () => {
    const cases = [
      [0xc0, 0x80], // overlong
      [0xe0, 0x80, 0x80], // overlong
      [0xed, 0xa0, 0x80], // surrogate
      [0xf4, 0x90, 0x80, 0x80], // > U+10FFFF
      [0xf5],
      [0x61, 0xe2, 0x82], // truncated
      [0xe2, 0x82, 0xac], // valid €
      [0xf0, 0x9f, 0x98, 0x80], // valid emoji
    ];
    for (const bytes of cases) {
      const array = Uint8Array.from(bytes);
      let valid = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(array);
      } catch {
        valid = false;
      }
      expect(scanUtf8(array, true, true).firstInvalid < 0, JSON.stringify(bytes)).toBe(valid);
    }
  });
});
