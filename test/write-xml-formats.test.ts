import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanText } from '../src/write/escape.js';
import { renderDocument } from '../src/write/formats/index.js';
import { allPairs, sampleDocument, SCRIPT_SOURCE } from './helpers/aligned-fixtures.js';

const TMX_DTD = '/work/shared/data/schemas/tmx14.dtd';
const dtdPath = [path.resolve('shared/data/schemas/tmx14.dtd'), TMX_DTD].find((p) => existsSync(p));
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
if (!hasXmllint || dtdPath === undefined) {
  console.warn('write-xml-formats: xmllint or tmx14.dtd missing, DTD validation skipped (apt-get install libxml2-utils)');
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

  it('has one tu per pair, in order, fr-FR then en, hostile text intact, flags as props', () => {
    const tus = parser.parse(out).tmx.body.tu as Array<Record<string, any>>;
    expect(tus.map((tu) => tu['@tuid'])).toEqual(expected.map((p) => `p${p.paragraph}.s${p.sentence}`));
    expect(tus.map((tu) => tu.tuv.map((tuv: any) => tuv['@xml:lang']))).toEqual(expected.map(() => ['fr-FR', 'en']));
    expect(tus.map((tu) => [textOf(tu.tuv[0].seg), textOf(tu.tuv[1].seg)])).toEqual(expected.map((p) => [p.source, p.target]));
    expect(tus.map((tu) => (tu.prop ?? []).map(textOf))).toEqual(expected.map((p) => p.flags));
    expect(tus.some((tu) => textOf(tu.tuv[0].seg).includes(SCRIPT_SOURCE))).toBe(true);
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

  it('gives failed pairs state="initial" and no target, others state="translated" and their target', () => {
    const segments = (xliff.file.unit as Array<Record<string, any>>).flatMap((u) => u.segment as Array<Record<string, any>>);
    for (const [i, p] of expected.entries()) {
      const segment = segments[i];
      if (p.flags.includes('failed')) {
        expect(segment['@state']).toBe('initial');
        expect(segment.target).toBeUndefined();
      } else {
        expect(segment['@state']).toBe('translated');
        expect(textOf(segment.target)).toBe(p.target);
      }
      expect(segment['@subState']).toBe(p.flags.length > 0 ? `fr2en:${p.flags[0]}` : undefined);
    }
    const notes = (xliff.file.unit as Array<Record<string, any>>).flatMap((u) => (u.notes?.note ?? []).map(textOf));
    expect(notes).toEqual(expected.flatMap((p) => p.flags.map((f) => `p${p.paragraph}.s${p.sentence}: ${f}`)));
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
