/**
 * Reading fr2en's bilingual outputs back: JSONL, TSV, TMX, XLIFF 2.0, and plain text (one segment
 * per line, sacreBLEU's convention). `fr2en score`, `check` and `compare` read their inputs here.
 *
 *     const pairs = await readPairs('out/article.fr-en.jsonl');   // PairRecord[], in file order
 *     const english = pairs.map((pair) => pair.target);
 *
 * The format comes from the extension (`.jsonl`, `.tsv`, `.tmx`, `.xlf`/`.xliff`, anything else
 * is text) unless `format` says otherwise. Bytes are decoded as every fr2en input is (BOM, UTF-8,
 * else Windows-1252; newlines normalized to `\n`: see decode.ts). Problems with the content throw
 * PairsError, whose message names the file and the line: `out/a.fr-en.jsonl:12: not JSON (...)`.
 */
import { Fr2enError } from '../errors.js';
import { unescapeTsvField } from '../write/escape.js';
import type { ResolvedEncoding } from './bytes.js';
import { parseTmx, parseXliff } from './pairs-xml.js';
import { readTextFile } from './stream.js';

/** One segment of a bilingual (or, for text, monolingual) file. */
export interface PairRecord {
  /**
   * The pair's id: JSONL `id`, TMX `tuid`, XLIFF segment `id`; else a position: the 1-based line
   * (text, TSV, JSONL without id), the 1-based `tu` (TMX), `<unit id>/<n>` (XLIFF).
   */
  id: string;
  /** The French side; absent for text files and TMX units without a French tuv. */
  source?: string;
  /** The English side ('' for an XLIFF segment without a target, such as a `failed` pair). */
  target: string;
  /** fr2en's flags (`failed`, `verbatim`, ...), where the format records them (JSONL, TMX, XLIFF). */
  flags?: string[];
  /** Quality findings, where the format records them (JSONL `qa`, TMX props, XLIFF notes). */
  qa?: Array<{ check: string; message: string }>;
  /** JSONL `confidence`, when present. */
  confidence?: number;
}

export const PAIR_FORMATS = ['jsonl', 'tsv', 'tmx', 'xliff', 'text'] as const;
export type PairFormat = (typeof PAIR_FORMATS)[number];

export function isPairFormat(name: string): name is PairFormat {
  return (PAIR_FORMATS as readonly string[]).includes(name);
}

/** A file whose content is not what its format requires. `line` is 1-based, when known. */
export class PairsError extends Fr2enError {
  override readonly name = 'PairsError';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${problem}`, options);
  }
}

const EXTENSIONS: ReadonlyArray<readonly [suffix: string, format: PairFormat]> = [
  ['.jsonl', 'jsonl'],
  ['.tsv', 'tsv'],
  ['.tmx', 'tmx'],
  ['.xlf', 'xliff'],
  ['.xliff', 'xliff'],
];

/** The format a path's extension implies (case-insensitive); `text` for any other. */
export function pairFormatOf(path: string): PairFormat {
  const lower = path.toLowerCase();
  return EXTENSIONS.find(([suffix]) => lower.endsWith(suffix))?.[1] ?? 'text';
}

export interface ReadPairsOptions {
  /** Overrides the format the extension implies. */
  readonly format?: PairFormat;
  /** The name used in error messages; defaults to the path. */
  readonly file?: string;
  /** From `resolveEncoding(--encoding)`; undefined = detect. */
  readonly encoding?: ResolvedEncoding;
}

/**
 * Reads a whole file as records, in file order. Throws InputError (missing, unreadable, binary,
 * undecodable) or PairsError (content).
 */
export async function readPairs(path: string, options: ReadPairsOptions = {}): Promise<PairRecord[]> {
  const file = options.file ?? path;
  const { text } = await readTextFile(path, { file, encoding: options.encoding });
  return parsePairs(text, options.format ?? pairFormatOf(path), file);
}

/** Parses decoded text (newlines `\n`) in `format`; `file` names it in error messages. */
export function parsePairs(text: string, format: PairFormat, file: string): PairRecord[] {
  switch (format) {
    case 'text':
      return lines(text).map((line, i) => ({ id: String(i + 1), target: line }));
    case 'tsv':
      return lines(text).map((line, i) => parseTsvLine(line, file, i + 1));
    case 'jsonl':
      return parseJsonl(text, file);
    case 'tmx':
      return parseTmx(text, (line, problem) => new PairsError(file, line, problem));
    case 'xliff':
      return parseXliff(text, (line, problem) => new PairsError(file, line, problem));
  }
}

/** Lines as Python iterates a file: a final newline does not start another (empty) line. */
function lines(text: string): string[] {
  if (text === '') return [];
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all;
}

function parseTsvLine(line: string, file: string, number: number): PairRecord {
  const fields = line.split('\t');
  if (fields.length !== 2) {
    throw new PairsError(file, number, `expected 2 tab-separated fields (source, target), found ${fields.length}`);
  }
  return { id: String(number), source: unescapeTsvField(fields[0]), target: unescapeTsvField(fields[1]) };
}

function parseJsonl(text: string, file: string): PairRecord[] {
  const records: PairRecord[] = [];
  lines(text).forEach((line, i) => {
    const number = i + 1;
    if (line.trim() === '') return; // blank lines carry no record
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new PairsError(file, number, `not JSON (${(error as Error).message})`, { cause: error });
    }
    records.push(jsonlRecord(value, (problem) => new PairsError(file, number, problem), number));
  });
  return records;
}

function jsonlRecord(value: unknown, fail: (problem: string) => PairsError, number: number): PairRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('expected a JSON object per line');
  const fields = value as Record<string, unknown>;
  const { id, source, target, flags, qa, confidence } = fields;
  if (typeof target !== 'string') throw fail('no "target" string');
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') throw fail('"id" is neither a string nor a number');
  if (source !== undefined && typeof source !== 'string') throw fail('"source" is not a string');
  const record: PairRecord = { id: id === undefined ? String(number) : String(id), target };
  if (source !== undefined) record.source = source;
  if (flags !== undefined) {
    if (!Array.isArray(flags) || !flags.every((flag) => typeof flag === 'string')) throw fail('"flags" is not an array of strings');
    record.flags = flags;
  }
  if (qa !== undefined) {
    const valid =
      Array.isArray(qa) &&
      qa.every((finding) => typeof finding === 'object' && finding !== null && typeof finding.check === 'string' && typeof finding.message === 'string');
    if (!valid) throw fail('"qa" is not an array of {check, message} objects');
    record.qa = (qa as Array<{ check: string; message: string }>).map(({ check, message }) => ({ check, message }));
  }
  if (confidence !== undefined) {
    if (typeof confidence !== 'number') throw fail('"confidence" is not a number');
    record.confidence = confidence;
  }
  return record;
}
