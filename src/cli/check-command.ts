/**
 * `fr2en check INPUT..`: the quality checks (src/qa/) on translations from anywhere: fr2en's own
 * outputs, another engine's, a human's. Prints one JSON line per pair, or linter-style lines for
 * the flagged pairs; exits 0 when nothing is flagged, 1 when something is, 2 when an input cannot
 * be read (nothing is printed then).
 */
import path from 'node:path';
import type { Argv } from 'yargs';
import type { QaCheck, QaFinding } from '../document.js';
import { Fr2enError, UsageError } from '../errors.js';
import { checkPair, parseQaChecks } from '../qa/index.js';
import { resolveEncoding, type ResolvedEncoding } from '../read/bytes.js';
import { pairFormatOf, PairsError, readPairs, type PairRecord } from '../read/pairs.js';
import { ExitCode } from './exit-codes.js';
import { printable, type CliIo } from './io.js';

export const CHECK_OUTPUT_FORMATS = ['json', 'text'] as const;
export type CheckOutputFormat = (typeof CHECK_OUTPUT_FORMATS)[number];

export interface CheckArgs {
  inputs: string[];
  format: CheckOutputFormat;
  /** `all`, `off`, or check names separated by commas. */
  qa: string;
  minConfidence?: number;
  encoding?: string;
}

export function checkBuilder(yargs: Argv): Argv<CheckArgs> {
  return yargs
    .positional('inputs', {
      describe: 'Translated pairs: .tsv (source<TAB>target, one pair a line), .jsonl (source and target fields), .tmx, .xlf/.xliff (XLIFF 2.0)',
      type: 'string',
      array: true,
    })
    .option('format', {
      alias: 'f',
      describe: 'json: one record per pair with its findings; text: file:id: check: message for each finding',
      choices: CHECK_OUTPUT_FORMATS,
      default: 'json' as CheckOutputFormat,
    })
    .option('qa', {
      describe: 'Checks to run: all, or some of empty, untranslated, numbers, urls, repetition, length, truncated, low-confidence (comma-separated)',
      type: 'string',
      default: 'all',
    })
    .option('min-confidence', {
      describe: "Flag pairs whose confidence (fr2en's JSONL field: mean token log-probability) is below this, e.g. -1.5",
      type: 'number',
    })
    .option('encoding', { type: 'string', describe: 'Input encoding (default: detect)' })
    .example('$0 check out/article.fr-en.jsonl --format text', 'List the pairs to review, one finding a line')
    .example('$0 check other-engine.tsv --qa numbers,urls', 'Only the number and link checks') as unknown as Argv<CheckArgs>;
}

/** A file's pairs, each with a French source. */
interface CheckInput {
  name: string;
  records: (PairRecord & { source: string })[];
}

export async function checkHandler(args: CheckArgs, io: CliIo): Promise<number> {
  const checks = parseQaChecks(args.qa);
  const { minConfidence } = args;
  if (minConfidence !== undefined && !Number.isFinite(minConfidence)) {
    throw new UsageError('--min-confidence needs a number (a mean log-probability, such as -1.5)');
  }
  const encoding = args.encoding === undefined ? undefined : resolveEncoding(args.encoding);
  if (args.inputs.includes('-')) throw new UsageError('check reads files, not standard input: save the pairs to a .tsv, .jsonl, .tmx or .xlf file');
  // Every input is read before anything is printed: an unreadable one is exit 2 with empty
  // output, each problem on one line naming the file.
  const inputs: CheckInput[] = [];
  let unreadable = false;
  for (const name of args.inputs) {
    try {
      inputs.push(await readInput(name, io.cwd, encoding));
    } catch (error) {
      if (!(error instanceof Fr2enError) || error instanceof UsageError) throw error;
      io.stderr.write(`fr2en: ${printable(error.message)}\n`);
      unreadable = true;
    }
  }
  if (unreadable) return ExitCode.usage;

  const several = inputs.length > 1;
  const counts = new Map<QaCheck, number>();
  let pairs = 0;
  let flagged = 0;
  for (const input of inputs) {
    let out = '';
    for (const record of input.records) {
      const qa = checkRecord(record, checks, minConfidence);
      pairs++;
      if (qa.length > 0) flagged++;
      for (const check of new Set(qa.map((finding) => finding.check))) counts.set(check, (counts.get(check) ?? 0) + 1);
      if (args.format === 'json') {
        const line = { ...(several ? { file: input.name } : {}), id: record.id, source: record.source, target: record.target, qa };
        out += `${JSON.stringify(line)}\n`;
      } else {
        for (const finding of qa) out += `${input.name}:${record.id}: ${finding.check}: ${oneLine(finding.message)}\n`;
      }
    }
    io.stdout.write(out);
  }
  if (args.format === 'text') io.stderr.write(`${summary(pairs, flagged, counts)}\n`);
  // 1 here means "something to review", as a linter's 1 means "problems found".
  return flagged > 0 ? ExitCode.someFailed : ExitCode.ok;
}

/**
 * The findings for one record. `truncated` is known only to the decoder that produced the pair,
 * so it is carried over from the input's own findings (fr2en's JSONL, TMX and XLIFF record them);
 * every other check is run again. Pairs fr2en copied on purpose (`verbatim`) are not checked.
 */
function checkRecord(record: PairRecord & { source: string }, checks: ReadonlySet<QaCheck>, minConfidence: number | undefined): QaFinding[] {
  if (record.flags?.includes('verbatim')) return [];
  const truncated = record.qa?.some((finding) => finding.check === 'truncated') ?? false;
  return checkPair(record.source, record.target, { checks, truncated, confidence: record.confidence, minConfidence });
}

/** Reads one input; throws InputError (missing, binary...) or PairsError (content). */
async function readInput(name: string, cwd: string, encoding: ResolvedEncoding | undefined): Promise<CheckInput> {
  if (pairFormatOf(name) === 'text') {
    throw new PairsError(name, undefined, 'not a file of pairs; check reads .tsv (source<TAB>target), .jsonl, .tmx and .xlf/.xliff');
  }
  const records = await readPairs(path.resolve(cwd, name), { file: name, encoding });
  for (const record of records) {
    if (record.source === undefined) throw new PairsError(name, undefined, `pair ${record.id} has no French source; check needs both sides of every pair`);
  }
  return { name, records: records as CheckInput['records'] };
}

/** A finding on one line, whatever the message holds. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/** `3 of 120 pairs to review: 2 numbers, 1 length`. */
function summary(pairs: number, flagged: number, counts: ReadonlyMap<QaCheck, number>): string {
  const noun = pairs === 1 ? 'pair' : 'pairs';
  if (flagged === 0) return `${pairs} ${noun} checked, none to review`;
  const byCheck = [...counts].sort((a, b) => b[1] - a[1]).map(([check, count]) => `${count} ${check}`);
  return `${flagged} of ${pairs} ${noun} to review: ${byCheck.join(', ')}`;
}
