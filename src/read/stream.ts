/**
 * Reading inputs: whole (`readTextFile`, `readTextStream`) for ordinary files, or block by block
 * (`readParagraphChunks`) with flat memory for big ones. Both decode through `InputDecoder`, so
 * detection, errors and newline normalization are the same.
 */
import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { type DecodedText, type EncodingInfo, type ResolvedEncoding, decodeBytes, InputDecoder, NewlineNormalizer } from './bytes.js';
import { InputError, inputErrorFromFs } from './errors.js';

/** Bytes read per system call when streaming. */
const READ_BYTES = 64 * 1024;
/**
 * The size a chunk is cut at, in UTF-16 code units: a few dozen paragraphs, ~64-128 KiB. A
 * paragraph longer than this is never cut: the chunk grows to hold it whole.
 */
export const DEFAULT_MAX_CHUNK_CHARS = 64 * 1024;
const MIN_CHUNK_CHARS = 64;

/** Where a chunk ends: after a blank line (`paragraph`), or at the end of the input (`end`). */
export type ChunkCut = 'paragraph' | 'end';

export interface TextChunk {
  /** Normalized text (`\n` only). Concatenating every chunk's text gives the whole document. */
  text: string;
  /** Offset of `text[0]` in the document's normalized text (UTF-16 code units). */
  start: number;
  cut: ChunkCut;
}

/** A blank line: a newline, then one or more lines holding only spaces or tabs. */
const BLANK_LINES = /\n(?:[^\S\n]*\n)+/g;

/**
 * Cuts a growing text into chunks at paragraph boundaries (after the last blank line once more
 * than `maxChars` are buffered), so that each chunk segments exactly as it would inside the whole
 * document. A chunk keeps its trailing blank lines, so no character is lost or moved. A paragraph
 * longer than `maxChars` is carried over until its blank line: memory is bounded by the longest
 * paragraph, not by the input. Pure; used by `readParagraphChunks` and usable on strings.
 */
export class ParagraphChunker {
  readonly maxChars: number;
  #buffer = '';
  #start = 0;
  /** Where the search for a blank line resumes: text before it holds none that can end a chunk. */
  #scanFrom = 0;

  constructor(maxChars: number = DEFAULT_MAX_CHUNK_CHARS) {
    if (!Number.isSafeInteger(maxChars) || maxChars < MIN_CHUNK_CHARS) {
      throw new TypeError(`Expected \`maxChars\` to be an integer >= ${MIN_CHUNK_CHARS}, got ${maxChars}`);
    }
    this.maxChars = maxChars;
  }

  push(text: string): TextChunk[] {
    this.#buffer += text;
    const chunks: TextChunk[] = [];
    // Strictly greater: with exactly maxChars buffered, the next text may still extend the
    // paragraph, and cutting early would not gain anything.
    while (this.#buffer.length > this.maxChars) {
      const chunk = this.#cut();
      if (chunk === undefined) break;
      chunks.push(chunk);
    }
    return chunks;
  }

