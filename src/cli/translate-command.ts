/**
 * `fr2en translate <inputs..>`: flags -> library options, then the batch job, then an exit code.
 * Only this layer prints, reads the environment and decides exit codes.
 */
import path from 'node:path';
import type { Argv } from 'yargs';
import { DEFAULTS, resolveTranslatorOptions } from '../config.js';
import { UsageError } from '../errors.js';
import { translateFiles, type FileOutcome } from '../batch/translate-files.js';
import { discoverInputs, parseExtensions, parseShard, DEFAULT_EXTENSIONS } from '../read/discover.js';
import { resolveEncoding } from '../read/decode.js';
import { detectFrench } from '../read/language.js';
import { ensureModel, resolveModelEnv } from '../models/index.js';
import { Translator } from '../translator.js';
import { DEFAULT_WIDTH, OUTPUT_FORMATS, isOutputFormat, MIN_SBS_WIDTH, toolVersion, type OutputFormat } from '../write/index.js';
import { openRunCache } from '../batch/run-cache.js';
import { defaultCachePath } from '../cache/index.js';
import { BatchReporter } from './batch-reporter.js';
import { createProgressReporter } from './progress-reporter.js';
import { ExitCode } from './exit-codes.js';
import { stdinArgs, type CliIo } from './io.js';
import { hubOptions, modelOptions, type HubArgs, type ModelArgs } from './shared-options.js';

export interface TranslateArgs extends ModelArgs, HubArgs {
  inputs: string[];
  outDir?: string;
  format: string[];
  workers: number;
  threads: number;
  batchSize: number;
  beams: number;
  ext: string;
  encoding?: string;
  shard?: string;
  force: boolean;
  cache: string | boolean;
  skipNonFrench: boolean;
  width?: number;
  quiet: boolean;
  timeout: number;
}

export function translateBuilder(yargs: Argv, io: CliIo): Argv<TranslateArgs> {
  return modelOptions(hubOptions(yargs, io.env), io.env)
    .positional('inputs', {
      describe: 'Text files, folders (searched recursively), globs, or - for standard input',
      type: 'string',
      array: true,
      demandOption: true,
      coerce: stdinArgs,
    })
    .options({
      'out-dir': { alias: 'o', type: 'string', describe: 'Output folder; outputs mirror the input tree. Without it, stdin input goes to stdout' },
      format: {
        alias: 'f',
        type: 'string',
        array: true,
        default: ['txt', 'jsonl'],
        describe: `Output formats, several allowed (${OUTPUT_FORMATS.join(', ')})`,
        coerce: (values: string[]) => values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean),
      },
      workers: { type: 'number', default: DEFAULTS.workers, describe: 'Worker threads, each with its own copy of the model' },
      threads: { type: 'number', default: DEFAULTS.threads, describe: 'ONNX Runtime intra-op threads per worker' },
      'batch-size': { type: 'number', default: DEFAULTS.batchSize, describe: 'Sentences per model call (similar lengths are grouped)' },
      beams: { type: 'number', default: DEFAULTS.beams, describe: 'Beam width; 1 decodes greedily' },
      ext: { type: 'string', default: DEFAULT_EXTENSIONS.join(','), describe: 'File extensions to take from folders, comma-separated' },
      encoding: { type: 'string', describe: 'Input encoding (default: detect UTF-8/UTF-16 BOM/Windows-1252)' },
      shard: { type: 'string', describe: 'Only inputs whose relative path hashes to shard K of N (K/N, 1-based)' },
      force: { type: 'boolean', default: false, describe: 'Translate again even when the outputs are up to date' },
      cache: {
        type: 'string',
        describe: 'Translation memory database (default: <out-dir>/.fr2en/cache.db); --no-cache turns it off',
        coerce: (value: string | boolean) => value,
      },
      'skip-non-french': { type: 'boolean', default: false, describe: 'Leave paragraphs that are not French untranslated (they are flagged either way)' },
      width: { type: 'number', describe: `Width of sbs output in columns (default: the terminal's, else 100; at least ${MIN_SBS_WIDTH})` },
      quiet: { alias: 'q', type: 'boolean', default: false, describe: 'No progress and no summary; errors only' },
      timeout: { type: 'number', default: DEFAULTS.taskTimeoutMs / 1000, describe: 'Seconds before a stuck model call is abandoned and retried' },
    }) as unknown as Argv<TranslateArgs>;
}

