/**
 * `fr2en compare A B [C ...] [--ref REF] [--source FR.txt] [-o DIR] [--format ...]`: English
 * versions of the same French text side by side, pair by pair, with their word differences and
 * scores (src/compare/). Into a folder it writes `compare.<format>` files and prints the summary;
 * without `-o` (or with `-o -`) it prints one format.
 *
 * Default formats: html and jsonl into a folder (the page is for reading the differences, the
 * JSONL keeps every text, span and score for scripts); sbs on standard output (a terminal).
 */
import path from 'node:path';
import type { Argv } from 'yargs';
import { isWriteFailure, WriteError } from '../batch/write-error.js';
import { COMPARE_FORMATS, compareRenderers, compareVersions, DEFAULT_TOP, isCompareFormat, summaryLines, type CompareFormat, type CompareRenderOptions, type Comparison } from '../compare/index.js';
import { Fr2enError, UsageError } from '../errors.js';
import { resolveEncoding, type ResolvedEncoding } from '../read/bytes.js';
import { readPairs, type PairFormat, type PairRecord } from '../read/pairs.js';
import { TOKENIZER_NAMES, type TokenizerName } from '../score/index.js';
import { MIN_SBS_WIDTH, openOutput, toolVersion, type OutputFile } from '../write/index.js';
import { ExitCode } from './exit-codes.js';
import { colorFor, stdinArgs, type CliIo } from './io.js';

export interface CompareArgs {
  versions: string[];
  ref?: string;
  source?: string;
  outDir?: string;
  /** As given: comma-separated lists, possibly repeated; undefined = the default set. */
  format?: string[];
  labels?: string;
  top: number;
  width?: number;
  encoding?: string;
  tokenize: TokenizerName;
  lowercase: boolean;
}

const FOLDER_FORMATS: readonly CompareFormat[] = ['html', 'jsonl'];
const STDOUT_FORMAT: CompareFormat = 'sbs';

export function compareBuilder(yargs: Argv): Argv<CompareArgs> {
  return yargs
    .positional('versions', {
      describe: 'English versions of the same French text: fr2en .jsonl (or .tsv/.tmx/.xlf) outputs, aligned by pair id, or text files (one sentence a line, with --source)',
      type: 'string',
      array: true,
      coerce: stdinArgs,
    })
    .option('ref', { alias: 'r', type: 'string', describe: 'A reference translation (text, one sentence a line, or any fr2en output format): per-pair chrF and corpus scores against it', coerce: (value: string) => stdinArgs([value])[0] })
    .option('source', { alias: 's', type: 'string', describe: 'The French, one sentence a line, for versions given as plain text', coerce: (value: string) => stdinArgs([value])[0] })
    .option('out-dir', {
      alias: 'o',
      type: 'string',
      describe: 'Folder for compare.<format> files; without it (or with -), one format goes to standard output',
      coerce: (value: string) => stdinArgs([value])[0],
    })
    .option('format', {
      alias: 'f',
      type: 'string',
      array: true,
      describe: `Formats, comma-separated: ${COMPARE_FORMATS.join(', ')} (default: ${FOLDER_FORMATS.join(',')} into -o, ${STDOUT_FORMAT} on standard output)`,
    })
    .option('labels', { type: 'string', describe: 'Names for the versions, comma-separated, in order (default A, B, C, ...)' })
    .option('top', { type: 'number', default: DEFAULT_TOP, describe: 'How many of the most different pairs the summary lists' })
    .option('width', { type: 'number', describe: `Width of sbs output in columns (default: the terminal's, else 100; at least ${MIN_SBS_WIDTH})` })
    .option('encoding', { type: 'string', describe: 'Encoding of the input files (default: detect)' })
    .option('tokenize', { describe: "BLEU's tokenizer, as in fr2en score", choices: TOKENIZER_NAMES, default: '13a' as TokenizerName })
    .option('lowercase', { describe: 'Case-insensitive BLEU and chrF', type: 'boolean', default: false })
    .example('$0 compare q8/a.fr-en.jsonl fp32/a.fr-en.jsonl -o cmp', 'Two runs of the same article: cmp/compare.html and cmp/compare.jsonl')
    .example('$0 compare a.jsonl b.jsonl --ref human.en.txt --labels small,big', 'Two models, with per-pair chrF against a human translation')
    .example('$0 compare mt1.txt mt2.txt --source fr.txt | less -R', 'Plain text versions, side by side in the terminal') as unknown as Argv<CompareArgs>;
}

