import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanText } from '../src/write/escape.js';
import { renderDocument } from '../src/write/formats/index.js';
import { alignedDocument, allPairs, longDocument, sampleDocument, SCRIPT_SOURCE } from './helpers/aligned-fixtures.js';

const TMX_DTD = '/work/shared/data/schemas/tmx14.dtd';
const dtdPath = [path.resolve('shared/data/schemas/tmx14.dtd'), TMX_DTD].find((p) => existsSync(p));
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
if (!hasXmllint || dtdPath === undefined) {
  console.warn('write-xml-formats: xmllint or tmx14.dtd missing, DTD validation skipped (apt-get install libxml2-utils)');
}
const hasBuildTmdb = spawnSync('build_tmdb', ['--help']).status === 0;
if (!hasBuildTmdb) {
  console.warn('write-xml-formats: build_tmdb missing, translate-toolkit import test skipped (apt-get install translate-toolkit)');
}

const doc = sampleDocument();
const expected = allPairs(doc).map((p) => ({ ...p, source: cleanText(p.source), target: cleanText(p.target) }));
const dir = mkdtempSync(path.join(tmpdir(), 'fr2en-write-xml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: false,
  isArray: (name) => ['tu', 'tuv', 'prop', 'unit', 'segment', 'note', 'ignorable'].includes(name),
});

/** Text of an element parsed with attributes: a string, or `#text` beside attributes. */
function textOf(node: unknown): string {
  if (node === undefined || node === '') return '';
  if (typeof node === 'string') return node;
  return String((node as Record<string, unknown>)['#text'] ?? '');
}