export async function translateHandler(args: TranslateArgs, io: CliIo): Promise<number> {
  const formats = checkFormats(args.format);
  const usesStdout = args.outDir === undefined;
  if (usesStdout && !(args.inputs.length === 1 && args.inputs[0] === '-')) {
    throw new UsageError('Give an output folder with -o (only standard input, `-`, can be translated to stdout)');
  }
  if (usesStdout && formats.length > 1) throw new UsageError('Writing to stdout takes one --format; give -o to write several');
  const encoding = args.encoding === undefined ? undefined : resolveEncoding(args.encoding);
  const outDir = args.outDir === undefined ? undefined : path.resolve(io.cwd, args.outDir);
  const discovery = await discoverInputs(args.inputs, {
    cwd: io.cwd,
    extensions: parseExtensions(args.ext),
    exclude: outDir ? [outDir] : [],
    shard: args.shard === undefined ? undefined : parseShard(args.shard),
  });
  const reporter = new BatchReporter(io, { quiet: args.quiet });
  for (const problem of discovery.problems) reporter.problem(problem);
  if (discovery.inputs.length === 0) {
    reporter.note(discovery.otherShards > 0 ? 'nothing to do in this shard' : 'no input files found');
    return discovery.problems.length > 0 ? ExitCode.someFailed : ExitCode.ok;
  }

  const downloadProgress = args.quiet ? undefined : createProgressReporter(io.stderr);
  const model = await ensureModel({
    model: args.model,
    dtype: args.dtype,
    modelsDir: path.resolve(io.cwd, args.modelsDir),
    offline: args.offline,
    hubUrl: args.hubUrl,
    token: resolveModelEnv(io.env).token,
    onProgress: downloadProgress,
  }).finally(() => downloadProgress?.stop()); // a failed download must not leave the cursor hidden

  const settings = resolveTranslatorOptions({
    model: args.model,
    dtype: args.dtype,
    workers: args.workers,
    threads: args.threads,
    batchSize: args.batchSize,
    beams: args.beams,
    taskTimeoutMs: Math.round(args.timeout * 1000),
  });
  const cacheFile = args.cache === false ? undefined : typeof args.cache === 'string' ? path.resolve(io.cwd, args.cache) : outDir && defaultCachePath(outDir);
  const cache = cacheFile === undefined ? undefined : await openRunCache(cacheFile, model.folder, settings);
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let translator: Translator | undefined;
  let outcomes: FileOutcome[] = [];
  try {
    reporter.start(discovery.inputs);
    outcomes = await translateFiles({
      translator: async () => (translator = await Translator.create({ ...settings, modelPath: model.folder })),
      model: args.model,
      inputs: discovery.inputs,
      formats,
      outDir,
      stdout: io.stdout,
      stdin: io.stdin,
      encoding,
      write: { width: args.width ?? sbsWidth(io), color: !io.env.NO_COLOR && Boolean(io.stdout.isTTY) && usesStdout, toolVersion: toolVersion() },
      memory: cache?.memory,
      done: cache?.done,
      force: args.force,
      isFrench: (text) => detectFrench(text).french,
      skipNonFrench: args.skipNonFrench,
      onProgress: (event) => reporter.progress(event),
      onFile: (outcome) => reporter.file(outcome),
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    cache?.close();
    await translator?.close();
    reporter.finish(outcomes);
  }
  if (controller.signal.aborted) return ExitCode.interrupted;
  const failed = outcomes.some((o) => o.status === 'failed') || discovery.problems.length > 0;
  return failed ? ExitCode.someFailed : ExitCode.ok;
}

function checkFormats(values: string[]): OutputFormat[] {
  const unknown = values.filter((v) => !isOutputFormat(v));
  if (unknown.length > 0) throw new UsageError(`Unknown --format ${unknown.join(', ')}: expected ${OUTPUT_FORMATS.join(', ')}`);
  return [...new Set(values)] as OutputFormat[];
}

function sbsWidth(io: CliIo): number {
  return Math.max(MIN_SBS_WIDTH, io.stdout.columns ?? DEFAULT_WIDTH);
}

