/**
 * `npx tsx scripts/eval-mini-model.ts [--show N] [--out DIR]`: fr2en end to end on real language,
 * through its own command line, as a user runs it. mini-fr-en (../shared/models/mini-fr-en, a
 * small MarianMT trained on Multi30K image descriptions) translates the 1,000 sentences of
 * Multi30K test 2016, one sentence per paragraph, with fr2en's defaults, fp32, and 4 beams; then:
 *
 * - BLEU and chrF of each run (`fr2en score`);
 * - how many pairs each quality check flags on the machine output (the JSONL's `qa`), how the
 *   flagged pairs score against the human English (sentence chrF) next to the unflagged ones, and
 *   up to N flagged pairs per check to read (default 5; `--show all`);
 * - what the confidence field (mean token log-probability) says: pairs below a few thresholds and
 *   their sentence chrF;
 * - the false alarms: `fr2en check` on the human translations of the same sentences.
 *
 * The files are written under --out (default: a new temporary folder) and the commands printed,
 * so every figure can be reproduced by hand. Skipped with a message without ../shared.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { run } from '../src/cli/main.js';
import type { CliIo } from '../src/cli/io.js';
import { QA_CHECKS, type QaFinding } from '../src/document.js';
import { scoreSentences } from '../src/score/index.js';
import { escapeTsvField } from '../src/write/escape.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const MODEL = path.resolve(root, '../shared/models/mini-fr-en');
const TEST_SET = path.resolve(root, '../shared/data/parallel/multi30k-test_2016_flickr');

const RUNS = [
  { name: 'defaults', flags: [] as string[] },
  { name: 'fp32', flags: ['--dtype', 'fp32'] },
  { name: 'beams4', flags: ['--beams', '4'] },
] as const;

/** Confidence thresholds to report (mean log-probability per token). */
const CONFIDENCE_THRESHOLDS = [-0.5, -0.75, -1, -1.5];

interface OutputPair {
  id: string;
  paragraph: number;
  source: string;
  target: string;
  qa: QaFinding[];
  confidence?: number;
}

/** Runs fr2en's CLI in this process; throws unless the exit code is one of `ok`. */
async function fr2en(argv: string[], ok: readonly number[] = [0]): Promise<{ stdout: string; stderr: string }> {
  const capture = () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        stream.text += chunk.toString();
        callback();
      },
    }) as Writable & { text: string };
    stream.text = '';
    return stream;
  };
  const stdout = capture();
  const stderr = capture();
  const io: CliIo = { stdin: Readable.from([]), stdout, stderr, env: process.env, cwd: root };
  const code = await run(argv, io);
  if (!ok.includes(code)) throw new Error(`fr2en ${argv.join(' ')} exited ${code}: ${stderr.text.trim()}`);
  return { stdout: stdout.text, stderr: stderr.text };
}