  end(): TextChunk[] {
    if (this.#buffer.length === 0) return [];
    const chunk: TextChunk = { text: this.#buffer, start: this.#start, cut: 'end' };
    this.#start += this.#buffer.length;
    this.#buffer = '';
    this.#scanFrom = 0;
    return [chunk];
  }

  /**
   * Cuts after the last complete blank-line run that the next text cannot extend, within the
   * first maxChars when there is one there, else as early as one appears.
   */
  #cut(): TextChunk | undefined {
    let at = 0;
    BLANK_LINES.lastIndex = this.#scanFrom;
    for (let match = BLANK_LINES.exec(this.#buffer); match !== null; match = BLANK_LINES.exec(this.#buffer)) {
      const end = match.index + match[0].length;
      // A run touching the end of the buffer may go on in the next text: not complete yet.
      if (end >= this.#buffer.length) break;
      if (at > 0 && end > this.maxChars) break;
      at = end;
    }
    if (at === 0) {
      // No cut yet: the paragraph goes on. Resume the search near the end (a blank-line run may
      // start in the text already seen: back up past trailing spaces and newlines).
      this.#scanFrom = this.#buffer.trimEnd().length;
      return undefined;
    }
    const chunk: TextChunk = { text: this.#buffer.slice(0, at), start: this.#start, cut: 'paragraph' };
    this.#buffer = this.#buffer.slice(at);
    this.#start += at;
    this.#scanFrom = 0;
    return chunk;
  }
}

export interface ReadOptions {
  /** Name used in error messages; defaults to the path (or `-` for a stream). */
  file?: string;
  /** The encoding from `--encoding`, resolved once with `resolveEncoding`; undefined = detect. */
  encoding?: ResolvedEncoding | undefined;
}

export interface ChunkReadOptions extends ReadOptions {
  /** Upper bound of a chunk in UTF-16 code units. @default 65536 */
  maxChars?: number;
  /** Called once, as soon as the encoding is known (before the first chunk). */
  onEncoding?: (info: EncodingInfo) => void;
}

/** A whole decoded input. */
export interface TextFile extends DecodedText {
  file: string;
  /** Size of the raw input in bytes. */
  bytes: number;
  /** sha256 (hex) of the raw bytes: the key of the "output up to date" record. */
  sha256: string;
}

/**
 * Reads and decodes a whole file. Throws InputError: `not-found`, `unreadable`, `binary`, `decode`.
 * Meant for ordinary files; use `readParagraphChunks` for big ones.
 */
export async function readTextFile(path: string, options: ReadOptions = {}): Promise<TextFile> {
  const file = options.file ?? path;
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw inputErrorFromFs(file, error);
  }
  return decodeWhole(bytes, file, options.encoding);
}

/** Reads and decodes a whole stream (stdin: pass `process.stdin`). Same errors as readTextFile. */
export async function readTextStream(source: AsyncIterable<Uint8Array>, options: ReadOptions = {}): Promise<TextFile> {
  const file = options.file ?? '-';
  const parts: Uint8Array[] = [];
  try {
    for await (const part of source) parts.push(part);
  } catch (error) {
    throw inputErrorFromFs(file, error);
  }
  return decodeWhole(Buffer.concat(parts), file, options.encoding);
}

function decodeWhole(bytes: Buffer, file: string, encoding: ResolvedEncoding | undefined): TextFile {
  const decoded = decodeBytes(bytes, { file, encoding });
  return { file, ...decoded, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** sha256 (hex) of a file's bytes, streamed: lets a rerun skip a big file before reading it. */
export async function sha256File(path: string, file: string = path): Promise<string> {
  const hash = createHash('sha256');
  for await (const bytes of readBytes(path, file)) hash.update(bytes);
  return hash.digest('hex');
}

async function* readBytes(path: string, file: string): AsyncGenerator<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
    const stat = await handle.stat();
    if (!stat.isFile()) throw new InputError('unreadable', file, stat.isDirectory() ? 'is a folder' : 'not a regular file');
  } catch (error) {
    await handle?.close();
    throw inputErrorFromFs(file, error);
  }
  try {
    for (;;) {
      let bytesRead: number;
      // A fresh buffer per read: decoders may hold on to the previous one until the next call.
      const buffer = Buffer.allocUnsafe(READ_BYTES);
      try {
        ({ bytesRead } = await handle.read(buffer, 0, READ_BYTES, null));
      } catch (error) {
        throw inputErrorFromFs(file, error);
      }
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Streams an input (a path, or a byte stream such as stdin) as chunks of normalized text cut at
 * blank lines, each at most `maxChars` long, with their offset in the normalized text. Memory
 * stays flat whatever the file size: one read buffer, the decoder's carry and one chunk window.
 *
 * The encoding is detected from the first bytes (see decode.ts); errors (InputError `binary`,
 * `decode`, `not-found`, `unreadable`) are thrown from the iteration, possibly after some chunks
 * have been yielded (a decode error late in the file).
 */
export async function* readParagraphChunks(
  source: string | AsyncIterable<Uint8Array>,
  options: ChunkReadOptions = {},
): AsyncGenerator<TextChunk, void, undefined> {
  const file = options.file ?? (typeof source === 'string' ? source : '-');
  const chunker = new ParagraphChunker(options.maxChars);
  const decoder = new InputDecoder({ file, encoding: options.encoding });
  const newlines = new NewlineNormalizer();
  let reported = false;
  const report = (): void => {
    if (!reported && decoder.info !== undefined) {
      reported = true;
      options.onEncoding?.(decoder.info);
    }
  };
  const bytes = typeof source === 'string' ? readBytes(source, file) : guardStream(source, file);
  for await (const part of bytes) {
    const text = newlines.write(decoder.write(part));
    report();
    if (text.length > 0) yield* chunker.push(text);
  }
  const tail = newlines.write(decoder.end()) + newlines.end();
  report();
  yield* chunker.push(tail);
  yield* chunker.end();
}

async function* guardStream(source: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<Uint8Array> {
  try {
    yield* source;
  } catch (error) {
    throw inputErrorFromFs(file, error);
  }
}
