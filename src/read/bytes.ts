/**
 * Bytes -> text: encoding detection, strict decoding with byte offsets, binary detection and
 * newline normalization. Everything here works incrementally (`write` chunks, then `end`), so the
 * whole-file reader and the streaming reader share one code path.
 *
 * Detection (when no encoding is forced), in order:
 * 1. A BOM: EF BB BF -> UTF-8, FF FE -> UTF-16 LE, FE FF -> UTF-16 BE (the BOM is dropped).
 * 2. Binary sniffing on the first 8 KiB: a known magic number (PNG, JPEG, GIF, PDF, ZIP, gzip) or
 *    a NUL byte -> `InputError('binary')`.
 * 3. Pure ASCII reads the same in UTF-8 and Windows-1252, so no decision is needed until the
 *    first byte >= 0x80. There, a window of up to 64 KiB is checked as strict UTF-8:
 *    valid -> UTF-8; invalid -> Windows-1252, unless the bytes make that implausible (bytes
 *    Windows-1252 leaves undefined, C0 control characters, or more well-formed UTF-8 multi-byte
 *    sequences than invalid bytes: that is damaged UTF-8, not Latin text), in which case
 *    `InputError('decode')` at the first invalid byte.
 *    Latin-1 (ISO-8859-1) files are read as Windows-1252, as browsers do: the two differ only on
 *    0x80-0x9F, which are control characters in Latin-1 and never appear in real text.
 *
 * Limitation (streaming): the UTF-8 / Windows-1252 decision is taken on that 64 KiB window. A file
 * that is valid UTF-8 there and invalid later (mixed encodings) fails with a `decode` error at the
 * first invalid byte, pointing at `--encoding`.
 */
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import { UsageError } from '../errors.js';
import { InputError } from './errors.js';

/** How many leading bytes binary sniffing looks at. */
export const SNIFF_BYTES = 8 * 1024;
/** How many bytes from the first non-ASCII byte decide UTF-8 versus Windows-1252. */
export const DECIDE_WINDOW_BYTES = 64 * 1024;

/** Magic numbers of the binary formats most often dropped by mistake into a folder of texts. */
const BINARY_SIGNATURES: ReadonlyArray<{ kind: string; bytes: readonly number[] }> = [
  { kind: 'PNG image', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { kind: 'JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { kind: 'GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { kind: 'PDF document', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  // .docx, .odt, .epub and .xlsx are ZIP files too.
  { kind: 'ZIP archive (or .docx/.odt/.epub)', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { kind: 'ZIP archive', bytes: [0x50, 0x4b, 0x05, 0x06] },
  { kind: 'gzip archive', bytes: [0x1f, 0x8b, 0x08] },
];

/**
 * Says why `prefix` (the first bytes of a file) looks binary, or `undefined` if it does not.
 * `wide` skips the NUL test, for UTF-16/UTF-32 input where NUL bytes are normal.
 */
export function sniffBinary(prefix: Uint8Array, wide = false): string | undefined {
  for (const { kind, bytes } of BINARY_SIGNATURES) {
    if (prefix.length >= bytes.length && bytes.every((byte, i) => prefix[i] === byte)) return kind;
  }
  if (!wide) {
    const nul = prefix.subarray(0, SNIFF_BYTES).indexOf(0);
    if (nul >= 0) {
      const utf16 = looksLikeUtf16(prefix.subarray(0, SNIFF_BYTES));
      return utf16 ? `NUL byte at offset ${nul}; it looks like ${utf16.toUpperCase()} without a byte-order mark: pass --encoding ${utf16}` : `NUL byte at offset ${nul}`;
    }
  }
  return undefined;
}

/**
 * Text in UTF-16 without a byte-order mark: mostly Latin text, so most code units have one zero
 * byte, always on the same side (high byte for LE, low byte for BE), and few are all zero.
 */
function looksLikeUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const units = Math.floor(bytes.length / 2);
  if (units < 2) return undefined;
  let zeroHigh = 0;
  let zeroLow = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    if (bytes[i] === 0 && bytes[i + 1] === 0) return undefined; // U+0000 is not text
    if (bytes[i + 1] === 0) zeroHigh++;
    else if (bytes[i] === 0) zeroLow++;
  }
  if (zeroHigh >= units * 0.6 && zeroLow <= units * 0.02) return 'utf-16le';
  if (zeroLow >= units * 0.6 && zeroHigh <= units * 0.02) return 'utf-16be';
  return undefined;
}

export interface Utf8Scan {
  /** Offset of the first invalid byte, or -1. */
  firstInvalid: number;
  /** Where an incomplete sequence at the end starts (only when not `final`); else the length. */
  completeEnd: number;
  /** Well-formed multi-byte sequences seen. */
  multibyte: number;
  /** Invalid bytes (or ill-formed sequences) seen. */
  invalid: number;
}

/**
 * Validates UTF-8 as the WHATWG decoder does (no overlongs, no surrogates, nothing past
 * U+10FFFF). With `final` false, a sequence cut by the end of `bytes` is not an error: it is left
 * for the next chunk (`completeEnd`). With `stopAtFirst`, returns at the first invalid byte.
 */
export function scanUtf8(bytes: Uint8Array, final: boolean, stopAtFirst: boolean): Utf8Scan {
  const n = bytes.length;
  let firstInvalid = -1;
  let multibyte = 0;
  let invalid = 0;
  let i = 0;
  while (i < n) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) need = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      need = 2;
      if (lead === 0xe0) lo = 0xa0;
      else if (lead === 0xed) hi = 0x9f; // UTF-16 surrogates are not valid scalar values
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      need = 3;
      if (lead === 0xf0) lo = 0x90;
      else if (lead === 0xf4) hi = 0x8f; // nothing past U+10FFFF
    } else need = -1;

    let valid = need > 0;
    let consumed = 1;
    if (valid) {
      for (let j = 1; j <= need; j++) {
        if (i + j >= n) {
          if (!final) return { firstInvalid, completeEnd: i, multibyte, invalid };
          valid = false;
          break;
        }
        const byte = bytes[i + j];
        if (byte < (j === 1 ? lo : 0x80) || byte > (j === 1 ? hi : 0xbf)) {
          valid = false;
          break;
        }
        consumed = j + 1;
      }
    }
    if (valid) {
      multibyte++;
      i += need + 1;
    } else {
      if (firstInvalid < 0) firstInvalid = i;
      invalid++;
      if (stopAtFirst) return { firstInvalid, completeEnd: n, multibyte, invalid };
      // As WHATWG: the bytes that started a valid prefix are dropped, the offending one re-read.
      i += consumed;
    }
  }
  return { firstInvalid, completeEnd: n, multibyte, invalid };
}

