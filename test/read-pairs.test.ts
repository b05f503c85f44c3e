/**
 * readPairs on files fr2en's own writers produce (the sample document with its hostile text,
 * flags and findings), on general TMX 1.4 and XLIFF 2.0 written by other tools, on plain text,
 * and on broken files, whose errors name the file and the line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/read/errors.js';
import { PairsError, pairFormatOf, parsePairs, readPairs, type PairFormat, type PairRecord } from '../src/read/pairs.js';
import { cleanText, renderDocument, writers, type OutputFormat } from '../src/write/index.js';
import { isTranslation } from '../src/write/review.js';
import { allPairs, sampleDocument } from './helpers/aligned-fixtures.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fr2en-read-pairs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe("round trip through fr2en's writers", () => {
  const doc = sampleDocument();
  const pairs = allPairs(doc).map((pair) => ({ ...pair, id: `p${pair.paragraph}.s${pair.sentence}`, untranslated: !isTranslation({ ...pair, index: 0, start: 0, end: 0 }) }));

  async function roundTrip(format: OutputFormat): Promise<PairRecord[]> {
    const file = write(`sample${writers[format].extension}`, renderDocument(doc, format, { toolVersion: '0.1.0' }));
    return readPairs(file);
  }

  it('jsonl: every pair, with ids, flags, findings and confidence', async () => {
    const records = await roundTrip('jsonl');
    expect(records).toEqual(
      pairs.map((pair) => ({
        id: pair.id,
        source: cleanText(pair.source),
        target: cleanText(pair.target),
        flags: pair.flags,
        qa: pair.qa.map(({ check, message }) => ({ check, message: cleanText(message) })),
        ...(pair.confidence === undefined ? {} : { confidence: pair.confidence }),
      })),
    );
  });

  it('tsv: every pair, tabs, newlines and backslashes unescaped, ids are line numbers', async () => {
    const records = await roundTrip('tsv');
    expect(records).toEqual(pairs.map((pair, i) => ({ id: String(i + 1), source: cleanText(pair.source), target: cleanText(pair.target) })));
    expect(records.some((record) => record.source!.includes('\t') && record.source!.includes('\n') && record.source!.includes('\\'))).toBe(true);
  });

  it('tmx: the pairs that are translations (fr2en leaves failed and skipped ones out), with flags and findings', async () => {
    const records = await roundTrip('tmx');
    const kept = pairs.filter((pair) => !pair.untranslated);
    expect(kept.length).toBeLessThan(pairs.length);
    expect(records).toEqual(
      kept.map((pair) => ({
        id: pair.id,
        source: cleanText(pair.source),
        target: cleanText(pair.target),
        ...(pair.flags.length > 0 ? { flags: pair.flags } : {}),
        ...(pair.qa.length > 0 ? { qa: pair.qa.map(({ check, message }) => ({ check, message: cleanText(message) })) } : {}),
      })),
    );
  });

  it("xliff: every segment; an untranslated one has target ''", async () => {
    const records = await roundTrip('xliff');
    expect(records).toEqual(
      pairs.map((pair) => ({
        id: pair.id,
        source: cleanText(pair.source),
        target: pair.untranslated ? '' : cleanText(pair.target),
        ...(pair.flags.length > 0 ? { flags: pair.flags } : {}),
        ...(pair.qa.length > 0 ? { qa: pair.qa.map(({ check, message }) => ({ check, message: cleanText(message) })) } : {}),
      })),
    );
  });
});

describe('formats', () => {
  it.each([
    ['out/a.fr-en.jsonl', 'jsonl'],
    ['A.TSV', 'tsv'],
    ['mem.tmx', 'tmx'],
    ['a.xlf', 'xliff'],
    ['a.xliff', 'xliff'],
    ['hyp.txt', 'text'],
    ['hyp.en', 'text'],
    ['noext', 'text'],
  ] as const)('%s is %s', (file, format) => {
    expect(pairFormatOf(file)).toBe(format);
  });

  it('text: one segment per line, empty lines kept, a final newline not a segment; ids are line numbers', async () => {
    const file = write('hyp.txt', 'First line.\n\n  Third, indented.  \r\nlast');
    expect(await readPairs(file)).toEqual([
      { id: '1', target: 'First line.' },
      { id: '2', target: '' },
      { id: '3', target: '  Third, indented.  ' },
      { id: '4', target: 'last' },
    ]);
    expect(parsePairs('', 'text', 'x')).toEqual([]);
    expect(parsePairs('\n', 'text', 'x')).toEqual([{ id: '1', target: '' }]);
  });

  it('decodes as fr2en reads any input: UTF-16 with a BOM, Windows-1252', async () => {
    const utf16 = write('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Café\nThé\n', 'utf16le')]));
    expect((await readPairs(utf16)).map((r) => r.target)).toEqual(['Café', 'Thé']);
    const latin = write('latin.txt', Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x0a]));
    expect((await readPairs(latin)).map((r) => r.target)).toEqual(['Café €']);
  });

  it('takes an explicit format over the extension', async () => {
    const file = write('pairs.txt', 'source\ttarget\n');
    expect(await readPairs(file, { format: 'tsv' })).toEqual([{ id: '1', source: 'source', target: 'target' }]);
    expect(await readPairs(file)).toEqual([{ id: '1', target: 'source\ttarget' }]);
  });

  it('jsonl from another tool: numeric or missing ids, no source, blank lines skipped', () => {
    const text = '{"id": 7, "target": "a"}\n\n{"target": "b", "source": "b fr"}\n';
    expect(parsePairs(text, 'jsonl', 'x.jsonl')).toEqual([
      { id: '7', target: 'a' },
      { id: '3', source: 'b fr', target: 'b' },
    ]);
  });

  it('a general TMX 1.4: languages by prefix (fr-CA, EN-GB, TMX 1.1 lang), ids by position, inline codes left out', () => {
    const tmx = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="other" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="fr-CA" datatype="html"/>
  <body>
    <tu>
      <tuv xml:lang="de"><seg>Hallo</seg></tuv>
      <tuv xml:lang="EN-GB"><seg>Hello <bpt i="1">&lt;b&gt;</bpt>bold<ept i="1">&lt;/b&gt;</ept> <hi>world</hi> &#x1F600; &amp;lt;</seg></tuv>
      <tuv xml:lang="fr-CA"><seg>Bonjour <ph>&lt;br/&gt;</ph>le monde<![CDATA[ <&> ]]></seg></tuv>
    </tu>
    <tu tuid="x7">
      <tuv lang="FR"><seg>Deux</seg></tuv>
      <tuv lang="en"><seg/></tuv>
    </tu>
  </body>
</tmx>`;
    expect(parsePairs(tmx, 'tmx', 'mem.tmx')).toEqual([
      { id: '1', source: 'Bonjour le monde <&> ', target: 'Hello bold world 😀 &lt;' },
      { id: 'x7', source: 'Deux', target: '' },
    ]);
  });

  it('a general XLIFF 2.0: groups, segments without ids, inline markup, cp', () => {
    const xliff = `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr" trgLang="en">
  <file id="f1">
    <group id="g1">
      <unit id="u1">
        <segment><source>Un <pc id="1">gras</pc></source><target>A <pc id="1">bold</pc><ph id="2"/> one<cp hex="2603"/></target></segment>
        <segment id="s2"><source>Deux</source></segment>
      </unit>
    </group>
  </file>
</xliff>`;
    expect(parsePairs(xliff, 'xliff', 'a.xlf')).toEqual([
      { id: 'u1/1', source: 'Un gras', target: 'A bold one☃' },
      { id: 's2', source: 'Deux', target: '' },
    ]);
  });
});

describe('errors name the file and the line', () => {
  it.each<[string, PairFormat, string, string]>([
    ['a.jsonl', 'jsonl', '{"id":"p0.s0","target":"ok"}\n{"id": oops}\n', 'a.jsonl:2: not JSON'],
    ['a.jsonl', 'jsonl', '["not", "an", "object"]\n', 'a.jsonl:1: expected a JSON object per line'],
    ['a.jsonl', 'jsonl', '{"id":"p0.s0"}\n', 'a.jsonl:1: no "target" string'],
    ['a.jsonl', 'jsonl', '{"target":"t","flags":"failed"}\n', 'a.jsonl:1: "flags" is not an array of strings'],
    ['a.tsv', 'tsv', 'a\tb\nc\td\te\n', 'a.tsv:2: expected 2 tab-separated fields (source, target), found 3'],
    ['a.tsv', 'tsv', 'a\tb\n\nc\td\n', 'a.tsv:2: expected 2 tab-separated fields (source, target), found 1'],
    ['m.tmx', 'tmx', '<tmx version="1.4">\n<body>\n<tu>\n</body></tmx>', 'm.tmx:4: not well-formed XML'],
    ['m.tmx', 'tmx', '<tmx version="1.4"><body>\n<tu tuid="a"><tuv xml:lang="en"><seg>x</seg></tuv></tu>\n<tu tuid="b"><tuv xml:lang="fr"><seg>y</seg></tuv></tu></body></tmx>', 'm.tmx:3: tu "b" has no English tuv'],
    ['m.tmx', 'tmx', '<xliff version="2.0"/>', 'm.tmx: not a TMX file (root element <xliff>)'],
    ['a.xlf', 'xliff', '<?xml version="1.0"?>\n<xliff version="1.2"><file/></xliff>', 'a.xlf:2: XLIFF version "1.2" is not supported'],
  ])('%s (%s): %j', (file, format, content, message) => {
    const parse = () => parsePairs(content, format, file);
    expect(parse).toThrow(PairsError);
    expect(parse).toThrow(message);
  });

  it('a missing or binary file is an InputError naming it', async () => {
    await expect(readPairs(path.join(dir, 'missing.jsonl'), { file: 'missing.jsonl' })).rejects.toThrow(new InputError('not-found', 'missing.jsonl', 'no such file or folder'));
    const png = write('image.tmx', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    await expect(readPairs(png, { file: 'image.tmx' })).rejects.toThrow(/image\.tmx: binary file/);
  });
});
