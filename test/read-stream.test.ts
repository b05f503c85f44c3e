import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ChunkReadOptions,
  type EncodingInfo,
  InputError,
  ParagraphChunker,
  readParagraphChunks,
  readTextFile,
  readTextStream,
  resolveEncoding,
  sha256File,
  type TextChunk,
} from '../src/read/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fr2en-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Feeds `bytes` in pieces of `size` bytes, to put every boundary inside some chunk edge. */
async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(source: string | AsyncIterable<Uint8Array>, options: ChunkReadOptions = {}): Promise<TextChunk[]> {
  const chunks: TextChunk[] = [];
  for await (const chunk of readParagraphChunks(source, options)) chunks.push(chunk);
  return chunks;
}

/** A blank-line run (see stream.ts): where chunks may end. */
const BLANK_RUN = /\n(?:[^\S\n]*\n)+/g;

/**
 * Chunks are contiguous and non-empty; each but the last ends after a blank line; one is longer
 * than maxChars only to hold a paragraph whole (its only blank line is then at its end).
 */
function checkContiguous(chunks: TextChunk[], maxChars: number): string {
  let offset = 0;
  chunks.forEach((chunk, i) => {
    expect(chunk.start).toBe(offset);
    expect(chunk.text.length).toBeGreaterThan(0);
    if (i < chunks.length - 1) expect(chunk.cut).toBe('paragraph');
    if (chunk.text.length > maxChars) {
      const runs = [...chunk.text.matchAll(BLANK_RUN)];
      expect(runs.length === 0 || (runs.length === 1 && runs[0].index + runs[0][0].length === chunk.text.length)).toBe(true);
    }
    offset += chunk.text.length;
  });
  return chunks.map((chunk) => chunk.text).join('');
}

const PARAGRAPHS = [
  'Le 14 juillet, la « fête nationale » célèbre la prise de la Bastille. Les élèves défilent.',
  'Ça coûte 5 € : c’est l’œuvre d’un naïf. 😀 Où est-il ?',
  'Chapitre 2\nUne ligne\nDeux lignes',
  'Dernier paragraphe, assez long pour dépasser la limite de découpage plusieurs fois de suite sans ligne vide.',
];
const TEXT = `${PARAGRAPHS.join('\n\n')}\n`;

describe('ParagraphChunker', () => {
  it('cuts after blank lines and keeps every character', () => {
    const chunker = new ParagraphChunker(100);
    const chunks = [...chunker.push(TEXT), ...chunker.end()];
    expect(checkContiguous(chunks, 100)).toBe(TEXT);
    expect(chunks[0].cut).toBe('paragraph');
    expect(chunks[0].text.endsWith('\n\n')).toBe(true);
    expect(chunks.at(-1)!.cut).toBe('end');
  });

  it('treats whitespace-only lines as blank', () => {
    const text = `${'a'.repeat(60)}\n  \t\n${'b'.repeat(60)}`;
    const chunker = new ParagraphChunker(100);
    const chunks = [...chunker.push(text), ...chunker.end()];
    expect(chunks[0]).toEqual({ text: `${'a'.repeat(60)}\n  \t\n`, start: 0, cut: 'paragraph' });
  });

  it('carries a paragraph longer than maxChars over whole, fed in small pieces', () => {
    const long = `${'mot '.repeat(300)}fin.\nsuite du même paragraphe ${'x'.repeat(200)}`;
    const text = `Court.\n\n${long}\n\nAprès.\n`;
    const chunker = new ParagraphChunker(64);
    const chunks: TextChunk[] = [];
    for (let i = 0; i < text.length; i += 5) chunks.push(...chunker.push(text.slice(i, i + 5)));
    chunks.push(...chunker.end());
    expect(checkContiguous(chunks, 64)).toBe(text);
    expect(chunks.map((c) => c.text)).toEqual(['Court.\n\n', `${long}\n\n`, 'Après.\n']);
  });

  it('holds 1 MB without a blank line as one chunk', () => {
    const chunker = new ParagraphChunker(1024);
    const line = `${'Une ligne de texte sans fin de paragraphe, '.repeat(2)}\n`;
    let chunks: TextChunk[] = [];
    let size = 0;
    while (size < 1_000_000) {
      chunks = chunks.concat(chunker.push(line));
      size += line.length;
    }
    chunks = chunks.concat(chunker.end());
    expect(chunks).toHaveLength(1);
    expect(chunks[0].text.length).toBe(size);
  });

  it('rejects a tiny or invalid maxChars', () => {
    expect(() => new ParagraphChunker(10)).toThrow(/maxChars/);
    expect(() => new ParagraphChunker(1.5 as number)).toThrow(TypeError);
  });
});

