/**
 * The batch job: every input file read as a stream, segmented, translated through one
 * Translator and written in every requested format, atomically. A file that fails is reported
 * and the batch goes on; a file is either written completely or not at all. A failure that would
 * repeat for every file (the model cannot load, the translation memory is broken, the output
 * folder cannot be written) stops the batch once, and the files not reached say so.
 */
import path from 'node:path';
import PQueue from 'p-queue';
import { countWords, type AlignedParagraph, type QaCheck, type SourceParagraph } from '../document.js';
import type { RunConfig } from '../config.js';
import { Fr2enError, PoolError } from '../errors.js';
import { TranslationMemoryError } from '../cache/index.js';
import { ModelError } from '../models/errors.js';
import type { InputSource } from '../read/discover.js';
import { readParagraphChunks, sha256File } from '../read/stream.js';
import { safeOutputPath } from '../read/safe-path.js';
import { ChunkSegmenter } from '../segment/index.js';
import type { TranslateCallOptions, Translator } from '../translator.js';
import { openDocumentOutput, openDocumentStream, outputPath, removeStaleTemporaries, resolveWriteMeta, type DocumentOutput } from '../write/index.js';
import type { OutputRecords } from './run-cache.js';
import { WriteError, isWriteFailure } from './write-error.js';

/**
 * - `done`: outputs written (those with failed sentences hold the source text for them);
 * - `up-to-date`: outputs already current, nothing done;
 * - `failed`: bad input or an output that could not be written: no output for this file;
 * - `interrupted`: stopped by the signal before it was complete;
 * - `not-attempted`: the batch stopped before reaching it.
 */
export type FileStatus = 'done' | 'up-to-date' | 'failed' | 'interrupted' | 'not-attempted';

export interface FileOutcome {
  input: InputSource;
  status: FileStatus;
  /** Output files written (empty unless done). */
  outputs: string[];
  paragraphs: number;
  /** Source words in the file. */
  words: number;
  /** Sentence pairs in the file. */
  pairs: number;
  /** Sentences flagged `failed` (kept as source text in the outputs). */
  failedSentences: number;
  /** Pairs with at least one quality finding, and the findings per check. */
  reviewPairs: number;
  findings: Partial<Record<QaCheck, number>>;
  /** Why the file failed or was not attempted. */
  error?: Error;
}

export interface BatchResult {
  outcomes: FileOutcome[];
  /** Why the batch stopped before its last file, if it did. */
  stopped?: Error;
}

/** The part of a Translator the batch job uses. */
export type ParagraphTranslator = Pick<Translator, 'translateParagraphs'>;

export interface BatchJob extends Omit<TranslateCallOptions, 'skipNonFrench'> {
  config: RunConfig;
  inputs: readonly InputSource[];
  /**
   * The translator, or a function that creates it: then it is created only when a file needs
   * translating (a rerun with every output up to date never loads the model). The caller closes it.
   */
  translator: ParagraphTranslator | (() => Promise<ParagraphTranslator>);
  /** Skip inputs whose outputs are up to date, unless `config.force`. */
  records?: OutputRecords;
  /** fr2en's version, written in headers. */
  toolVersion: string;
  /** Where output goes for standard input without `config.outDir`. */
  stdout?: { write(chunk: string): unknown };
  /** Standard input, for an input of kind `stdin`. */
  stdin?: AsyncIterable<Uint8Array>;
  onFile?: (outcome: FileOutcome) => void;
}

export async function translateFiles(job: BatchJob): Promise<BatchResult> {
  const outcomes: FileOutcome[] = new Array(job.inputs.length);
  const cleaned = new Set<string>();
  // Temporary files an earlier run left behind (kill -9, two Ctrl-Cs) go before this run writes.
  const cleanFolder = async (dir: string) => {
    if (!cleaned.has(dir)) await removeStaleTemporaries(dir);
    cleaned.add(dir);
  };
  let translator: Promise<ParagraphTranslator> | undefined;
  const getTranslator = () => (translator ??= Promise.resolve(typeof job.translator === 'function' ? job.translator() : job.translator));
  let stopped: Error | undefined;
  // Files in flight at once share the Translator's batches (see RunOptions.parallelFiles).
  const files = new PQueue({ concurrency: job.config.parallelFiles });
  await Promise.all(
    job.inputs.map((input, i) =>
      files.add(async () => {
        let outcome: FileOutcome;
        if (stopped) outcome = emptyOutcome(input, 'not-attempted', stopped);
        else if (job.signal?.aborted) outcome = emptyOutcome(input, 'interrupted');
        else {
          try {
            outcome = await translateOne(input, job, getTranslator, cleanFolder);
          } catch (error) {
            if (!stopsBatch(error)) throw error;
            stopped ??= error;
            // Said once, as the reason the batch stopped; this file is one it did not finish.
            outcome = emptyOutcome(input, 'not-attempted', error);
          }
        }
        outcomes[i] = outcome;
        job.onFile?.(outcome);
      }),
    ),
  );
  return stopped ? { outcomes, stopped } : { outcomes };
}

