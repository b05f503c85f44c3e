/**
 * TMX and XLIFF 2.0 readers for pairs.ts, on fast-xml-parser (which fr2en also writes them with).
 *
 * - TMX (1.4, and 1.1's `lang`): each `tu` is a record; source = its first tuv whose language is
 *   `fr` or `fr-*`, target = its first `en`/`en-*` one; id = `tuid`, else the tu's 1-based position.
 *   fr2en's `x-fr2en-flag` and `x-fr2en-qa` props give flags and findings.
 * - XLIFF 2.0: each `segment` of each `unit` (inside `group`s too) is a record, in document order;
 *   id = the segment's `id`, else `<unit id>/<n>`; a segment without `<target>` has target ''.
 *   fr2en's unit notes (`fr2en-flag`, `fr2en-qa`, each `<segment id>: ...`) give flags and findings.
 *
 * Segment text is the text of the element with inline markup resolved: highlighting (`hi`, `pc`,
 * `mrk`) keeps its text, `cp` gives its code point, and codes standing for formatting (`bpt`,
 * `ept`, `ph`, `it`, `ut`, `sc`, `ec`, `sm`, `em`) are left out. Entities: the five XML ones and
 * numeric character references; entities a DOCTYPE declares are left as written, never expanded.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { PairRecord } from './pairs.js';

/** Builds the error for a problem at a 1-based line (undefined when not known). */
export type Fail = (line: number | undefined, problem: string) => Error;

/** A parsed element in fast-xml-parser's `preserveOrder` shape. */
type XmlNode = Record<string, unknown>;

