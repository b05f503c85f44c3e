import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlignedDocument, SentencePair } from '../src/document.js';
import { renderDocument } from '../src/write/index.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'fr2en-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  writeFileSync(join(dir, name), content);
  return name;
}

const check = (...argv: string[]) => runCli(['check', ...argv], { cwd: dir });
const records = (stdout: string) => stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

/** Three pairs: a correct one, a changed number, an untranslated sentence. */
const TSV = [
  'Le chat dort sur le canapé.\tThe cat is sleeping on the sofa.',
  'Le loyer est de 1 050 € par mois.\tThe rent is €1,500 a month.',
  'Il pleut depuis trois jours.\tIl pleut depuis trois jours.',
].join('\n');

/** An fr2en document whose pairs become real JSONL, TMX and XLIFF through fr2en's writers. */
function document(pairs: Array<Pick<SentencePair, 'source' | 'target'> & Partial<SentencePair>>): AlignedDocument {
  let offset = 0;
  const sentencePairs: SentencePair[] = pairs.map((pair, index) => {
    const start = offset;
    offset += pair.source.length + 1;
    return { index, start, end: start + pair.source.length, flags: [], qa: [], ...pair };
  });
  return {
    file: 'article.txt',
    model: 'test-model',
    paragraphs: [{ index: 0, start: 0, kind: 'prose', source: pairs.map((p) => p.source).join(' '), target: pairs.map((p) => p.target).join(' '), pairs: sentencePairs }],
  };
}

