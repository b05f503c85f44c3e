/**
 * The batch job: every input file read as a stream, segmented, translated through one
 * Translator and written in every requested format, atomically. A file that fails is reported
 * and the batch goes on; a file is either written completely or not at all.
 */
import path from 'node:path';
import { countWords, type AlignedParagraph, type SourceParagraph } from '../document.js';
import { Fr2enError, PoolError } from '../errors.js';
import type { InputSource } from '../read/discover.js';
import type { ResolvedEncoding } from '../read/decode.js';
import { readParagraphChunks, sha256File } from '../read/stream.js';
import { segmentDocument } from '../segment/index.js';
import { safeOutputPath } from '../read/safe-path.js';
import type { TranslateCallOptions, Translator } from '../translator.js';
import { openOutput, outputPath, resolveWriteMeta, writers, type OutputFile, type OutputFormat, type WriteOptions } from '../write/index.js';

export type FileStatus = 'done' | 'skipped' | 'failed' | 'interrupted';

export interface FileOutcome {
  input: InputSource;
  status: FileStatus;
  /** Output files written (empty unless done). */
  outputs: string[];
  paragraphs: number;
  /** Source words in the file. */
  words: number;
  /** Sentences flagged `failed` (kept as source text in the outputs). */
  failedSentences: number;
  /** Why the file failed or was skipped. */
  error?: Error;
}

/** Records which outputs are current, so a rerun skips them (see src/cache). */
export interface DoneRecords {
  isUpToDate(relPath: string, sourceSha256: string, formats: readonly OutputFormat[]): boolean;
  markDone(relPath: string, sourceSha256: string, formats: readonly OutputFormat[], outputs: readonly string[]): void;
}

/** The part of a Translator the batch job uses. */
export type ParagraphTranslator = Pick<Translator, 'translateParagraphs'>;

export interface TranslateFilesOptions extends Omit<TranslateCallOptions, 'signal'> {
  /**
   * The translator, or a function that creates it: then it is created only when a file needs
   * translating (a rerun with every output up to date never loads the model). The caller closes it.
   */
  translator: ParagraphTranslator | (() => Promise<ParagraphTranslator>);
  /** Model name written in output headers. */
  model: string;
  inputs: readonly InputSource[];
  formats: readonly OutputFormat[];
  /** Output folder; outputs mirror the inputs' relative paths. Without it, stdout gets the text. */
  outDir?: string;
  /** Where output goes for stdin input without `outDir`. */
  stdout?: { write(chunk: string): unknown };
  /** Standard input, for an input of kind `stdin`. */
  stdin?: AsyncIterable<Uint8Array>;
  encoding?: ResolvedEncoding;
  write?: WriteOptions;
  /** Skip inputs whose outputs are up to date, unless `force`. */
  done?: DoneRecords;
  force?: boolean;
  signal?: AbortSignal;
  onFile?: (outcome: FileOutcome) => void;
}

export async function translateFiles(options: TranslateFilesOptions): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = [];
  let translator: Promise<ParagraphTranslator> | undefined;
  const getTranslator = () => (translator ??= Promise.resolve(typeof options.translator === 'function' ? options.translator() : options.translator));
  for (const input of options.inputs) {
    const outcome = options.signal?.aborted
      ? emptyOutcome(input, 'interrupted')
      : await translateOne(input, options, getTranslator);
    outcomes.push(outcome);
    options.onFile?.(outcome);
  }
  return outcomes;
}

function emptyOutcome(input: InputSource, status: FileStatus, error?: Error): FileOutcome {
  return { input, status, outputs: [], paragraphs: 0, words: 0, failedSentences: 0, ...(error ? { error } : {}) };
}

async function translateOne(
  input: InputSource,
  options: TranslateFilesOptions,
  getTranslator: () => Promise<ParagraphTranslator>,
): Promise<FileOutcome> {
  const { formats, outDir, done } = options;
  let sourceSha256: string | undefined;
  const opened: OutputFile[] = [];
  try {
    if (input.kind === 'file' && done && outDir !== undefined) {
      sourceSha256 = await sha256File(input.path, input.name);
      if (!options.force && done.isUpToDate(input.relPath, sourceSha256, formats)) return emptyOutcome(input, 'skipped');
    }
    const translator = await getTranslator();
    const sink = await openSinks(input, options, opened);
    const outcome = emptyOutcome(input, 'done');
    const meta = resolveWriteMeta({ file: input.name, model: options.model }, options.write);
    await sink.write(formats.map((format) => writers[format].header(meta)));
    const paragraphs = translator.translateParagraphs(sourceParagraphs(input, options), options);
    for await (const paragraph of paragraphs) {
      await sink.write(formats.map((format) => writers[format].paragraph(paragraph, meta)));
      count(outcome, paragraph);
    }
    await sink.write(formats.map((format) => writers[format].footer(meta)));
    await Promise.all(opened.map((file) => file.commit()));
    outcome.outputs = opened.map((file) => file.path);
    if (sourceSha256 !== undefined) done?.markDone(input.relPath, sourceSha256, formats, outcome.outputs);
    return outcome;
  } catch (error) {
    await Promise.all(opened.map((file) => file.abort()));
    if (options.signal?.aborted) return emptyOutcome(input, 'interrupted', asError(error));
    // Anything but a per-file problem (a model that cannot load, a bug) stops the batch.
    if (!(error instanceof Fr2enError) || (error instanceof PoolError && error.fatal)) throw error;
    return emptyOutcome(input, 'failed', error);
  }
}

/** Paragraph text in document order, read and segmented chunk by chunk (flat memory). */
async function* sourceParagraphs(input: InputSource, options: TranslateFilesOptions): AsyncGenerator<SourceParagraph> {
  const source = input.kind === 'stdin' ? (options.stdin ?? process.stdin) : input.path;
  let index = 0;
  for await (const chunk of readParagraphChunks(source, { file: input.name, encoding: options.encoding })) {
    // The chunk ends at a paragraph boundary, so segmenting it alone gives the same paragraphs.
    for (const paragraph of segmentDocument(chunk.text, input.name).paragraphs) {
      yield { ...paragraph, index: index++, start: chunk.start + paragraph.start };
    }
  }
}

/** Fans each chunk out to every format's output, in format order. */
interface Sink {
  write(chunks: string[]): Promise<void>;
}

async function openSinks(input: InputSource, options: TranslateFilesOptions, opened: OutputFile[]): Promise<Sink> {
  const { outDir, formats } = options;
  if (outDir === undefined) {
    // No output folder (stdin to stdout): one format, written as it comes.
    const stdout = options.stdout ?? process.stdout;
    return { write: async (chunks) => void chunks.forEach((chunk) => stdout.write(chunk)) };
  }
  for (const format of formats) {
    // Input names with `..`, absolute paths or links out of the output folder are refused here.
    const target = safeOutputPath(outDir, outputPath(input.relPath, format, ''));
    opened.push(await openOutput(target));
  }
  return { write: async (chunks) => void (await Promise.all(chunks.map((chunk, i) => opened[i].write(chunk)))) };
}

function count(outcome: FileOutcome, paragraph: AlignedParagraph): void {
  outcome.paragraphs++;
  outcome.words += countWords(paragraph.source);
  outcome.failedSentences += paragraph.pairs.filter((pair) => pair.flags.includes('failed')).length;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