/** Bytes Windows-1252 leaves undefined (WHATWG maps them to C1 controls). */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/**
 * Whether `bytes` (not valid UTF-8) plausibly are Windows-1252 text; if not, says why and where
 * (index in `bytes`).
 * C0 controls other than tab, LF, VT, FF, CR, SUB (a DOS end-of-file mark) and ESC are not text.
 */
export function cp1252Implausibility(bytes: Uint8Array, scan: Utf8Scan): { problem: string; at: number } | undefined {
  if (scan.multibyte > 0 && scan.multibyte >= scan.invalid) {
    return { problem: 'invalid UTF-8 (the rest of the file looks like UTF-8: damaged, or mixed encodings)', at: scan.firstInvalid };
  }
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (CP1252_UNDEFINED.has(b)) return { problem: `neither UTF-8 nor Windows-1252 (byte 0x${b.toString(16)})`, at: i };
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1a && b !== 0x1b) {
      return { problem: `neither UTF-8 nor Windows-1252 (control byte 0x${b.toString(16)})`, at: i };
    }
  }
  return undefined;
}

/** An encoding chosen by `--encoding`, resolved once. */
export interface ResolvedEncoding {
  /** Canonical name: `utf-8`, `utf-16le`, `windows-1252`, `shift_jis`, `utf32le`... */
  name: string;
  /** Which decoder reads it. */
  via: 'utf-8' | 'utf-16le' | 'utf-16be' | 'text-decoder' | 'iconv';
  /** UTF-16/UTF-32: NUL bytes are normal, so binary sniffing skips the NUL test. */
  wide: boolean;
  /** BOM bytes dropped when the input starts with them. */
  bom: readonly number[];
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;
const UTF16LE_BOM = [0xff, 0xfe] as const;
const UTF16BE_BOM = [0xfe, 0xff] as const;

/**
 * Resolves an `--encoding` label: any label the WHATWG TextDecoder knows (`latin1`, `cp1252`,
 * `utf8`, `utf-16be`, `iso-8859-15`, `shift_jis`...), else any iconv-lite knows (`utf32`,
 * `cp437`, `macroman`...). Throws UsageError for an unknown label.
 */
export function resolveEncoding(label: string): ResolvedEncoding {
  const trimmed = label.trim();
  let canonical: string | undefined;
  try {
    canonical = new TextDecoder(trimmed).encoding;
  } catch {
    canonical = undefined; // not a WHATWG label: iconv-lite may know it
  }
  if (canonical === 'utf-8') return { name: 'utf-8', via: 'utf-8', wide: false, bom: UTF8_BOM };
  if (canonical === 'utf-16le') return { name: 'utf-16le', via: 'utf-16le', wide: true, bom: UTF16LE_BOM };
  if (canonical === 'utf-16be') return { name: 'utf-16be', via: 'utf-16be', wide: true, bom: UTF16BE_BOM };
  if (canonical !== undefined) return { name: canonical, via: 'text-decoder', wide: false, bom: [] };
  if (trimmed !== '' && iconv.encodingExists(trimmed)) {
    const name = trimmed.toLowerCase();
    return { name, via: 'iconv', wide: /^(utf-?32|ucs-?4)/.test(name), bom: [] };
  }
  throw new UsageError(
    `Expected \`--encoding\` to be an encoding label such as utf-8, windows-1252, latin1, utf-16le, got ${JSON.stringify(label)}`,
  );
}

/** What the decoder settled on, known once the first bytes have been seen. */
export interface EncodingInfo {
  /** Canonical name (`utf-8`, `utf-16le`, `utf-16be`, `windows-1252`, or the forced one). */
  encoding: string;
  /** The input started with a byte order mark (dropped from the text). */
  bom: boolean;
  /** True when detected, false when forced with `--encoding`. */
  detected: boolean;
}

/** Incremental bytes -> text. `write` may return text for fewer bytes than given (held back). */
interface ChunkDecoder {
  write(bytes: Buffer): string;
  end(): string;
}

/** Strict UTF-8; throws `InputError('decode')` with the absolute offset of the first bad byte. */
class Utf8Decoder implements ChunkDecoder {
  #carry: Buffer = Buffer.alloc(0);
  /** Absolute offset of `#carry[0]` in the input. */
  #offset: number;
  constructor(
    readonly file: string,
    offset: number,
  ) {
    this.#offset = offset;
  }