function xmllint(args: string[], xml: string): { ok: boolean; output: string } {
  const file = path.join(dir, `doc-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, xml);
  const run = spawnSync('xmllint', [...args, file], { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

describe('tmx', () => {
  const out = renderDocument(doc, 'tmx', { toolVersion: '0.1.0' });

  it('is well-formed XML 1.0', () => {
    expect(XMLValidator.validate(out)).toBe(true);
    expect(out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">')).toBe(true);
  });

  it.runIf(hasXmllint && dtdPath !== undefined)('is valid against the TMX 1.4 DTD (xmllint --dtdvalid)', () => {
    const result = xmllint(['--noout', '--dtdvalid', dtdPath!], out);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it('has the required header attributes', () => {
    const header = parser.parse(out).tmx.header;
    expect(header).toMatchObject({
      '@creationtool': 'fr2en',
      '@creationtoolversion': '0.1.0',
      '@segtype': 'sentence',
      '@srclang': 'fr-FR',
      '@datatype': 'plaintext',
      '@adminlang': 'en',
      '@o-tmf': 'fr2en',
    });
  });

  it('has one tu per translated pair, in order, fr-FR then en, hostile text intact, flags and findings as props', () => {
    const tus = parser.parse(out).tmx.body.tu as Array<Record<string, any>>;
    const kept = expected.filter((p) => !p.flags.includes('failed') && !p.flags.includes('skipped'));
    expect(kept.length).toBe(expected.length - 2);
    expect(tus.map((tu) => tu['@tuid'])).toEqual(kept.map((p) => `p${p.paragraph}.s${p.sentence}`));
    expect(tus.map((tu) => tu.tuv.map((tuv: any) => tuv['@xml:lang']))).toEqual(kept.map(() => ['fr-FR', 'en']));
    expect(tus.map((tu) => [textOf(tu.tuv[0].seg), textOf(tu.tuv[1].seg)])).toEqual(kept.map((p) => [p.source, p.target]));
    const props = (tu: Record<string, any>, type: string): string[] => (tu.prop ?? []).filter((p: any) => p['@type'] === type).map(textOf);
    expect(tus.map((tu) => props(tu, 'x-fr2en-flag'))).toEqual(kept.map((p) => p.flags));
    expect(tus.map((tu) => props(tu, 'x-fr2en-qa'))).toEqual(kept.map((p) => p.qa.map((f) => cleanText(`${f.check}: ${f.message}`))));
    expect(tus.some((tu) => textOf(tu.tuv[0].seg).includes(SCRIPT_SOURCE))).toBe(true);
    expect(tus.some((tu) => props(tu, 'x-fr2en-qa').some((text) => text.includes('<script>window.pwned=4</script>')))).toBe(true);
  });

  it('counts the pairs left out in a header note', () => {
    const header = parser.parse(out).tmx.header;
    expect(header.note.map(textOf)).toEqual(['2 of 15 sentence pairs left out as not translations (failed: 1, skipped: 1); the other fr2en formats keep them.']);
    const clean = renderDocument(longDocument(3), 'tmx');
    expect(parser.parse(clean).tmx.header.note.map(textOf)).toEqual(['0 of 6 sentence pairs left out as not translations (failed: 0, skipped: 0); the other fr2en formats keep them.']);
  });

  it.runIf(hasXmllint && dtdPath !== undefined)('stays valid when every pair is left out (an empty body)', () => {
    const allFailed = alignedDocument('x.txt', [{ kind: 'prose', pairs: [['Non.', 'Non.', ['failed']]] }]);
    const result = xmllint(['--noout', '--dtdvalid', dtdPath!], renderDocument(allFailed, 'tmx'));
    expect(result).toEqual({ ok: true, output: '' });
  });

  it.runIf(hasBuildTmdb)('imports into translate-toolkit (build_tmdb) as translations only, never French -> French', () => {
    const file = path.join(dir, 'memory.tmx');
    const db = path.join(dir, 'memory.db');
    writeFileSync(file, out);
    const run = spawnSync('build_tmdb', ['-d', db, '-s', 'fr', '-t', 'en', file], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const sqlite = new Database(db, { readonly: true });
    const imported = sqlite.prepare('SELECT s.text AS source, t.text AS target FROM sources s JOIN targets t ON s.sid = t.sid ORDER BY t.tid').all() as Array<{ source: string; target: string }>;
    sqlite.close();
    const kept = expected.filter((p) => !p.flags.includes('failed') && !p.flags.includes('skipped'));
    expect(imported).toEqual(kept.map((p) => ({ source: p.source, target: p.target })));
    const untranslated = expected.filter((p) => p.flags.includes('failed') || p.flags.includes('skipped')).map((p) => p.source);
    expect(untranslated).toHaveLength(2);
    expect(imported.filter((pair) => untranslated.includes(pair.source))).toEqual([]);
  });
});

describe('xliff', () => {
  const out = renderDocument(doc, 'xliff', { toolVersion: '0.1.0' });
  const xliff = parser.parse(out).xliff;

  it('is well-formed XML 1.0 in the XLIFF 2.0 namespace', () => {
    expect(XMLValidator.validate(out)).toBe(true);
    if (hasXmllint) expect(xmllint(['--noout'], out)).toEqual({ ok: true, output: '' });
    expect(xliff).toMatchObject({
      '@xmlns': 'urn:oasis:names:tc:xliff:document:2.0',
      '@version': '2.0',
      '@srcLang': 'fr-FR',
      '@trgLang': 'en',
    });
    expect(xliff.file['@id']).toBe('f1');
    expect(xliff.file['@original']).toBe('articles/le-monde.txt');
  });

  it('has one unit per paragraph and one segment per pair, in order, with unique ids', () => {
    const units = xliff.file.unit as Array<Record<string, any>>;
    expect(units.map((u) => u['@id'])).toEqual(doc.paragraphs.map((p) => `p${p.index}`));
    const segments = units.flatMap((u) => u.segment as Array<Record<string, any>>);
    expect(segments.map((s) => s['@id'])).toEqual(expected.map((p) => `p${p.paragraph}.s${p.sentence}`));
    expect(new Set(segments.map((s) => s['@id'])).size).toBe(segments.length);
    expect(segments.map((s) => textOf(s.source))).toEqual(expected.map((p) => p.source));
  });

  it('keeps failed and skipped pairs as untranslated segments (state="initial", no target), others translated', () => {
    const segments = (xliff.file.unit as Array<Record<string, any>>).flatMap((u) => u.segment as Array<Record<string, any>>);
    for (const [i, p] of expected.entries()) {
      const segment = segments[i];
      if (p.flags.includes('failed') || p.flags.includes('skipped')) {
        expect(segment['@state']).toBe('initial');
        expect(segment.target).toBeUndefined();
      } else {
        expect(segment['@state']).toBe('translated');
        expect(textOf(segment.target)).toBe(p.target);
      }
    }
    expect(segments.filter((s) => s['@state'] === 'initial').map((s) => s['@subState'])).toEqual(['fr2en:failed', 'fr2en:skipped']);
  });

  it('gives pairs to review a fr2en:qa: subState (with its state), and every flag and finding a note', () => {
    const units = xliff.file.unit as Array<Record<string, any>>;
    const segments = units.flatMap((u) => u.segment as Array<Record<string, any>>);
    const subStates = segments.map((s) => s['@subState']);
    expect(subStates).toEqual([
      'fr2en:verbatim', undefined, // header
      undefined, // heading
      undefined, undefined, undefined,
      'fr2en:qa:numbers', undefined, undefined, undefined, 'fr2en:qa:repetition,length',
      'fr2en:failed', 'fr2en:verbatim', 'fr2en:qa:length',
      'fr2en:skipped',
    ]);
    for (const segment of segments) {
      if (segment['@subState'] === undefined) continue;
      expect(segment['@state']).toBeDefined(); // XLIFF 2.0: subState only with an explicit state
      expect(segment['@subState']).toMatch(/^fr2en:[^:]/);
    }
    const notes = units.flatMap((u) => (u.notes?.note ?? []) as Array<Record<string, any>>);
    const byCategory = (category: string): string[] => notes.filter((n) => n['@category'] === category).map(textOf);
    expect(byCategory('fr2en-flag')).toEqual(expected.flatMap((p) => p.flags.map((f) => `p${p.paragraph}.s${p.sentence}: ${f}`)));
    expect(byCategory('fr2en-qa')).toEqual(
      expected.flatMap((p) => p.qa.map((f) => cleanText(`p${p.paragraph}.s${p.sentence}: ${f.check}: ${f.message}`))),
    );
    expect(byCategory('fr2en-qa').some((note) => note.includes('<script>window.pwned=4</script>'))).toBe(true);
  });

  it('keeps the text between sentences in ignorables, so a unit reassembles its paragraph', () => {
    const ordered = new XMLParser({ preserveOrder: true, trimValues: false, ignoreAttributes: false });
    const text = (nodes: any[]): string => nodes.map((n) => ('#text' in n ? String(n['#text']) : '')).join('');
    const file = ordered.parse(out).find((n: any) => n.xliff).xliff.find((n: any) => n.file).file;
    const units = file.filter((n: any) => n.unit).map((n: any) => n.unit);
    const rebuilt = units.map((children: any[]) =>
      children
        .filter((n) => n.segment || n.ignorable)
        .map((n) => text((n.segment ?? n.ignorable).find((c: any) => c.source).source))
        .join(''),
    );
    expect(rebuilt).toEqual(doc.paragraphs.map((p) => cleanText(p.source)));
  });
});
