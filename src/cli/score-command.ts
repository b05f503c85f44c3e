/**
 * `fr2en score HYP --ref REF [--ref REF2 ...]`: BLEU, chrF, chrF++ and TER of a translation
 * against one or more references, with sacreBLEU 2.6.0's numbers and its printed lines.
 * Inputs are anything readPairs reads (their targets, in order); HYP may be `-` (standard input,
 * one segment per line).
 */
import path from 'node:path';
import type { Argv } from 'yargs';
import { Fr2enError, UsageError } from '../errors.js';
import { parsePairs, readPairs, type PairRecord } from '../read/pairs.js';
import { readTextStream } from '../read/stream.js';
import { alignScoreLines, DEFAULT_METRICS, isMetricName, METRICS, pyFixed, scoreCorpus, scoreLine, scoreSentences, TOKENIZER_NAMES, type MetricName, type MetricScore, type TokenizerName } from '../score/index.js';
import { ExitCode } from './exit-codes.js';
import { stdinArgs, type CliIo } from './io.js';

export interface ScoreArgs {
  hypothesis: string;
  ref: string[];
  /** As given: comma-separated lists, possibly repeated. */
  metrics: string[];
  tokenize: TokenizerName;
  lowercase: boolean;
  sentence: boolean;
  json: boolean;
}

/** sacreBLEU's command line prints one decimal (`-w 1`); --json gives the unrounded scores. */
const TEXT_WIDTH = 1;

export function scoreBuilder(yargs: Argv): Argv<ScoreArgs> {
  return yargs
    .positional('hypothesis', {
      describe: 'The translation to score: text (one segment per line), or an fr2en .jsonl/.tsv/.tmx/.xlf output (its targets); - for standard input',
      type: 'string',
      coerce: (value: string) => stdinArgs([value])[0],
    })
    .option('ref', {
      alias: 'r',
      describe: 'A reference translation, in the same formats; repeat for several references',
      type: 'string',
      array: true,
      demandOption: true,
      coerce: stdinArgs,
    })
    .option('metrics', {
      alias: 'm',
      describe: `Metrics, comma-separated: ${METRICS.join(', ')}`,
      type: 'string',
      array: true,
      default: [DEFAULT_METRICS.join(',')],
    })
    .option('tokenize', { describe: "BLEU's tokenizer (as sacreBLEU's --tokenize)", choices: TOKENIZER_NAMES, default: '13a' as TokenizerName })
    .option('lowercase', { describe: 'Case-insensitive BLEU and chrF (TER is case-insensitive anyway)', type: 'boolean', default: false })
    .option('sentence', { describe: 'One score per segment instead of corpus scores', type: 'boolean', default: false })
    .option('json', { describe: 'JSON output, scores unrounded (with --sentence: one JSON line per segment)', type: 'boolean', default: false })
    .example('$0 score out/a.fr-en.jsonl --ref human.txt', 'BLEU and chrF of fr2en against a human translation')
    .example('$0 score q8.txt --ref ref.txt --metrics bleu,chrf,chrf++,ter --json', 'All four metrics, as JSON') as unknown as Argv<ScoreArgs>;
}

export async function scoreHandler(args: ScoreArgs, io: CliIo): Promise<number> {
  const metrics = parseMetrics(args.metrics);
  if (args.ref.includes('-')) throw new UsageError('only HYP can be standard input (-), not --ref');
  const hypothesis = await readSegments(args.hypothesis, io);
  const references = await Promise.all(args.ref.map((ref) => readSegments(ref, io)));
  for (const [i, reference] of references.entries()) {
    if (reference.length !== hypothesis.length) {
      throw new UsageError(
        `${args.hypothesis} has ${hypothesis.length} segments but ${args.ref[i]} has ${reference.length}; a reference must have one segment per hypothesis segment`,
      );
    }
  }
  if (hypothesis.length === 0) throw new UsageError(`${args.hypothesis} has no segments to score`);

  const hyps = hypothesis.map((record) => record.target);
  const refs = references.map((records) => records.map((record) => record.target));
  const options = { metrics, tokenize: args.tokenize, lowercase: args.lowercase };
  if (args.sentence) {
    writeSentences(scoreSentences(hyps, refs, options), hypothesis, args.json, io);
  } else {
    const scores = scoreCorpus(hyps, refs, options);
    io.stdout.write(args.json ? `${JSON.stringify(Object.fromEntries(scores.map((score) => [score.metric, score])), null, 2)}\n` : textLines(scores));
  }
  return ExitCode.ok;
}

/** `--metrics bleu,chrf --metrics ter` -> ['bleu', 'chrf', 'ter']; unknown names are a usage error. */
function parseMetrics(values: readonly string[]): MetricName[] {
  const names = values.flatMap((value) => value.split(',')).map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
  const unknown = names.filter((name) => !isMetricName(name));
  if (unknown.length > 0) throw new UsageError(`unknown metric ${unknown.join(', ')} in --metrics (choose from ${METRICS.join(', ')})`);
  if (names.length === 0) throw new UsageError(`--metrics names no metric (choose from ${METRICS.join(', ')})`);
  return names as MetricName[];
}

/**
 * A file's (or stdin's) records. Nothing can be scored without every input, so an input that
 * cannot be read is a usage error (exit 2), not a per-file failure.
 */
async function readSegments(name: string, io: CliIo): Promise<PairRecord[]> {
  try {
    if (name === '-') return parsePairs((await readTextStream(io.stdin, { file: '-' })).text, 'text', '-');
    return await readPairs(path.resolve(io.cwd, name), { file: name });
  } catch (error) {
    if (error instanceof Fr2enError && !(error instanceof UsageError)) throw new UsageError(error.message, { cause: error });
    throw error;
  }
}

/** sacreBLEU's `-f text` lines: one per metric, aligned on `=`. */
function textLines(scores: readonly MetricScore[]): string {
  return alignScoreLines(scores.map((score) => scoreLine(score, TEXT_WIDTH)))
    .map((line) => `${line}\n`)
    .join('');
}

function writeSentences(segments: readonly MetricScore[][], records: readonly PairRecord[], json: boolean, io: CliIo): void {
  if (json) {
    segments.forEach((scores, i) => {
      const line = { line: i + 1, id: records[i].id, ...Object.fromEntries(scores.map((score) => [score.metric, score.score])) };
      io.stdout.write(`${JSON.stringify(line)}\n`);
    });
    return;
  }
  // The signatures once, then `<line>[ <id>]: BLEU = 48.9 chrF2 = 55.3` per segment.
  for (const score of segments[0] ?? []) io.stdout.write(`${score.name}|${score.signature}\n`);
  segments.forEach((scores, i) => {
    const id = records[i].id === String(i + 1) ? '' : ` ${records[i].id}`;
    io.stdout.write(`${i + 1}${id}: ${scores.map((score) => `${score.name} = ${pyFixed(score.score, TEXT_WIDTH)}`).join(' ')}\n`);
  });
}
