/**
 * `fr2en translate <inputs..>`: flags (and the environment) -> one RunConfig, checked before any
 * I/O; then inputs, model, cache and the batch job; then a summary and an exit code.
 */
import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import { resolveRunConfig, type RunConfig, type RunOptions } from '../config.js';
import { UsageError } from '../errors.js';
import { runBatch, type RunResult } from '../batch/run.js';
import { DEFAULT_EXTENSIONS } from '../read/discover.js';
import { isLocalModelPath, localModelFolder } from '../models/index.js';
import { MIN_SBS_WIDTH, OUTPUT_FORMATS } from '../write/index.js';
import { BatchReporter } from './batch-reporter.js';
import { createProgressReporter } from './progress-reporter.js';
import { ExitCode } from './exit-codes.js';
import { colorFor, stdinArgs, type CliIo } from './io.js';
import {
  hubOptions,
  hubSource,
  modelOptions,
  translatorOptions,
  translatorOptionsFrom,
  TRANSLATOR_FLAGS,
  type HubArgs,
  type ModelArgs,
  type TranslatorArgs,
} from './shared-options.js';

export interface TranslateArgs extends ModelArgs, HubArgs, TranslatorArgs {
  inputs: string[];
  outDir?: string;
  format?: string[];
  ext: string;
  encoding?: string;
  shard?: string;
  force: boolean;
  cache: string | boolean;
  cacheErrors: 'stop' | 'continue';
  skipNonFrench: boolean;
  parallelFiles: number;
  width?: number;
  quiet: boolean;
}

export function translateBuilder(yargs: Argv, io: CliIo): Argv<TranslateArgs> {
  return translatorOptions(modelOptions(hubOptions(yargs, io.env), io.env))
    .positional('inputs', {
      describe: 'Text files, folders (searched recursively), globs, or - for standard input',
      type: 'string',
      array: true,
      demandOption: true,
      coerce: stdinArgs,
    })
    .options({
      'out-dir': {
        alias: 'o',
        type: 'string',
        describe: 'Output folder; outputs mirror the input tree. Without it (or with -), standard input goes to standard output',
        // `-o -` means standard output, as in `fr2en compare`, not a folder named after the placeholder.
        coerce: (value: string) => (stdinArgs([value])[0] === '-' ? undefined : value),
      },
      format: {
        alias: 'f',
        type: 'string',
        array: true,
        describe: `Output formats, comma-separated (${OUTPUT_FORMATS.join(', ')}) [default: txt,jsonl; txt to standard output]`,
      },
      ext: { type: 'string', default: DEFAULT_EXTENSIONS.join(','), describe: 'File extensions to take from folders, comma-separated' },
      encoding: { type: 'string', describe: 'Input encoding (default: detect UTF-8, UTF-16 with a BOM, Windows-1252)' },
      shard: { type: 'string', describe: 'Only inputs whose relative path hashes to shard K of N (K/N, 1-based)' },
      force: { type: 'boolean', default: false, describe: 'Translate again even when the outputs are up to date' },
      cache: {
        type: 'string',
        describe: 'Translation memory database (default: <out-dir>/.fr2en/cache.db); --no-cache turns it off',
        coerce: (value: string | boolean) => value,
      },
      'cache-errors': {
        type: 'string',
        choices: ['stop', 'continue'] as const,
        default: 'stop' as const,
        describe: 'When the translation memory fails mid-run: stop, or continue without it',
      },
      'skip-non-french': { type: 'boolean', default: false, describe: 'Leave paragraphs that are not French untranslated (they are flagged either way)' },
      'parallel-files': {
        type: 'number',
        default: 1,
        describe: 'Files translated at once, sharing batches (keeps many workers busy on short files; in q8 a sentence may then depend on its batch neighbours)',
      },
      width: { type: 'number', describe: `Width of sbs output in columns (default: the terminal's, else 100; at least ${MIN_SBS_WIDTH})` },
      quiet: { alias: 'q', type: 'boolean', default: false, describe: 'No progress and no summary; errors only' },
    }) as unknown as Argv<TranslateArgs>;
}