/** Failures that would repeat on every later file: the batch stops once instead. */
function stopsBatch(error: unknown): error is Fr2enError {
  if (error instanceof PoolError) return error.fatal;
  if (error instanceof TranslationMemoryError || error instanceof ModelError) return true;
  // A read-only output file system: nothing can be written.
  return error instanceof WriteError && error.code === 'EROFS';
}

function emptyOutcome(input: InputSource, status: FileStatus, error?: Error): FileOutcome {
  return { input, status, outputs: [], paragraphs: 0, words: 0, pairs: 0, failedSentences: 0, reviewPairs: 0, findings: {}, ...(error ? { error } : {}) };
}

async function translateOne(
  input: InputSource,
  job: BatchJob,
  getTranslator: () => Promise<ParagraphTranslator>,
  cleanFolder: (dir: string) => Promise<void>,
): Promise<FileOutcome> {
  const { config, records } = job;
  const outDir = config.outDir;
  const opened: DocumentOutput[] = [];
  try {
    const targets = outDir === undefined ? [] : config.formats.map((format) => safeOutputPath(outDir, outputPath(input.relPath, format, '')));
    for (const dir of new Set(targets.map((target) => path.dirname(target)))) await cleanFolder(dir);
    let sourceSha256: string | undefined;
    if (input.kind === 'file' && records && outDir !== undefined) {
      sourceSha256 = await sha256File(input.path, input.name);
      if (!config.force && records.isUpToDate(input.relPath, sourceSha256, targets)) return emptyOutcome(input, 'up-to-date');
    }
    const meta = resolveWriteMeta({ file: input.name, model: config.translator.model }, { ...config.write, toolVersion: job.toolVersion });
    // Outputs first: a folder that cannot be written is known before the model loads.
    if (outDir === undefined) {
      opened.push(await openDocumentStream(job.stdout ?? process.stdout, config.formats[0], meta));
    } else {
      for (const [i, format] of config.formats.entries()) opened.push(await writeStep(targets[i], () => openDocumentOutput(targets[i], format, meta)));
    }
    const translator = await getTranslator();
    const outcome = emptyOutcome(input, 'done');
    const paragraphs = translator.translateParagraphs(sourceParagraphs(input, job), { ...job, skipNonFrench: config.skipNonFrench });
    for await (const paragraph of paragraphs) {
      await Promise.all(opened.map((output) => writeStep(output.path, () => output.paragraph(paragraph))));
      count(outcome, paragraph);
    }
    await Promise.all(opened.map((output) => writeStep(output.path, () => output.commit())));
    outcome.outputs = outDir === undefined ? [] : [...targets];
    if (sourceSha256 !== undefined) {
      // A file with failed sentences is never up to date: the next run retries exactly those
      // (the memory holds every sentence that was translated).
      if (outcome.failedSentences === 0) records!.markDone(input.relPath, sourceSha256, targets);
      else records!.forget(targets);
    }
    return outcome;
  } catch (error) {
    await Promise.all(opened.map((output) => output.abort()));
    if (job.signal?.aborted) return emptyOutcome(input, 'interrupted', asError(error));
    if (stopsBatch(error) || !(error instanceof Fr2enError)) throw error;
    return emptyOutcome(input, 'failed', error);
  }
}

/** Runs one file-system step of writing `file`, naming the file and the problem if it fails. */
async function writeStep<T>(file: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw isWriteFailure(error) ? new WriteError(file, error) : error;
  }
}

/** Paragraph text in document order, read and segmented chunk by chunk (flat memory). */
async function* sourceParagraphs(input: InputSource, job: BatchJob): AsyncGenerator<SourceParagraph> {
  const source = input.kind === 'stdin' ? (job.stdin ?? process.stdin) : input.path;
  const segmenter = new ChunkSegmenter();
  let index = 0;
  for await (const chunk of readParagraphChunks(source, { file: input.name, encoding: job.config.encoding })) {
    for (const paragraph of segmenter.segment(chunk.text)) yield { ...paragraph, index: index++, start: chunk.start + paragraph.start };
  }
}

function count(outcome: FileOutcome, paragraph: AlignedParagraph): void {
  outcome.paragraphs++;
  outcome.words += countWords(paragraph.source);
  for (const pair of paragraph.pairs) {
    outcome.pairs++;
    if (pair.flags.includes('failed')) outcome.failedSentences++;
    if (pair.qa.length > 0) outcome.reviewPairs++;
    for (const { check } of pair.qa) outcome.findings[check] = (outcome.findings[check] ?? 0) + 1;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