describe('fr2en check', () => {
  it('prints one JSON record per TSV pair, in order, with the line number as id, and exits 1', async () => {
    const result = await check(file('pairs.tsv', `${TSV}\n`));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(records(result.stdout)).toEqual([
      { id: '1', source: 'Le chat dort sur le canapé.', target: 'The cat is sleeping on the sofa.', qa: [] },
      {
        id: '2',
        source: 'Le loyer est de 1 050 € par mois.',
        target: 'The rent is €1,500 a month.',
        qa: [
          { check: 'numbers', message: 'source number 1 050 missing from the target' },
          { check: 'numbers', message: 'target number 1,500 not in the source' },
        ],
      },
      { id: '3', source: 'Il pleut depuis trois jours.', target: 'Il pleut depuis trois jours.', qa: [{ check: 'untranslated', message: 'target is the source, not translated' }] },
    ]);
  });

  it('exits 0 when nothing is flagged', async () => {
    const result = await check(file('clean.tsv', 'Il y a 3 chats.\tThere are three cats.\n'));
    expect(result.code).toBe(0);
    expect(records(result.stdout)).toEqual([{ id: '1', source: 'Il y a 3 chats.', target: 'There are three cats.', qa: [] }]);
  });

  it('unescapes TSV fields as fr2en writes them', async () => {
    const result = await check(file('escaped.tsv', 'Ligne un\\nligne deux.\tLine one\\nline two.\n'));
    expect(records(result.stdout)[0]).toMatchObject({ source: 'Ligne un\nligne deux.', target: 'Line one\nline two.' });
  });

  it('--format text prints file:id: check: message for flagged pairs only, and a summary on stderr', async () => {
    const result = await check(file('text.tsv', `${TSV}\n`), '--format', 'text');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        'text.tsv:2: numbers: source number 1 050 missing from the target',
        'text.tsv:2: numbers: target number 1,500 not in the source',
        'text.tsv:3: untranslated: target is the source, not translated',
        '',
      ].join('\n'),
    );
    expect(result.stderr).toBe('2 of 3 pairs to review: 1 numbers, 1 untranslated\n');
  });

  it('--qa runs only the checks named', async () => {
    const result = await check(file('only-numbers.tsv', `${TSV}\n`), '--qa', 'numbers', '--format', 'text');
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      'only-numbers.tsv:2: numbers: source number 1 050 missing from the target',
      'only-numbers.tsv:2: numbers: target number 1,500 not in the source',
    ]);
  });

  it("reads fr2en's JSONL as it is: ids, confidence for --min-confidence, truncated carried over, verbatim left alone", async () => {
    const jsonl = renderDocument(
      document([
        { source: 'date 2023-03', target: 'date 2023-03', flags: ['verbatim'] },
        { source: 'Le maire a parlé.', target: 'The mayor spoke.', confidence: -0.2 },
        { source: 'La réunion a duré deux heures.', target: 'The meeting lasted two hours.', confidence: -2.4 },
        { source: 'Le texte est très long.', target: 'The text is very long.', confidence: -0.3, qa: [{ check: 'truncated', message: 'the decoder reached its token limit before the end of the sentence' }] },
      ]),
      'jsonl',
    );
    const name = file('article.fr-en.jsonl', jsonl);
    const quiet = await check(name, '--format', 'text');
    expect(quiet.stdout).toBe('article.fr-en.jsonl:p0.s3: truncated: the decoder reached its token limit before the end of the sentence\n');

    const result = await check(name, '--min-confidence', '-1.5');
    expect(result.code).toBe(1);
    expect(records(result.stdout).map((record) => [record.id, record.qa])).toEqual([
      ['p0.s0', []],
      ['p0.s1', []],
      ['p0.s2', [{ check: 'low-confidence', message: 'confidence -2.4 is below the threshold -1.5' }]],
      ['p0.s3', [{ check: 'truncated', message: 'the decoder reached its token limit before the end of the sentence' }]],
    ]);
  });

  it('reads TMX and XLIFF 2.0, and names each file when given several', async () => {
    const doc = document([
      { source: 'Le pont mesure 2 460 m.', target: 'The bridge is 2,460 m long.' },
      { source: 'Voir www.pont.fr.', target: 'See the website.' },
    ]);
    const tmx = file('bridge.tmx', renderDocument(doc, 'tmx'));
    const xliff = file('bridge.xlf', renderDocument(doc, 'xliff'));
    const result = await check(tmx, xliff);
    expect(result.code).toBe(1);
    const urlFinding = [{ check: 'urls', message: 'source URL www.pont.fr missing from the target' }];
    expect(records(result.stdout)).toEqual([
      { file: 'bridge.tmx', id: 'p0.s0', source: 'Le pont mesure 2 460 m.', target: 'The bridge is 2,460 m long.', qa: [] },
      { file: 'bridge.tmx', id: 'p0.s1', source: 'Voir www.pont.fr.', target: 'See the website.', qa: urlFinding },
      { file: 'bridge.xlf', id: 'p0.s0', source: 'Le pont mesure 2 460 m.', target: 'The bridge is 2,460 m long.', qa: [] },
      { file: 'bridge.xlf', id: 'p0.s1', source: 'Voir www.pont.fr.', target: 'See the website.', qa: urlFinding },
    ]);
  });

  it.each([
    ['a missing file', ['missing.tsv'], /^fr2en: missing\.tsv: no such file or folder\n$/],
    ['a malformed TSV line', ['bad.tsv'], /^fr2en: bad\.tsv:2: expected 2 tab-separated fields \(source, target\), found 3\n$/],
    ['a pair without a source', ['no-source.jsonl'], /^fr2en: no-source\.jsonl: pair 1 has no French source; check needs both sides of every pair\n$/],
    ['a plain text file', ['notes.txt'], /^fr2en: notes\.txt: not a file of pairs; check reads/],
    ['an unknown check', ['ok.tsv', '--qa', 'numbers,spelling'], /unknown check "spelling"/],
  ])('exits 2 on %s and prints nothing on stdout', async (_case, argv, message) => {
    file('bad.tsv', 'Un.\tOne.\nDeux.\tTwo.\tThree.\n');
    file('no-source.jsonl', '{"target":"The cat."}\n');
    file('notes.txt', 'Le chat.\n');
    file('ok.tsv', 'Un chat.\tA cat.\n');
    const result = await check(...argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('checks 10,000 pairs in a few seconds', async () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `Le ${i + 1} mai, ${i * 7} personnes ont visité www.musee.fr.\tOn ${i + 1} May, ${(i * 7).toLocaleString('en')} people visited www.musee.fr.`);
    const name = file('big.tsv', `${lines.join('\n')}\n`);
    const started = performance.now();
    const result = await check(name, '--format', 'text');
    const seconds = (performance.now() - started) / 1000;
    expect(result.code, result.stdout.slice(0, 500)).toBe(0);
    expect(result.stderr).toBe('10000 pairs checked, none to review\n');
    expect(seconds).toBeLessThan(5);
  });
});