export async function compareHandler(args: CompareArgs, io: CliIo): Promise<number> {
  const toStdout = args.outDir === undefined || args.outDir === '-';
  const formats = parseFormats(args.format, toStdout);
  const labels = parseLabels(args.labels, args.versions.length);
  const width = args.width ?? Math.max(MIN_SBS_WIDTH, io.stdout.columns ?? 100);
  if (!Number.isInteger(width) || width < MIN_SBS_WIDTH) throw new UsageError(`--width must be an integer of at least ${MIN_SBS_WIDTH}, got ${args.width}`);
  if (!Number.isInteger(args.top) || args.top < 0) throw new UsageError(`--top must be an integer of at least 0, got ${args.top}`);
  const inputs = [...args.versions, args.ref, args.source].filter((name) => name !== undefined);
  if (inputs.includes('-')) throw new UsageError('compare reads files, not standard input (-)');
  const encoding = args.encoding === undefined ? undefined : resolveEncoding(args.encoding);

  const read = (name: string, format?: PairFormat) => readInput(name, io.cwd, encoding, format);
  const versions = await Promise.all(args.versions.map(async (file, i) => ({ file, label: labels?.[i], records: await read(file) })));
  const reference = args.ref === undefined ? undefined : { file: args.ref, records: await read(args.ref) };
  // --source is French text whatever its extension: one sentence a line.
  const source = args.source === undefined ? undefined : { file: args.source, records: await read(args.source, 'text') };
  const comparison = compareVersions({ versions, reference, source }, { top: args.top, tokenize: args.tokenize, lowercase: args.lowercase });

  const version = toolVersion();
  if (toStdout) {
    const format = formats[0];
    io.stdout.write(compareRenderers[format].render(comparison, { width, color: format === 'sbs' && colorFor(io.stdout, io.env), toolVersion: version }));
    return ExitCode.ok;
  }
  const written = await writeFiles(comparison, formats, args.outDir!, io.cwd, { width: args.width ?? 100, color: false, toolVersion: version });
  io.stdout.write(summaryLines(comparison).map((line) => `${line}\n`).join(''));
  io.stdout.write(`Wrote ${written.join(', ')}\n`);
  return ExitCode.ok;
}

/** `--format html,md --format tsv` -> ['html', 'md', 'tsv']; the default depends on where output goes. */
function parseFormats(values: readonly string[] | undefined, toStdout: boolean): CompareFormat[] {
  const names = [...new Set((values ?? []).flatMap((value) => value.split(',')).map((name) => name.trim().toLowerCase()).filter((name) => name !== ''))];
  const unknown = names.filter((name) => !isCompareFormat(name));
  if (unknown.length > 0) throw new UsageError(`unknown format ${unknown.join(', ')} in --format (choose from ${COMPARE_FORMATS.join(', ')})`);
  const formats = names as CompareFormat[];
  if (!toStdout) return formats.length > 0 ? formats : [...FOLDER_FORMATS];
  if (formats.length > 1) throw new UsageError(`standard output takes one --format, got ${formats.join(', ')}; pass -o DIR to write several`);
  return formats.length > 0 ? formats : [STDOUT_FORMAT];
}

function parseLabels(value: string | undefined, count: number): string[] | undefined {
  if (value === undefined) return undefined;
  const labels = value.split(',').map((label) => label.trim());
  if (labels.length !== count) throw new UsageError(`--labels names ${labels.length} versions but ${count} are compared`);
  return labels;
}

/**
 * A file's records. Nothing can be compared without every input, so an input that cannot be
 * read is a usage error (exit 2), as in `fr2en score`.
 */
async function readInput(name: string, cwd: string, encoding: ResolvedEncoding | undefined, format?: PairFormat): Promise<PairRecord[]> {
  try {
    return await readPairs(path.resolve(cwd, name), { file: name, encoding, format });
  } catch (error) {
    if (error instanceof Fr2enError && !(error instanceof UsageError)) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}

/** Each format into `outDir/compare.<ext>`, atomically; returns the paths written, as named from `outDir`. */
async function writeFiles(comparison: Comparison, formats: readonly CompareFormat[], outDir: string, cwd: string, options: CompareRenderOptions): Promise<string[]> {
  const written: string[] = [];
  for (const format of formats) {
    const renderer = compareRenderers[format];
    const file = path.join(outDir, renderer.fileName);
    let output: OutputFile | undefined;
    try {
      output = await openOutput(path.resolve(cwd, file));
      await output.write(renderer.render(comparison, options));
      await output.commit();
    } catch (error) {
      await output?.abort();
      if (isWriteFailure(error)) throw new WriteError(file, error);
      throw error;
    }
    written.push(file);
  }
  return written;
}
