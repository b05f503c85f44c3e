/**
 * `fr2en compare` run as a user runs it, on real files: two runs of the same article by the tiny
 * generated model (q8 and fp32), the same as plain text with --source, inputs that do not line up
 * (exit 2, one line naming the file and the pair), and Multi30K's human translations from
 * ../shared (skipped when absent).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareJsonlRecord } from '../src/compare/index.js';
import { pyFixed, scoreCorpus, scoreSentences } from '../src/score/index.js';
import { runCli } from './helpers/cli.js';
import { TINY_MODEL_DIR } from './helpers/models.js';

const ARTICLE = path.resolve('samples/conseil-municipal.txt');
const dir = mkdtempSync(path.join(tmpdir(), 'fr2en-compare-cli-'));
const at = (...parts: string[]) => path.join(dir, ...parts);
const compare = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(['compare', ...args], { cwd: dir, env });

interface RunRecord {
  id: string;
  source: string;
  target: string;
}

const readLines = <T>(file: string): T[] => readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as T);
const rebuild = (spans: CompareJsonlRecord['diffs'][0]['spans'], skip: 'insert' | 'delete') => spans.filter((span) => span.op !== skip).map((span) => span.text).join('');

let q8: RunRecord[] = [];
let fp32: RunRecord[] = [];
const Q8 = 'q8/conseil-municipal.fr-en.jsonl';
const FP32 = 'fp32/conseil-municipal.fr-en.jsonl';

beforeAll(async () => {
  for (const dtype of ['q8', 'fp32']) {
    const run = await runCli(['translate', ARTICLE, '-o', at(dtype), '--format', 'jsonl,tsv', '--model', TINY_MODEL_DIR, '--dtype', dtype, '--workers', '1', '--no-cache', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
  }
  q8 = readLines<RunRecord>(at(Q8));
  fp32 = readLines<RunRecord>(at(FP32));
  // The same text as plain files: English one sentence a line, and the French.
  writeFileSync(at('q8.txt'), q8.map((record) => `${record.target}\n`).join(''));
  writeFileSync(at('fp32.txt'), fp32.map((record) => `${record.target}\n`).join(''));
  writeFileSync(at('fr.txt'), q8.map((record) => `${record.source}\n`).join(''));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('q8 against fp32 of the tiny model', () => {
  let records: CompareJsonlRecord[] = [];
  let stdout = '';

  beforeAll(async () => {
    const result = await compare([Q8, FP32, '-o', 'out']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    stdout = result.stdout;
    records = readLines<CompareJsonlRecord>(at('out', 'compare.jsonl'));
  });

  it('writes html and jsonl by default, and prints the summary', () => {
    expect(existsSync(at('out', 'compare.html'))).toBe(true);
    expect(existsSync(at('out', 'compare.md'))).toBe(false);
    const identical = q8.filter((record, i) => record.target === fp32[i].target).length;
    expect(stdout).toContain(`Pairs: ${q8.length}; identical in every version: ${identical} (`);
    const [bleu, chrf] = scoreCorpus(fp32.map((r) => r.target), [q8.map((r) => r.target)]);
    expect(stdout).toContain(`B against A: BLEU = ${pyFixed(bleu.score, 1)} chrF2 = ${pyFixed(chrf.score, 1)}`);
    expect(stdout).toContain(`Wrote ${path.join('out', 'compare.html')}, ${path.join('out', 'compare.jsonl')}`);
  });

  it('writes one JSONL record per pair, in order, with both texts and the French', () => {
    expect(records.map((record) => record.id)).toEqual(q8.map((record) => record.id));
    records.forEach((record, i) => {
      expect(record.source).toBe(q8[i].source);
      expect(record.versions.map((version) => [version.label, version.text])).toEqual([
        ['A', q8[i].target],
        ['B', fp32[i].target],
      ]);
      expect(record.identical).toBe(q8[i].target === fp32[i].target);
    });
    expect(records.some((record) => record.identical) && records.some((record) => !record.identical)).toBe(true);
  });

  it('gives the differences as spans that rebuild both texts', () => {
    for (const record of records) {
      expect(record.diffs).toHaveLength(1);
      const [diff] = record.diffs;
      expect([diff.from, diff.to]).toEqual(['A', 'B']);
      expect(rebuild(diff.spans, 'insert')).toBe(record.versions[0].text);
      expect(rebuild(diff.spans, 'delete')).toBe(record.versions[1].text);
      expect(diff.spans.every((span) => span.op === 'equal')).toBe(record.identical);
    }
  });

  it("scores B's sentences against A without a reference (A's own score is null)", () => {
    const expected = scoreSentences(fp32.map((r) => r.target), [q8.map((r) => r.target)], { metrics: ['chrf'] });
    records.forEach((record, i) => {
      expect(record.chrfAgainst).toBe('A');
      expect(record.versions[0].chrf).toBeNull();
      expect(record.versions[1].chrf).toBe(expected[i][0].score);
    });
  });

  it('ranks pairs by difference, identical pairs last', () => {
    const ranked = [...records].sort((a, b) => a.rank - b.rank);
    expect(ranked.map((record) => record.rank)).toEqual(records.map((_, i) => i));
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1].difference).toBeGreaterThanOrEqual(ranked[i].difference);
    expect(ranked.slice(-records.filter((record) => record.identical).length).every((record) => record.identical)).toBe(true);
    const top = ranked.filter((record) => !record.identical).slice(0, 10);
    expect(stdout).toContain(`Most different pairs, by share of words: ${top.map((record) => `${record.id} (${Math.round(100 * record.difference)}%)`).join(', ')}`);
  });

  it('writes every format asked for, atomically, and names the versions with --labels', async () => {
    const result = await compare([Q8, FP32, '-o', 'all', '--format', 'html,md', '--format', 'sbs,jsonl,tsv', '--labels', 'q8,fp32']);
    expect(result.code, result.stderr).toBe(0);
    for (const name of ['compare.html', 'compare.md', 'compare.sbs.txt', 'compare.jsonl', 'compare.tsv']) expect(existsSync(at('all', name)), name).toBe(true);
    const tsv = readFileSync(at('all', 'compare.tsv'), 'utf8').trimEnd().split('\n');
    expect(tsv[0]).toBe('id\tsource\tq8\tfp32\tchrf:q8\tchrf:fp32\tdifference\tidentical');
    expect(tsv).toHaveLength(q8.length + 1);
    expect(readFileSync(at('all', 'compare.sbs.txt'), 'utf8')).not.toContain('\u001B'); // a file gets no colour
    expect(readFileSync(at('all', 'compare.md'), 'utf8')).toContain('| # | id | Français | q8 | fp32 |');
  });

  it('scores against a reference in another format, aligned by position when ids differ (TSV line numbers)', async () => {
    const result = await compare([Q8, FP32, '--ref', 'q8/conseil-municipal.fr-en.tsv', '-o', 'ref', '--format', 'jsonl']);
    expect(result.code, result.stderr).toBe(0);
    const withRef = readLines<CompareJsonlRecord>(at('ref', 'compare.jsonl'));
    const expected = scoreSentences(fp32.map((r) => r.target), [q8.map((r) => r.target)], { metrics: ['chrf'] });
    withRef.forEach((record, i) => {
      expect(record.chrfAgainst).toBe('reference');
      expect(record.reference).toBe(q8[i].target);
      expect(record.versions[0].chrf).toBe(100); // A is the reference here
      expect(record.versions[1].chrf).toBe(expected[i][0].score);
    });
    expect(result.stdout).toContain('A against reference: BLEU = 100.0 chrF2 = 100.0');
    expect(result.stdout).toMatch(/B against A, by sentence chrF against the reference: better on 0 pairs, worse on \d+, tied on \d+/);
  });

  it('prints one format to standard output without -o: sbs by default, colour only when asked', async () => {
    const plain = await compare([Q8, FP32, '--width', '120']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).not.toContain('\u001B');
    expect(plain.stdout).toMatch(/\[-.+-\]/);
    expect(plain.stdout).toMatch(/\{\+.+\+\}/);
    expect(Math.max(...plain.stdout.split('\n').slice(8).map((line) => line.length))).toBeLessThanOrEqual(120);
    const colour = await compare([Q8, FP32], { FORCE_COLOR: '1' });
    expect(colour.stdout).toContain('\u001B[31m');
    expect(colour.stdout).toContain('\u001B[32m');
    const jsonl = await compare([Q8, FP32, '-o', '-', '--format', 'jsonl']);
    expect(jsonl.stdout).toBe(readFileSync(at('out', 'compare.jsonl'), 'utf8'));
  });
});

describe('plain text versions with --source', () => {
  it('gives the same comparison as the JSONL runs, pairs named by line', async () => {
    const result = await compare(['q8.txt', 'fp32.txt', '--source', 'fr.txt', '-o', 'text', '--format', 'jsonl']);
    expect(result.code, result.stderr).toBe(0);
    const fromText = readLines<CompareJsonlRecord>(at('text', 'compare.jsonl'));
    const fromJsonl = readLines<CompareJsonlRecord>(at('out', 'compare.jsonl'));
    expect(fromText.map((record) => record.id)).toEqual(q8.map((_, i) => String(i + 1)));
    expect(fromText.map(({ id: _, ...rest }) => rest)).toEqual(fromJsonl.map(({ id: _, ...rest }) => rest));
  });

  it('takes the ids of a JSONL version when one is compared with plain text', async () => {
    const result = await compare([Q8, 'fp32.txt', '-o', 'mixed', '--format', 'jsonl']);
    expect(result.code, result.stderr).toBe(0);
    expect(readLines<CompareJsonlRecord>(at('mixed', 'compare.jsonl')).map((record) => record.id)).toEqual(q8.map((record) => record.id));
  });
});

describe('one version against a human translation', () => {
  const FRENCH = ['Le conseil municipal a voté le budget.', 'La séance a duré quatre heures.', 'Les loyers ont presque doublé.'];
  const HUMAN = ['The city council passed the budget.', 'The meeting lasted four hours.', 'Rents have nearly doubled.'];

  it('diffs the version against the reference and scores it there, sentence and corpus', async () => {
    // One sentence a paragraph, so that fr2en's pairs and the human lines correspond.
    writeFileSync(at('article.txt'), FRENCH.join('\n\n'));
    writeFileSync(at('human.en.txt'), `${HUMAN.join('\n')}\n`);
    const translated = await runCli(['translate', at('article.txt'), '-o', at('mt'), '--format', 'jsonl', '--model', TINY_MODEL_DIR, '--workers', '1', '--no-cache', '--quiet']);
    expect(translated.code, translated.stderr).toBe(0);
    const mt = readLines<RunRecord>(at('mt', 'article.fr-en.jsonl'));
    expect(mt.map((record) => record.source)).toEqual(FRENCH);

    const result = await compare(['mt/article.fr-en.jsonl', '--ref', 'human.en.txt', '-o', 'human', '--format', 'jsonl,html']);
    expect(result.code, result.stderr).toBe(0);
    const records = readLines<CompareJsonlRecord>(at('human', 'compare.jsonl'));
    const sentences = scoreSentences(mt.map((r) => r.target), [HUMAN], { metrics: ['chrf'] });
    records.forEach((record, i) => {
      expect(record.reference).toBe(HUMAN[i]);
      expect(record.diffs.map((diff) => [diff.from, diff.to])).toEqual([['A', 'reference']]);
      expect(rebuild(record.diffs[0].spans, 'delete')).toBe(HUMAN[i]);
      expect(record.versions[0].chrf).toBe(sentences[i][0].score);
    });
    const [bleu, chrf] = scoreCorpus(mt.map((r) => r.target), [HUMAN]);
    expect(result.stdout).toContain(`Pairs: 3; identical to the reference: 0 (0.0%)`);
    expect(result.stdout).toContain(`A against reference: BLEU = ${pyFixed(bleu.score, 1)} chrF2 = ${pyFixed(chrf.score, 1)}`);
    expect(readFileSync(at('human', 'compare.html'), 'utf8')).toContain('<span>Français</span><span>A</span><span>reference</span>');
  });

  it('scores with the tokenizer and case setting asked for, as fr2en score does', async () => {
    // The reference in capitals: case-sensitive scores fall, case-insensitive ones stay what they were.
    writeFileSync(at('shouting.en.txt'), `${HUMAN.map((line) => line.toUpperCase()).join('\n')}\n`);
    writeFileSync(at('human-b.txt'), `${HUMAN.join('\n')}\n`);
    const run = async (extra: string[]) => {
      const result = await compare(['human-b.txt', '--ref', 'shouting.en.txt', '--source', 'article-lines.txt', ...extra, '-o', `case${extra.join('')}`, '--format', 'jsonl']);
      expect(result.code, result.stderr).toBe(0);
      return { stdout: result.stdout, records: readLines<CompareJsonlRecord>(at(`case${extra.join('')}`, 'compare.jsonl')) };
    };
    writeFileSync(at('article-lines.txt'), `${FRENCH.join('\n')}\n`);
    const shouting = HUMAN.map((line) => line.toUpperCase());
    const sensitive = await run([]);
    const insensitive = await run(['--lowercase']);
    const characters = await run(['--tokenize', 'char', '--lowercase']);
    const [bleu, chrf] = scoreCorpus(HUMAN, [shouting]);
    const [bleuLc, chrfLc] = scoreCorpus(HUMAN, [shouting], { lowercase: true });
    expect(bleuLc.score).toBeCloseTo(100, 9);
    expect(bleu.score).toBeLessThan(100);
    expect(sensitive.stdout).toContain(`A against reference: BLEU = ${pyFixed(bleu.score, 1)} chrF2 = ${pyFixed(chrf.score, 1)}`);
    expect(sensitive.stdout).toContain(bleu.signature);
    expect(insensitive.stdout).toContain(`A against reference: BLEU = ${pyFixed(bleuLc.score, 1)} chrF2 = ${pyFixed(chrfLc.score, 1)}`);
    expect(insensitive.stdout).toContain(bleuLc.signature);
    expect(bleuLc.signature).toContain('case:lc');
    expect(characters.stdout).toContain(scoreCorpus(HUMAN, [shouting], { tokenize: 'char', lowercase: true })[0].signature);
    expect(characters.stdout).toContain('tok:char');
    // Pair scores follow the case setting too.
    expect(sensitive.records.map((record) => record.versions[0].chrf)).toEqual(scoreSentences(HUMAN, [shouting], { metrics: ['chrf'] }).map(([score]) => score.score));
    for (const record of insensitive.records) expect(record.versions[0].chrf).toBeCloseTo(100, 9);
  });
});

describe('inputs that do not line up: exit 2, one line naming the file', () => {
  const write = (name: string, records: readonly object[]) => writeFileSync(at(name), records.map((record) => `${JSON.stringify(record)}\n`).join(''));

  it('names the pair and both French sentences when the sources differ', async () => {
    const changed = fp32.map((record, i) => (i === 3 ? { ...record, source: `${record.source} (modifié)` } : record));
    write('other-source.jsonl', changed);
    const result = await compare([Q8, 'other-source.jsonl']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`other-source.jsonl: the French of pair ${q8[3].id} differs: ${JSON.stringify(changed[3].source)} here, ${JSON.stringify(q8[3].source)} in ${Q8}`);
  });

  it.each([
    ['a pair is missing', (records: RunRecord[]) => records.filter((_, i) => i !== 5), (id: string[]) => `has no pair ${id[5]}, which ${Q8} has`],
    ['a pair is not in the first', (records: RunRecord[]) => [...records, { ...records[0], id: 'p99.s0' }], () => 'pair p99.s0 is not in'],
    ['an id appears twice', (records: RunRecord[]) => [...records, records[2]], (id: string[]) => `pair ${id[2]} appears more than once`],
  ])('when %s', async (_name, damage, message) => {
    write('damaged.jsonl', damage(fp32));
    const result = await compare([Q8, 'damaged.jsonl']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('damaged.jsonl');
    expect(result.stderr).toContain(message(q8.map((record) => record.id)));
  });

  it('names files and counts when plain text and --source differ in length', async () => {
    writeFileSync(at('short.txt'), fp32.slice(1).map((record) => `${record.target}\n`).join(''));
    const result = await compare(['q8.txt', 'short.txt', '--source', 'fr.txt']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`short.txt has ${q8.length - 1} lines but fr.txt has ${q8.length} lines`);
    const reference = await compare(['q8.txt', 'fp32.txt', '--source', 'fr.txt', '--ref', 'short.txt']);
    expect(reference.code).toBe(2);
    expect(reference.stderr).toContain(`short.txt has ${q8.length - 1} lines but fr.txt has ${q8.length} lines`);
  });

  it.each([
    ['plain text without --source', ['q8.txt', 'fp32.txt'], /q8\.txt: plain text has no French to align on; pass --source/],
    ['a missing file', [Q8, 'nowhere.jsonl'], /nowhere\.jsonl: no such file or folder/],
    ['one version without a reference', [Q8], /two versions, or one version and a reference/],
    ['an unknown format', [Q8, FP32, '-o', 'x', '--format', 'html,pdf'], /unknown format pdf in --format/],
    ['several formats on standard output', [Q8, FP32, '--format', 'md,tsv'], /standard output takes one --format/],
    ['labels that do not match the versions', [Q8, FP32, '--labels', 'only-one'], /--labels names 1 versions but 2 are compared/],
    ['two versions with one name', [Q8, FP32, '--labels', 'x,x'], /Two versions are named "x"/],
    ['standard input', [Q8, '-'], /compare reads files, not standard input/],
  ])('refuses %s', async (_name, args, message) => {
    const result = await compare(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(at('x'))).toBe(false);
  });
});

const parallel = fileURLToPath(new URL('../../shared/data/parallel/', import.meta.url));
const hasMulti30k = existsSync(`${parallel}multi30k-test_2016_flickr.en`);
if (!hasMulti30k) console.warn(`compare-cli: Multi30K part skipped, ${parallel} not found (the data lives in ../shared).`);

describe.skipIf(!hasMulti30k)('Multi30K: human English against a damaged copy, with the human English as reference', () => {
  const LINES = 300;
  const take = (file: string) => readFileSync(`${parallel}${file}`, 'utf8').split('\n').slice(0, LINES);
  let human: string[] = [];
  let damaged: string[] = [];

  beforeAll(() => {
    human = take('multi30k-test_2016_flickr.en');
    // A plausible second system: lower case, no final period, "a" for "the" in every other line.
    damaged = human.map((line, i) => (i % 2 === 0 ? line.toLowerCase() : line.replace(/\bthe\b/g, 'a')).replace(/\.$/, ''));
    mkdirSync(at('m30k'), { recursive: true });
    writeFileSync(at('m30k', 'fr.txt'), `${take('multi30k-test_2016_flickr.fr').join('\n')}\n`);
    writeFileSync(at('m30k', 'human.txt'), `${human.join('\n')}\n`);
    writeFileSync(at('m30k', 'damaged.txt'), `${damaged.join('\n')}\n`);
  });

  it('scores each version against the reference as fr2en score does, and counts identical pairs', async () => {
    const result = await compare(['m30k/damaged.txt', 'm30k/human.txt', '--source', 'm30k/fr.txt', '--ref', 'm30k/human.txt', '-o', 'm30k/out', '--format', 'jsonl,html', '--labels', 'damaged,human']);
    expect(result.code, result.stderr).toBe(0);
    const [bleu, chrf] = scoreCorpus(damaged, [human]);
    expect(result.stdout).toContain(`damaged against reference: BLEU = ${pyFixed(bleu.score, 1)} chrF2 = ${pyFixed(chrf.score, 1)}`);
    expect(result.stdout).toContain('human against reference: BLEU = 100.0 chrF2 = 100.0');
    const [between] = scoreCorpus(human, [damaged], { metrics: ['bleu'] });
    expect(result.stdout).toContain(`human against damaged: BLEU = ${pyFixed(between.score, 1)}`);
    const identical = damaged.filter((line, i) => line === human[i]).length;
    expect(result.stdout).toContain(`identical in every version: ${identical} (${pyFixed((100 * identical) / LINES, 1)}%)`);
    expect(result.stdout).toMatch(new RegExp(`human against damaged, by sentence chrF against the reference: better on ${LINES - identical} pairs, worse on 0, tied on ${identical}`));

    const records = readLines<CompareJsonlRecord>(at('m30k', 'out', 'compare.jsonl'));
    expect(records).toHaveLength(LINES);
    const sentences = scoreSentences(damaged, [human], { metrics: ['chrf'] });
    records.forEach((record, i) => {
      expect(record.reference).toBe(human[i]);
      expect(record.versions[0].chrf).toBe(sentences[i][0].score);
      expect(record.versions[1].chrf).toBe(100);
    });
    // A lowercased line changes more words than a line with only its period gone.
    const lowered = records.filter((_, i) => i % 2 === 0 && human[i] !== damaged[i]);
    const periodOnly = records.filter((_, i) => i % 2 === 1 && human[i].replace(/\.$/, '') === damaged[i] && human[i] !== damaged[i]);
    expect(Math.min(...lowered.map((r) => r.difference))).toBeGreaterThan(0);
    expect(Math.max(...periodOnly.map((r) => r.rank))).toBeGreaterThan(Math.min(...lowered.map((r) => r.rank)));
  });
});