  write(bytes: Buffer): string {
    const buf = this.#carry.length > 0 ? Buffer.concat([this.#carry, bytes]) : bytes;
    const scan = scanUtf8(buf, false, true);
    if (scan.firstInvalid >= 0) throw this.#error(this.#offset + scan.firstInvalid);
    const text = buf.toString('utf8', 0, scan.completeEnd);
    // Copy: a subarray would keep the whole read buffer alive.
    this.#carry = Buffer.from(buf.subarray(scan.completeEnd));
    this.#offset += scan.completeEnd;
    return text;
  }

  end(): string {
    if (this.#carry.length > 0) throw this.#error(this.#offset, 'UTF-8 sequence cut by the end of the file');
    return '';
  }

  #error(offset: number, problem = 'invalid UTF-8'): InputError {
    return new InputError('decode', this.file, `${problem}; if the file is not UTF-8, pass --encoding (for example windows-1252)`, { offset });
  }
}

/** Strict UTF-16 (LE or BE): an odd byte count or an unpaired surrogate is an error. */
class Utf16Decoder implements ChunkDecoder {
  #carry: Buffer = Buffer.alloc(0);
  #offset: number;
  constructor(
    readonly file: string,
    readonly bigEndian: boolean,
    offset: number,
  ) {
    this.#offset = offset;
  }

  write(bytes: Buffer): string {
    const buf = this.#carry.length > 0 ? Buffer.concat([this.#carry, bytes]) : bytes;
    let usable = buf.length - (buf.length % 2);
    let units: Buffer = buf.subarray(0, usable);
    if (this.bigEndian) units = Buffer.from(units).swap16();
    let text = units.toString('utf16le');
    // A high surrogate at the very end may be completed by the next chunk.
    const last = text.charCodeAt(text.length - 1);
    if (text.length > 0 && last >= 0xd800 && last <= 0xdbff) {
      text = text.slice(0, -1);
      usable -= 2;
    }
    const bad = firstLoneSurrogate(text);
    if (bad >= 0) throw this.#error(this.#offset + 2 * bad, 'unpaired UTF-16 surrogate');
    this.#carry = Buffer.from(buf.subarray(usable));
    this.#offset += usable;
    return text;
  }