describe('readParagraphChunks', () => {
  const encodings: Array<[string, Buffer, string]> = [
    ['utf-8', Buffer.from(TEXT.replaceAll('\n', '\r\n'), 'utf8'), 'utf-8'],
    ['utf-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]), 'utf-8'],
    ['utf-16le', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT.replaceAll('\n', '\r'), 'utf16le')]), 'utf-16le'],
    ['utf-16be', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(TEXT, 'utf16le').swap16()]), 'utf-16be'],
  ];
  for (const [label, bytes, encoding] of encodings) {
    for (const size of [1, 3, 7, 64 * 1024]) {
      it(`streams ${label} fed ${size} byte(s) at a time to the same text as readTextFile`, async () => {
        let info: EncodingInfo | undefined;
        const chunks = await collect(pieces(bytes, size), { maxChars: 64, onEncoding: (i) => (info = i) });
        expect(checkContiguous(chunks, 64)).toBe(TEXT);
        expect(info?.encoding).toBe(encoding);
      });
    }
  }

  it('streams Windows-1252 (no emoji there) split at every byte', async () => {
    const text = TEXT.replace(' 😀', '');
    const chunks = await collect(pieces(iconv.encode(text.replaceAll('\n', '\r\n'), 'windows-1252'), 1), { maxChars: 64 });
    expect(checkContiguous(chunks, 64)).toBe(text);
  });

  it('matches readTextFile on a file, including offsets', async () => {
    const file = path.join(dir, 'doc.txt');
    writeFileSync(file, iconv.encode(TEXT.replace(' 😀', '').repeat(50), 'windows-1252'));
    const whole = await readTextFile(file);
    const chunks = await collect(file, { maxChars: 256 });
    expect(checkContiguous(chunks, 256)).toBe(whole.text);
    for (const chunk of chunks) expect(whole.text.slice(chunk.start, chunk.start + chunk.text.length)).toBe(chunk.text);
    expect(await sha256File(file)).toBe(whole.sha256);
  });

  it('reads standard input whole with readTextStream', async () => {
    const bytes = iconv.encode('Été\r\nà Noël', 'windows-1252');
    expect(await readTextStream(pieces(bytes, 2))).toMatchObject({ file: '-', text: 'Été\nà Noël', encoding: 'windows-1252', bytes: bytes.length });
  });

  it('yields nothing for an empty file', async () => {
    const file = path.join(dir, 'empty.txt');
    writeFileSync(file, '');
    expect(await collect(file)).toEqual([]);
  });

  it('throws InputError for binary, missing and undecodable input', async () => {
    const png = path.join(dir, 'x.png');
    writeFileSync(png, Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    await expect(collect(png)).rejects.toMatchObject({ reason: 'binary' });
    await expect(collect(path.join(dir, 'missing.txt'))).rejects.toMatchObject({ reason: 'not-found' });
    const bad = Buffer.concat([Buffer.from('a'.repeat(100_000)), Buffer.from([0xff])]);
    const error = await collect(pieces(bad, 4096), { encoding: resolveEncoding('utf-8'), file: 'stdin' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ reason: 'decode', offset: 100_000, file: 'stdin' });
  });

  it('reports a mixed-encoding file past the detection window at the exact offset', async () => {
    const utf8 = Buffer.from('é'.repeat(40_000), 'utf8'); // 80 KB of valid UTF-8: decided as UTF-8
    const bytes = Buffer.concat([utf8, iconv.encode(' été', 'windows-1252')]);
    const error = await collect(pieces(bytes, 5000)).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'decode', offset: utf8.length + 1 });
  });
});

const run = promisify(execFile);

describe('a 50 MB file', () => {
  it('streams with flat memory (peak RSS < 150 MB above baseline)', async () => {
    const file = path.join(dir, 'big.txt');
    const hash = createHash('sha256');
    const paragraph = `${'Le gouvernement a annoncé une série de mesures pour les agriculteurs touchés par la sécheresse, « dès cet été ». '.repeat(6)}`;
    const fd = openSync(file, 'w');
    let bytes = 0;
    let chars = 0;
    let n = 0;
    while (bytes < 50 * 1024 * 1024) {
      let block = '';
      for (let i = 0; i < 200; i++, n++) block += `§${n}. ${paragraph}\r\n\r\n`;
      const encoded = Buffer.from(block, 'utf8');
      writeSync(fd, encoded);
      bytes += encoded.length;
      const normalized = block.replaceAll('\r\n', '\n');
      hash.update(normalized);
      chars += normalized.length;
    }
    closeSync(fd);

    const script = path.join(dir, 'child.mts');
    writeFileSync(
      script,
      `import { createHash } from 'node:crypto';
import { readParagraphChunks } from ${JSON.stringify(path.join(ROOT, 'src/read/stream.ts'))};
globalThis.gc?.();
const base = process.memoryUsage().rss;
let peak = base;
const sample = () => { peak = Math.max(peak, process.memoryUsage().rss); };
const timer = setInterval(sample, 10);
const hash = createHash('sha256');
let chars = 0, chunks = 0, maxChunk = 0, next = 0, contiguous = true;
const started = Date.now();
for await (const chunk of readParagraphChunks(process.argv[2])) {
  if (chunk.start !== next) contiguous = false;
  next = chunk.start + chunk.text.length;
  hash.update(chunk.text);
  chars += chunk.text.length;
  chunks++;
  maxChunk = Math.max(maxChunk, chunk.text.length);
  if (chunks % 50 === 0) sample();
}
clearInterval(timer);
sample();
console.log(JSON.stringify({ base, peak, maxRss: process.resourceUsage().maxRSS * 1024, chars, chunks, maxChunk, contiguous, sha256: hash.digest('hex'), ms: Date.now() - started }));
`,
    );
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, file], { cwd: ROOT, maxBuffer: 1 << 20 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      base: number;
      peak: number;
      maxRss: number;
      chars: number;
      chunks: number;
      maxChunk: number;
      contiguous: boolean;
      sha256: string;
      ms: number;
    };
    const mb = (value: number): number => Math.round(value / 1024 / 1024);
    console.log(
      `50 MB stream: baseline RSS ${mb(result.base)} MB, peak sampled ${mb(result.peak)} MB (+${mb(result.peak - result.base)}), ` +
        `maxRSS ${mb(result.maxRss)} MB (+${mb(result.maxRss - result.base)}), ${result.chunks} chunks, ${result.ms} ms`,
    );
    expect(result.contiguous).toBe(true);
    expect(result.chars).toBe(chars);
    expect(result.sha256).toBe(hash.digest('hex'));
    expect(result.maxChunk).toBeLessThanOrEqual(64 * 1024);
    expect(result.peak - result.base).toBeLessThan(150 * 1024 * 1024);
    expect(result.maxRss - result.base).toBeLessThan(150 * 1024 * 1024);
  });
});
