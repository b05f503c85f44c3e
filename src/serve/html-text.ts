/**
 * `format: html` requests: the markup is cut into tags and text runs; only the text runs are
 * translated, and everything else (tags, attributes, comments, `<script>` and `<style>` bodies,
 * the white space around each run) comes back byte for byte.
 *
 * A small tokenizer, not a DOM: the output is the input with some text runs replaced, so it never
 * re-serializes (and never "fixes") the caller's markup. Not translated: raw-text elements
 * (script, style...), code-like elements (code, kbd, samp, var, pre, textarea), anything under
 * `translate="no"` or `class="notranslate"`, and runs without a letter.
 *
 * Each text run is translated on its own: `Le <b>chat</b> dort.` is three runs. The model cannot
 * carry tags through a sentence, and keeping the markup exact matters more to the callers.
 *
 * Linear time on any input (requests are hostile until proven otherwise): every scan moves
 * forward with sticky patterns, and a tag left open at the end takes the rest of the input
 * as markup instead of being retried at each later `<`.
 */
import { decodeHTML } from 'entities';

export type HtmlPart =
  | { readonly kind: 'markup'; readonly raw: string }
  | { readonly kind: 'text'; readonly raw: string; readonly translate: boolean };

/** Elements whose content is not markup: kept up to their end tag. */
const RAW_TEXT = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext', 'textarea', 'title']);
/** Raw-text elements whose content is text to translate (entities decoded). */
const TRANSLATED_RAW = new Set(['title']);
/** Elements whose text is code, input or preformatted data: kept as written. */
const NO_TRANSLATE = new Set(['code', 'kbd', 'samp', 'var', 'pre', 'textarea', 'script', 'style', 'svg', 'math', 'template']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

// Sticky: each matches at `lastIndex` only.
const COMMENT = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<[!?][^>]*(?:>|$)/y;
const TAG_NAME = /<(\/?)([a-zA-Z][^\s/>]*)/y;
/** Attributes up to the closing `>`; quoted values may hold `>`. Possessive in effect: the alternatives never overlap. */
const ATTRIBUTES = /(?:[^>"']+|"[^"]*"|'[^']*')*/y;

interface Open {
  name: string;
  /** Text directly or indirectly inside is not translated. */
  keep: boolean;
}

/** Whether a run holds a letter once its entities are decoded (`&nbsp;` holds none). */
const hasLetter = (raw: string): boolean => /\p{L}/u.test(raw.includes('&') ? decodeHTML(raw) : raw);

export function splitHtml(html: string): HtmlPart[] {
  const parts: HtmlPart[] = [];
  const stack: Open[] = [];
  const keeping = () => stack.length > 0 && stack[stack.length - 1].keep;
  let textStart = 0;
  const flushText = (end: number) => {
    if (end > textStart) {
      const raw = html.slice(textStart, end);
      parts.push({ kind: 'text', raw, translate: !keeping() && hasLetter(raw) });
    }
  };
  const markup = (start: number, end: number) => {
    flushText(start);
    parts.push({ kind: 'markup', raw: html.slice(start, end) });
    textStart = end;
  };

  let i = 0;
  while (true) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    COMMENT.lastIndex = lt;
    if (COMMENT.test(html)) {
      markup(lt, COMMENT.lastIndex);
      i = COMMENT.lastIndex;
      continue;
    }
    TAG_NAME.lastIndex = lt;
    const tag = TAG_NAME.exec(html);
    if (!tag) {
      i = lt + 1; // a `<` that starts no tag is text (`a < b`)
      continue;
    }
    ATTRIBUTES.lastIndex = TAG_NAME.lastIndex;
    ATTRIBUTES.exec(html);
    const close = ATTRIBUTES.lastIndex;
    if (html[close] !== '>') {
      // Never closed: browsers drop such a tag; keep the rest as it is.
      markup(lt, html.length);
      return parts;
    }
    markup(lt, close + 1);
    i = close + 1;
    const name = tag[2].toLowerCase();
    if (tag[1] === '/') {
      const at = stack.findLastIndex((open) => open.name === name);
      if (at >= 0) stack.length = at;
      continue;
    }
    const attributes = html.slice(TAG_NAME.lastIndex, close);
    const selfClosing = attributes.endsWith('/');
    const keep = keeping() || NO_TRANSLATE.has(name) || optsOut(attributes);
    if (RAW_TEXT.has(name) && !selfClosing) {
      // The content runs to the matching end tag, whatever it contains.
      const end = new RegExp(`</${name}[\\s/>]`, 'gi');
      end.lastIndex = i;
      const found = end.exec(html);
      const contentEnd = found ? found.index : html.length;
      if (contentEnd > i) {
        const raw = html.slice(i, contentEnd);
        parts.push(TRANSLATED_RAW.has(name) && !keep ? { kind: 'text', raw, translate: hasLetter(raw) } : { kind: 'markup', raw });
      }
      i = textStart = contentEnd;
    } else if (!VOID.has(name) && !selfClosing) {
      stack.push({ name, keep });
    }
  }
  flushText(html.length);
  return parts;
}

/** `translate="no"` (HTML's own attribute) or the `notranslate` class that translation tools honour. */
function optsOut(attributes: string): boolean {
  return /\btranslate\s*=\s*["']?no\b/i.test(attributes) || /\bclass\s*=\s*(?:"[^"]*\bnotranslate\b|'[^']*\bnotranslate\b|notranslate\b)/i.test(attributes);
}

const isHtmlSpace = (char: string | undefined): boolean => char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '\f';

/**
 * A text part cut into its surrounding white space (kept byte for byte) and the text between,
 * entities decoded: what gets translated. HTML's white space only: `&nbsp;` is content.
 */
export function textOf(part: HtmlPart & { kind: 'text' }): { lead: string; core: string; trail: string } {
  const { raw } = part;
  let start = 0;
  while (start < raw.length && isHtmlSpace(raw[start])) start++;
  let end = raw.length;
  while (end > start && isHtmlSpace(raw[end - 1])) end--;
  return { lead: raw.slice(0, start), core: decodeHTML(raw.slice(start, end)), trail: raw.slice(end) };
}

/** The HTML again, with each translated part's text replaced (`translations`: one per translated part, in order). */
export function joinHtml(parts: readonly HtmlPart[], translations: readonly string[]): string {
  let next = 0;
  return parts
    .map((part) => {
      if (part.kind === 'markup' || !part.translate) return part.raw;
      const { lead, trail } = textOf(part);
      return lead + escapeText(translations[next++]) + trail;
    })
    .join('');
}

/** Escapes for HTML text content: `&`, `<`, `>` (quotes need no escape outside attributes). */
function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (char) => (char === '&' ? '&amp;' : char === '<' ? '&lt;' : '&gt;'));
}
