/**
 * XML building for the TMX and XLIFF writers, on fast-xml-parser's XMLBuilder (which escapes
 * `& < > " '` in text and attributes). Text goes through `cleanText` first, so the output is
 * well-formed XML 1.0 whatever the document holds.
 *
 * Streaming: a writer builds its whole envelope once with `BODY_MARK` where the paragraphs go and
 * cuts it in two (`splitEnvelope`); each paragraph is built inside the same chain of parent
 * elements and cut out again (`buildInside`), so indentation matches a whole-document build.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { cleanText } from '../escape.js';

/** An element in XMLBuilder's `preserveOrder` shape, which keeps mixed children in order. */
export type XmlNode = { [name: string]: XmlNode[] | Record<string, string> } | { '#text': string };

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
});

/** An element; attribute values and text are cleaned here, escaped by the builder. */
export function el(name: string, attributes: Record<string, string | undefined>, children: XmlNode[] = []): XmlNode {
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined) attrs[key] = cleanText(value);
  }
  return Object.keys(attrs).length > 0 ? { [name]: children, ':@': attrs } : { [name]: children };
}

export function text(value: string): XmlNode {
  return { '#text': cleanText(value) };
}

/** Stands where the paragraphs go; made of characters the builder never escapes. */
const BODY_MARK = 'FR2EN_BODY_7f3a9c';

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/**
 * Builds `root` with `bodyParent`'s content replaced by the paragraphs, and returns the text
 * before (header) and after (footer) them.
 */
export function splitEnvelope(root: XmlNode, bodyParent: XmlNode[]): { header: string; footer: string } {
  bodyParent.push({ '#text': BODY_MARK });
  const built = builder.build([root]) as string;
  const at = built.indexOf(BODY_MARK);
  const before = built.slice(0, at);
  const lineStart = before.lastIndexOf('\n') + 1;
  const indent = /^\s*/.exec(before.slice(lineStart))?.[0] ?? '';
  return {
    header: `${XML_DECLARATION}${before.replace(/^\n+/, "")}\n`,
    footer: `${indent}${built.slice(at + BODY_MARK.length).trimEnd()}\n`,
  };
}

/**
 * Builds `nodes` nested in the elements named by `path` (outermost first) and returns only the
 * lines of `nodes`, indented as they would be in the full document.
 */
export function buildInside(path: readonly string[], nodes: XmlNode[]): string {
  if (nodes.length === 0) return '';
  let tree: XmlNode[] = nodes;
  for (const name of [...path].reverse()) tree = [{ [name]: tree }];
  const built = builder.build(tree) as string;
  const innermost = path[path.length - 1];
  // Escaped text can hold no `<`, so the first opening and last closing tag are the wrappers.
  const open = `<${innermost}>\n`;
  const start = built.indexOf(open) + open.length;
  const end = built.lastIndexOf('\n', built.lastIndexOf(`</${innermost}>`)) + 1;
  return built.slice(start, end);
}