  end(): string {
    if (this.#carry.length === 1) throw this.#error(this.#offset, 'odd number of bytes in UTF-16 input');
    if (this.#carry.length > 0) throw this.#error(this.#offset, 'unpaired UTF-16 surrogate at the end of the file');
    return '';
  }

  #error(offset: number, problem: string): InputError {
    return new InputError('decode', this.file, `${problem} (${this.bigEndian ? 'UTF-16 BE' : 'UTF-16 LE'})`, { offset });
  }
}

function firstLoneSurrogate(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

/**
 * Any other WHATWG encoding, fatal. TextDecoder does not say where it failed, so the error gives
 * the range of the chunk that failed instead of an exact offset.
 */
class WebDecoder implements ChunkDecoder {
  #decoder: TextDecoder;
  #offset: number;
  constructor(
    readonly file: string,
    readonly encoding: string,
    offset: number,
  ) {
    this.#decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
    this.#offset = offset;
  }

  write(bytes: Buffer): string {
    try {
      const text = this.#decoder.decode(bytes, { stream: true });
      this.#offset += bytes.length;
      return text;
    } catch (error) {
      throw new InputError('decode', this.file, `not valid ${this.encoding} in bytes ${this.#offset}-${this.#offset + bytes.length}`, { cause: error });
    }
  }

  end(): string {
    try {
      return this.#decoder.decode();
    } catch (error) {
      throw new InputError('decode', this.file, `${this.encoding} sequence cut by the end of the file`, { cause: error });
    }
  }
}

/** iconv-lite decoders never fail: unknown bytes become U+FFFD. */
class IconvDecoder implements ChunkDecoder {
  #decoder: iconv.DecoderStream;
  constructor(encoding: string) {
    this.#decoder = iconv.getDecoder(encoding, { stripBOM: true });
  }
  write(bytes: Buffer): string {
    return this.#decoder.write(bytes);
  }
  end(): string {
    return this.#decoder.end() ?? '';
  }
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.length > 0 && bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

function firstNonAscii(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return i;
  return -1;
}

export interface DecodeOptions {
  /** Name used in error messages. */
  file: string;
  /** A resolved `--encoding`; undefined = detect. */
  encoding?: ResolvedEncoding | undefined;
}

/**
 * Bytes in, decoded text out, chunk by chunk; detects (or applies) the encoding, refuses binary
 * input and reports undecodable bytes with their offset. Does not normalize newlines.
 */
export class InputDecoder {
  readonly #file: string;
  readonly #forced: ResolvedEncoding | undefined;
  #info: EncodingInfo | undefined;
  /** Bytes held while sniffing (first 8 KiB) or while deciding UTF-8 vs Windows-1252. */
  #pending: Buffer[] = [];
  #pendingLength = 0;
  /** Absolute offset of the first pending byte. */
  #offset = 0;
  #phase: 'sniff' | 'ascii' | 'decoding' = 'sniff';
  #decoder: ChunkDecoder | undefined;

  constructor(options: DecodeOptions) {
    this.#file = options.file;
    this.#forced = options.encoding;
  }

  /** The encoding in use, once known (after the first 8 KiB, or at `end`). */
  get info(): EncodingInfo | undefined {
    return this.#info;
  }

  write(chunk: Uint8Array): string {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.#phase === 'decoding') return this.#decoder!.write(bytes);
    this.#pending.push(bytes);
    this.#pendingLength += bytes.length;
    return this.#advance(false);
  }

  end(): string {
    let text = this.#phase === 'decoding' ? '' : this.#advance(true);
    if (this.#phase !== 'decoding') {
      // Empty or pure-ASCII input: nothing ever forced a decision.
      this.#info ??= { encoding: 'utf-8', bom: false, detected: true };
      return text;
    }
    text += this.#decoder!.end();
    return text;
  }

  #takePending(): Buffer {
    const all = this.#pending.length === 1 ? this.#pending[0] : Buffer.concat(this.#pending);
    this.#pending = [];
    this.#pendingLength = 0;
    return all;
  }

  #advance(final: boolean): string {
    if (this.#phase === 'sniff') {
      if (this.#pendingLength < SNIFF_BYTES && !final) return '';
      return this.#sniff(this.#takePending(), final);
    }
    // phase 'ascii'
    return this.#scanAscii(this.#takePending(), final);
  }

  #sniff(bytes: Buffer, final: boolean): string {
    const forced = this.#forced;
    if (forced !== undefined) {
      const bom = startsWith(bytes, forced.bom);
      const binary = sniffBinary(bytes, forced.wide);
      if (binary !== undefined) throw this.#binary(binary);
      this.#info = { encoding: forced.name, bom, detected: false };
      const skip = bom ? forced.bom.length : 0;
      return this.#startDecoding(forced, bytes.subarray(skip), skip);
    }
    for (const [bom, name] of [
      [UTF8_BOM, 'utf-8'],
      [UTF16LE_BOM, 'utf-16le'],
      [UTF16BE_BOM, 'utf-16be'],
    ] as const) {
      if (startsWith(bytes, bom)) {
        this.#info = { encoding: name, bom: true, detected: true };
        return this.#startDecoding(resolveEncoding(name), bytes.subarray(bom.length), bom.length);
      }
    }
    const binary = sniffBinary(bytes);
    if (binary !== undefined) throw this.#binary(binary);
    this.#phase = 'ascii';
    return this.#scanAscii(bytes, final);
  }

  /** Passes ASCII through; at the first non-ASCII byte, waits for a window, then decides. */
  #scanAscii(bytes: Buffer, final: boolean): string {
    const at = firstNonAscii(bytes);
    if (at < 0) {
      this.#offset += bytes.length;
      return bytes.toString('latin1'); // ASCII: identical in every candidate encoding
    }
    const ascii = bytes.toString('latin1', 0, at);
    const rest = bytes.subarray(at);
    this.#offset += at;
    if (rest.length < DECIDE_WINDOW_BYTES && !final) {
      this.#pending = [rest];
      this.#pendingLength = rest.length;
      return ascii;
    }
    const window = rest.subarray(0, DECIDE_WINDOW_BYTES);
    const scan = scanUtf8(window, final && window.length === rest.length, false);
    let encoding: ResolvedEncoding;
    if (scan.firstInvalid < 0) encoding = resolveEncoding('utf-8');
    else {
      const why = cp1252Implausibility(window, scan);
      if (why !== undefined) {
        throw new InputError('decode', this.#file, `${why.problem}; pass --encoding if you know it`, { offset: this.#offset + why.at });
      }
      encoding = resolveEncoding('windows-1252');
    }
    this.#info = { encoding: encoding.name, bom: false, detected: true };
    return ascii + this.#startDecoding(encoding, rest, this.#offset);
  }

  #startDecoding(encoding: ResolvedEncoding, bytes: Buffer, offset: number): string {
    this.#phase = 'decoding';
    this.#decoder =
      encoding.via === 'utf-8'
        ? new Utf8Decoder(this.#file, offset)
        : encoding.via === 'utf-16le' || encoding.via === 'utf-16be'
          ? new Utf16Decoder(this.#file, encoding.via === 'utf-16be', offset)
          : encoding.via === 'text-decoder'
            ? new WebDecoder(this.#file, encoding.name, offset)
            : new IconvDecoder(encoding.name);
    return bytes.length > 0 ? this.#decoder.write(bytes) : '';
  }

  #binary(kind: string): InputError {
    return new InputError('binary', this.#file, `binary file (${kind}), skipped`);
  }
}

/**
 * CRLF and lone CR -> LF, incrementally: a chunk ending in CR waits for the next one, which may
 * start with the LF of the same line end.
 */
export class NewlineNormalizer {
  #pendingCR = false;

  write(text: string): string {
    if (text.length === 0) return '';
    let input = this.#pendingCR ? `\r${text}` : text;
    this.#pendingCR = input.endsWith('\r');
    if (this.#pendingCR) input = input.slice(0, -1);
    return input.replace(/\r\n?/g, '\n');
  }

  end(): string {
    const out = this.#pendingCR ? '\n' : '';
    this.#pendingCR = false;
    return out;
  }
}

/** `\r\n` and lone `\r` -> `\n`. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

export interface DecodedText extends EncodingInfo {
  /** Decoded text, newlines normalized to `\n`, BOM dropped. */
  text: string;
}

/**
 * Decodes a whole input held in memory (a small file, stdin). Throws InputError (`binary`,
 * `decode`); `encoding` is a label already checked with `resolveEncoding`.
 */
export function decodeBytes(bytes: Uint8Array, options: DecodeOptions): DecodedText {
  const decoder = new InputDecoder(options);
  const raw = decoder.write(bytes) + decoder.end();
  return { text: normalizeNewlines(raw), ...decoder.info! };
}
