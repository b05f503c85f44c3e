/**
 * `fr2en score` run in-process as a user runs it: its text lines are sacreBLEU's command-line
 * lines (recorded by scripts/sacrebleu-vectors.py) with fr2en's version in the signature, its JSON
 * scores are sacreBLEU's unrounded ones, and bad inputs exit 2 with one line naming the file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveScoreOptions } from '../src/score/index.js';
import { cleanText, renderDocument } from '../src/write/index.js';
import { allPairs, sampleDocument } from './helpers/aligned-fixtures.js';
import { runCli } from './helpers/cli.js';
import { TOLERANCE, VECTORS_DIR, vectorCases, withVersion, type SacrebleuJson } from './helpers/sacrebleu-vectors.js';

const VERSION = resolveScoreOptions().version;
const cases = vectorCases();
const score = (args: string[], options: { stdin?: string } = {}) => runCli(['score', ...args], { cwd: VECTORS_DIR, ...options });
const caseNamed = (name: string) => cases.find((c) => c.name === name)!;
const refArgs = (refs: string[]) => refs.flatMap((ref) => ['--ref', ref]);

/** JSON keys of fr2en's output for sacreBLEU's metric names. */
const METRIC_OF_NAME: Record<string, string> = { BLEU: 'bleu', chrF2: 'chrf', 'chrF2++': 'chrf++', TER: 'ter' };

const runs = cases.flatMap((vector) => vector.cli.map((run) => ({ name: vector.name, vector, run, label: [vector.hyp, ...run.fr2en].join(' ') })));