const XML_REFERENCE = /&(?:(lt|gt|amp|quot|apos)|#([0-9]+)|#[xX]([0-9a-fA-F]+));/g;
const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeReferences(text: string): string {
  return text.replace(XML_REFERENCE, (whole, name: string | undefined, decimal: string | undefined, hex: string | undefined) => {
    if (name !== undefined) return XML_ENTITIES[name];
    const code = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex!, 16);
    return code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

/**
 * One pass over the text, so `&amp;#65;` gives `&#65;` and not `A`. fast-xml-parser's own decoder
 * leaves numeric references alone unless HTML entities are switched on too.
 */
const entityDecoder = {
  setExternalEntities() {},
  addInputEntities() {},
  reset() {},
  setXmlVersion() {},
  decode: decodeReferences,
};

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  captureMetaData: true,
  entityDecoder,
});
// Typed `Symbol` (the interface), not `symbol`, by fast-xml-parser's declarations.
const META = XMLParser.getMetaDataSymbol() as symbol;

/** Inline elements whose content is formatting code, not text. */
const CODE_ELEMENTS = new Set(['bpt', 'ept', 'ph', 'it', 'ut', 'sc', 'ec', 'sm', 'em']);

function parse(xml: string, fail: Fail): XmlNode[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw fail(valid.err.line, `not well-formed XML: ${valid.err.msg}`);
  return parser.parse(xml) as XmlNode[];
}

/** The element's name (the key that is neither `:@` nor `#text`), or undefined for text. */
function nameOf(node: XmlNode): string | undefined {
  for (const key of Object.keys(node)) if (key !== ':@' && key !== '#text') return key;
  return undefined;
}

function childrenOf(node: XmlNode): XmlNode[] {
  const name = nameOf(node);
  return name === undefined ? [] : (node[name] as XmlNode[]);
}

function elements(nodes: XmlNode[], name: string): XmlNode[] {
  return nodes.filter((node) => nameOf(node) === name);
}

function attribute(node: XmlNode, name: string): string | undefined {
  return (node[':@'] as Record<string, string> | undefined)?.[name];
}

/** Text of the element's content, inline markup resolved (see the module comment). */
function textOf(nodes: XmlNode[]): string {
  let text = '';
  for (const node of nodes) {
    const name = nameOf(node);
    if (name === undefined) text += String(node['#text'] ?? '');
    else if (name === 'cp') text += codePoint(attribute(node, 'hex'));
    else if (!CODE_ELEMENTS.has(name)) text += textOf(childrenOf(node));
  }
  return text;
}

function codePoint(hex: string | undefined): string {
  const code = hex === undefined ? Number.NaN : Number.parseInt(hex, 16);
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

/** Splits fr2en's `check: message` (TMX prop, after the segment id in XLIFF notes). */
function finding(text: string): { check: string; message: string } {
  const at = text.indexOf(': ');
  return at < 0 ? { check: text, message: '' } : { check: text.slice(0, at), message: text.slice(at + 2) };
}

/** 1-based line of a node, from the offset fast-xml-parser records. */
function lineOf(xml: string, node: XmlNode): number | undefined {
  const start = (node as Record<symbol, { startIndex?: number } | undefined>)[META]?.startIndex;
  if (start === undefined) return undefined;
  let line = 1;
  for (let at = xml.indexOf('\n'); at !== -1 && at < start; at = xml.indexOf('\n', at + 1)) line++;
  return line;
}

function root(tree: XmlNode[], name: string, fail: Fail): XmlNode {
  const top = tree.find((node) => nameOf(node) !== undefined);
  if (top === undefined || nameOf(top) !== name) throw fail(undefined, `not a ${name === 'tmx' ? 'TMX' : 'XLIFF'} file (root element <${top ? nameOf(top) : 'none'}>)`);
  return top;
}

const FRENCH = /^fr(?:-|$)/i;
const ENGLISH = /^en(?:-|$)/i;

export function parseTmx(xml: string, fail: Fail): PairRecord[] {
  const tmx = root(parse(xml, fail), 'tmx', fail);
  const records: PairRecord[] = [];
  for (const body of elements(childrenOf(tmx), 'body')) {
    for (const tu of elements(childrenOf(body), 'tu')) {
      const id = attribute(tu, 'tuid') ?? String(records.length + 1);
      const content = childrenOf(tu);
      const tuvs = elements(content, 'tuv').map((tuv) => ({
        lang: attribute(tuv, 'xml:lang') ?? attribute(tuv, 'lang'),
        text: textOf(elements(childrenOf(tuv), 'seg').flatMap(childrenOf)),
      }));
      const target = tuvs.find((tuv) => tuv.lang !== undefined && ENGLISH.test(tuv.lang));
      if (target === undefined) throw fail(lineOf(xml, tu), `tu ${JSON.stringify(id)} has no English tuv (xml:lang en or en-*)`);
      const record: PairRecord = { id, target: target.text };
      const source = tuvs.find((tuv) => tuv.lang !== undefined && FRENCH.test(tuv.lang));
      if (source !== undefined) record.source = source.text;
      const props = elements(content, 'prop');
      const flags = props.filter((prop) => attribute(prop, 'type') === 'x-fr2en-flag').map((prop) => textOf(childrenOf(prop)));
      const qa = props.filter((prop) => attribute(prop, 'type') === 'x-fr2en-qa').map((prop) => finding(textOf(childrenOf(prop))));
      if (flags.length > 0) record.flags = flags;
      if (qa.length > 0) record.qa = qa;
      records.push(record);
    }
  }
  return records;
}

export function parseXliff(xml: string, fail: Fail): PairRecord[] {
  const xliff = root(parse(xml, fail), 'xliff', fail);
  const version = attribute(xliff, 'version') ?? '';
  if (!version.startsWith('2.')) {
    throw fail(lineOf(xml, xliff), `XLIFF version ${JSON.stringify(version)} is not supported (only 2.x, which fr2en writes)`);
  }
  const records: PairRecord[] = [];
  const visit = (nodes: XmlNode[]): void => {
    for (const node of nodes) {
      const name = nameOf(node);
      if (name === 'file' || name === 'group') visit(childrenOf(node));
      else if (name === 'unit') records.push(...unitRecords(node));
    }
  };
  visit(childrenOf(xliff));
  return records;
}

function unitRecords(unit: XmlNode): PairRecord[] {
  const content = childrenOf(unit);
  // fr2en writes notes as `<segment id>: <flag>` and `<segment id>: <check>: <message>`.
  const notes = elements(content, 'notes').flatMap((notes) => elements(childrenOf(notes), 'note'));
  const notesFor = (id: string, category: string) =>
    notes
      .filter((note) => attribute(note, 'category') === category)
      .map((note) => textOf(childrenOf(note)))
      .filter((text) => text.startsWith(`${id}: `))
      .map((text) => text.slice(id.length + 2));
  return elements(content, 'segment').map((segment, i) => {
    const id = attribute(segment, 'id') ?? `${attribute(unit, 'id') ?? ''}/${i + 1}`;
    const parts = childrenOf(segment);
    const source = elements(parts, 'source')[0];
    const target = elements(parts, 'target')[0];
    const record: PairRecord = { id, target: target === undefined ? '' : textOf(childrenOf(target)) };
    if (source !== undefined) record.source = textOf(childrenOf(source));
    const flags = notesFor(id, 'fr2en-flag');
    const qa = notesFor(id, 'fr2en-qa').map(finding);
    if (flags.length > 0) record.flags = flags;
    if (qa.length > 0) record.qa = qa;
    return record;
  });
}