/** Library option names, as the flags a user typed (for usage messages). */
const FLAGS: Record<string, string> = {
  ...TRANSLATOR_FLAGS,
  width: '--width',
  formats: '--format',
  outDir: '--out-dir',
  cacheErrors: '--cache-errors',
  parallelFiles: '--parallel-files',
};

export function runOptionsFrom(args: TranslateArgs, io: CliIo): RunOptions {
  const usesStdout = args.outDir === undefined;
  return {
    cwd: io.cwd,
    inputs: args.inputs,
    outDir: args.outDir,
    formats: args.format,
    ...translatorOptionsFrom(args),
    ...hubSource(args, io.env),
    extensions: args.ext,
    encoding: args.encoding,
    shard: args.shard,
    force: args.force,
    cache: args.cache === false ? false : typeof args.cache === 'string' ? args.cache : undefined,
    cacheErrors: args.cacheErrors,
    skipNonFrench: args.skipNonFrench,
    parallelFiles: args.parallelFiles,
    width: args.width ?? Math.max(MIN_SBS_WIDTH, io.stdout.columns ?? 100),
    color: usesStdout && colorFor(io.stdout, io.env),
  };
}

/** The config, with usage errors worded as the flags the user typed. */
export function resolveCliConfig(args: TranslateArgs, io: CliIo): RunConfig {
  try {
    const config = resolveRunConfig(runOptionsFrom(args, io));
    const model = config.translator.model;
    if (isLocalModelPath(model) && !existsSync(localModelFolder(model))) {
      throw new UsageError(`--model ${model}: no such folder (a local model is a folder with config.json, tokenizer.json and onnx/)`);
    }
    return config;
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message.replace(/`([\w.]+)`/g, (all, name: string) => FLAGS[name] ?? all));
    throw error;
  }
}

export async function translateHandler(args: TranslateArgs, io: CliIo): Promise<number> {
  const config = resolveCliConfig(args, io);
  const reporter = new BatchReporter(io, { quiet: args.quiet });
  const download = args.quiet ? undefined : createProgressReporter(io.stderr);
  const controller = new AbortController();
  const interrupts = onInterrupt(() => controller.abort(new Error('interrupted')));
  let result: RunResult | undefined;
  try {
    result = await runBatch(config, {
      onProblem: (problem) => reporter.problem(problem),
      onStart: (inputs) => reporter.start(inputs),
      onFile: (outcome) => reporter.file(outcome),
      onProgress: (event) => reporter.progress(event),
      onDownload: download,
      onCacheDisabled: (error) => reporter.note(`${error.message}; going on without the translation memory (--cache-errors continue)`),
      signal: controller.signal,
      stdout: io.stdout,
      stdin: io.stdin,
    });
  } finally {
    download?.stop(); // a failed download must not leave the cursor hidden
    interrupts.dispose();
    if (result?.stopped) reporter.stopped(result.stopped, result.outcomes);
    if (result?.outcomes.length) reporter.finish(result.outcomes);
  }
  if (result.outcomes.length === 0 && result.problems.length === 0) {
    reporter.note(result.otherShards > 0 ? 'nothing to do in this shard' : 'no input files found');
  }
  if (controller.signal.aborted) return ExitCode.interrupted;
  const failed =
    result.stopped !== undefined ||
    result.problems.length > 0 ||
    result.outcomes.some((o) => o.status === 'failed' || o.failedSentences > 0);
  return failed ? ExitCode.someFailed : ExitCode.ok;
}

/**
 * SIGINT/SIGTERM: the first stops scheduling (running batches finish, finished files are kept);
 * a second one stops at once, after the atomic outputs drop their temporary files.
 */
function onInterrupt(abort: () => void): { dispose(): void } {
  let count = 0;
  const handler = () => {
    count++;
    if (count === 1) abort();
    else process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