describe('corpus scores', () => {
  it('has recorded command lines to compare with', () => {
    expect(runs.length).toBeGreaterThanOrEqual(7);
  });

  it.each(runs)('$name: fr2en score $label prints sacreBLEU -f text lines', async ({ vector, run }) => {
    const result = await score([vector.hyp, ...refArgs(vector.refs), ...run.fr2en]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(run.text.map((line) => `${withVersion(line, VERSION)}\n`).join(''));
  });

  it.each(runs)('$name: fr2en score $label --json gives the unrounded scores and signatures', async ({ vector, run }) => {
    const result = await score([vector.hyp, ...refArgs(vector.refs), ...run.fr2en, '--json']);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as Record<string, { name: string; score: number; signature: string }>;
    const expected = ([] as SacrebleuJson[]).concat(run.json);
    expect(Object.keys(output)).toEqual(expected.map((metric) => METRIC_OF_NAME[metric.name]));
    const lowercase = run.fr2en.includes('--lowercase');
    const tokenize = run.fr2en.includes('--tokenize') ? run.fr2en[run.fr2en.indexOf('--tokenize') + 1] : '13a';
    for (const sacrebleu of expected) {
      const mine = output[METRIC_OF_NAME[sacrebleu.name]];
      expect(mine.name).toBe(sacrebleu.name);
      expect(mine.signature).toBe(withVersion(sacrebleu.signature, VERSION));
      // sacreBLEU's JSON rounds to its -w 1; the unrounded number is in the API vectors.
      expect(Number(mine.score.toFixed(1))).toBeCloseTo(sacrebleu.score, 6);
      const unrounded =
        sacrebleu.name === 'BLEU'
          ? vector.bleu.find((b) => b.tokenize === tokenize && b.lowercase === lowercase)!.corpus.score
          : sacrebleu.name === 'TER'
            ? vector.ter[0].corpus.score
            : vector[sacrebleu.name === 'chrF2' ? 'chrf' : 'chrf++'].find((c) => c.lowercase === lowercase)!.corpus.score;
      expect(Math.abs(mine.score - unrounded)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('reads the hypothesis from standard input with -', async () => {
    const vector = caseNamed('mt-2refs');
    const fromFile = await score([vector.hyp, ...refArgs(vector.refs)]);
    const fromStdin = await score(['-', ...refArgs(vector.refs)], { stdin: readFileSync(path.join(VECTORS_DIR, vector.hyp)) as unknown as string });
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
  });
});

describe('sentence scores', () => {
  const vector = caseNamed('mt-2refs');
  const bleu = vector.bleu.find((b) => b.tokenize === '13a' && !b.lowercase)!;
  const chrf = vector.chrf.find((c) => !c.lowercase)!;
  const ter = vector.ter[0];

  it('--sentence --json: one line per segment, equal to sacreBLEU sentence scores', async () => {
    const result = await score([vector.hyp, ...refArgs(vector.refs), '--sentence', '--json', '--metrics', 'bleu,chrf,ter']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { line: number; id: string; bleu: number; chrf: number; ter: number });
    expect(lines).toHaveLength(bleu.sentences.length);
    lines.forEach((line, i) => {
      expect(line.line).toBe(i + 1);
      expect(Math.abs(line.bleu - bleu.sentences[i].score)).toBeLessThanOrEqual(TOLERANCE);
      expect(Math.abs(line.chrf - chrf.sentences[i])).toBeLessThanOrEqual(TOLERANCE);
      expect(Math.abs(line.ter - ter.sentences[i])).toBeLessThanOrEqual(TOLERANCE);
    });
  });

  it('--sentence: the signatures (eff:yes for BLEU), then a readable line per segment', async () => {
    const result = await score([vector.hyp, ...refArgs(vector.refs), '--sentence']);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`BLEU|${withVersion(bleu.sentence_signature, VERSION)}`);
    expect(lines[1]).toBe(`chrF2|${withVersion(chrf.corpus.signature, VERSION)}`);
    expect(lines.slice(2)).toHaveLength(bleu.sentences.length);
    expect(lines[2]).toBe(`1: BLEU = ${bleu.sentences[0].score.toFixed(1)} chrF2 = ${chrf.sentences[0].toFixed(1)}`);
  });
});

describe("fr2en's own outputs as inputs", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'fr2en-score-cli-'));
    const doc = sampleDocument();
    for (const format of ['jsonl', 'tsv', 'tmx', 'xliff'] as const) writeFileSync(path.join(dir, `doc.${format}`), renderDocument(doc, format, { toolVersion: '0.1.0' }));
    writeFileSync(path.join(dir, 'doc-targets.txt'), `${allPairs(doc).map((pair) => cleanText(pair.target).replace(/\n/g, ' ')).join('\n')}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scores the targets of a JSONL output against a TSV output of the same document: 100', async () => {
    const result = await runCli(['score', 'doc.jsonl', '--ref', 'doc.tsv', '--metrics', 'bleu,chrf,ter', '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as Record<string, { score: number }>;
    expect(output.bleu.score).toBeCloseTo(100, 9);
    expect(output.chrf.score).toBeCloseTo(100, 9);
    expect(output.ter.score).toBe(0);
  });

  it('mixes formats: XLIFF against plain text, whose failed and skipped segments are empty in XLIFF', async () => {
    const result = await runCli(['score', 'doc.xliff', '--ref', 'doc-targets.txt', '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as Record<string, { score: number }>;
    expect(output.chrf.score).toBeGreaterThan(50);
    expect(output.chrf.score).toBeLessThan(100);
  });
});

describe('bad input: exit 2, one line naming the files', () => {
  it('different segment counts', async () => {
    const result = await score(['hyp-mt.txt', '--ref', 'ref-a.txt', '--ref', 'tok-ref.txt']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^fr2en: hyp-mt\.txt has 31 segments but tok-ref\.txt has 26/);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('a TMX output, which leaves untranslated pairs out, against the JSONL of the same document', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fr2en-score-cli-'));
    try {
      const doc = sampleDocument();
      writeFileSync(path.join(dir, 'a.jsonl'), renderDocument(doc, 'jsonl'));
      writeFileSync(path.join(dir, 'a.tmx'), renderDocument(doc, 'tmx'));
      const result = await runCli(['score', 'a.jsonl', '--ref', 'a.tmx'], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^fr2en: a\.jsonl has 15 segments but a\.tmx has 13/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [['missing.txt', '--ref', 'ref-a.txt'], /^fr2en: missing\.txt: no such file or folder/],
    [['hyp-mt.txt', '--ref', 'nope/ref.txt'], /^fr2en: nope\/ref\.txt: no such file or folder/],
    [['hyp-mt.txt', '--ref', 'ref-a.txt', '--metrics', 'bleu,meteor'], /^fr2en: unknown metric meteor in --metrics \(choose from bleu, chrf, chrf\+\+, ter\)/],
    [['hyp-mt.txt', '--ref', 'ref-a.txt', '--tokenize', 'zh'], /tokenize/],
    [['hyp-mt.txt'], /ref/],
    [['hyp-mt.txt', '--ref', '-'], /only HYP can be standard input/],
  ])('fr2en score %j', async (args, message) => {
    const result = await score(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('a malformed JSONL line, by file and line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fr2en-score-cli-'));
    try {
      writeFileSync(path.join(dir, 'bad.jsonl'), '{"id":"p0.s0","target":"ok"}\n{oops\n');
      const result = await runCli(['score', 'bad.jsonl', '--ref', 'bad.jsonl'], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^fr2en: bad\.jsonl:2: not JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an empty hypothesis', async () => {
    const result = await score(['-', '--ref', 'ref-a.txt'], { stdin: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^fr2en: - has 0 segments but ref-a\.txt has 31/);
  });
});