const mean = (values: readonly number[]) => (values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length);
const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;
const shell = (argv: readonly string[]) => argv.map((arg) => (/^[\w./,=:-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`)).join(' ');

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { show: { type: 'string', default: '5' }, out: { type: 'string' } } });
  const show = values.show === 'all' ? Infinity : Number(values.show);
  if (!(show >= 0)) throw new TypeError(`Expected --show to be a number or all, got ${values.show}`);
  if (!existsSync(path.join(MODEL, 'config.json')) || !existsSync(`${TEST_SET}.fr`) || !existsSync(`${TEST_SET}.en`)) {
    console.log(`skipped: ${MODEL} or ${TEST_SET}.{fr,en} not found (they live in ../shared).`);
    return 0;
  }
  const out = values.out ? path.resolve(values.out) : mkdtempSync(path.join(tmpdir(), 'fr2en-mini-'));
  mkdirSync(out, { recursive: true });
  const french = readFileSync(`${TEST_SET}.fr`, 'utf8').split('\n').filter((line) => line !== '');
  const english = readFileSync(`${TEST_SET}.en`, 'utf8').split('\n').filter((line) => line !== '');
  const input = path.join(out, 'test2016.txt');
  writeFileSync(input, french.join('\n\n') + '\n'); // one sentence per paragraph
  console.log(`mini-fr-en on Multi30K test 2016 (${french.length} sentences); files in ${out}`);
  console.log('mini-fr-en is a stand-in for its domain (short image descriptions), not opus-mt-fr-en on news.\n');

  for (const { name, flags } of RUNS) {
    const dir = path.join(out, name);
    const translate = ['translate', input, '-o', dir, '--model', MODEL, '--format', 'txt,jsonl', '--no-cache', '--quiet', ...flags];
    const started = performance.now();
    await fr2en(translate);
    const seconds = (performance.now() - started) / 1000;
    const jsonl = path.join(dir, 'test2016.fr-en.jsonl');
    const score = ['score', jsonl, '--ref', `${TEST_SET}.en`];
    const corpus = (await fr2en(score)).stdout.trim();
    const records = readFileSync(jsonl, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as OutputPair);
    if (records.length !== english.length) throw new Error(`${jsonl}: ${records.length} pairs for ${english.length} lines`);
    const chrf = scoreSentences(records.map((r) => r.target), [english], { metrics: ['chrf'] }).map(([score]) => score.score);

    console.log(`## ${name}: ${shell(['npx', 'fr2en', ...translate])}  (${seconds.toFixed(1)} s)`);
    console.log(`${shell(['npx', 'fr2en', ...score])}\n${corpus}`);
    const flagged = records.filter((r) => r.qa.length > 0);
    const clean = records.flatMap((r, i) => (r.qa.length === 0 ? [chrf[i]] : []));
    console.log(`\nquality checks: ${flagged.length} of ${records.length} pairs flagged (${pct(flagged.length, records.length)}); sentence chrF: flagged ${mean(flagged.map((r) => chrf[records.indexOf(r)])).toFixed(1)}, unflagged ${mean(clean).toFixed(1)}`);
    for (const check of QA_CHECKS) {
      const hits = records.flatMap((r, i) => (r.qa.some((f) => f.check === check) ? [i] : []));
      if (hits.length === 0) continue;
      console.log(`  ${check}: ${hits.length} pairs, mean sentence chrF ${mean(hits.map((i) => chrf[i])).toFixed(1)}`);
      for (const i of hits.slice(0, show)) {
        const r = records[i];
        console.log(`    ${r.id} (chrF ${chrf[i].toFixed(1)})\n      fr:    ${r.source}\n      en:    ${r.target}\n      human: ${english[i]}`);
        for (const finding of r.qa.filter((f) => f.check === check)) console.log(`      -> ${finding.message}`);
      }
    }
    const confident = records.filter((r) => r.confidence !== undefined);
    if (confident.length > 0) {
      console.log(`\nconfidence (mean token log-probability), ${confident.length} pairs:`);
      for (const threshold of CONFIDENCE_THRESHOLDS) {
        const below = records.flatMap((r, i) => (r.confidence !== undefined && r.confidence < threshold ? [i] : []));
        const above = records.flatMap((r, i) => (r.confidence !== undefined && r.confidence >= threshold ? [i] : []));
        console.log(
          `  --min-confidence ${threshold}: ${below.length} pairs (${pct(below.length, records.length)}), sentence chrF ${mean(below.map((i) => chrf[i])).toFixed(1)} vs ${mean(above.map((i) => chrf[i])).toFixed(1)} above`,
        );
      }
    }
    console.log();
  }

  // The false alarms: the same checks on the human translations.
  const tsv = path.join(out, 'human.tsv');
  writeFileSync(tsv, french.map((fr, i) => `${escapeTsvField(fr)}\t${escapeTsvField(english[i])}\n`).join(''));
  const check = ['check', tsv, '--format', 'text'];
  const { stdout, stderr } = await fr2en(check, [0, 1]);
  console.log(`## human translations: ${shell(['npx', 'fr2en', ...check])}\n${stderr.trim()}`);
  const lines = stdout.trimEnd().split('\n').filter((line) => line !== '');
  for (const line of lines.slice(0, Number.isFinite(show) ? show * QA_CHECKS.length : undefined)) {
    const id = Number(/:(\d+): /.exec(line)?.[1]);
    console.log(`  ${line}\n      fr:    ${french[id - 1]}\n      human: ${english[id - 1]}`);
  }
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`eval-mini-model: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
