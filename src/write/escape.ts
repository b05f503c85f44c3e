/**
 * Escaping and cleaning shared by every writer. Each format applies `cleanText` first, then its
 * own escape; nothing else in src/write/ escapes text by hand.
 */
import { escapeUTF8 } from 'entities';

/**
 * Characters no output may carry as-is, each replaced by U+FFFD:
 * - C0 controls except TAB and LF (CR included: documents are `\n`-normalized, and an ESC could
 *   otherwise drive the terminal that shows `sbs` output), DEL and the C1 controls;
 * - U+FFFE and U+FFFF, which XML 1.0 forbids;
 * - lone surrogates (an unpaired high or low half), which no UTF encoding can write.
 */
const UNSAFE_CHARS =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const REPLACEMENT_CHARACTER = '\uFFFD';

/**
 * Replaces characters unsafe in any output (see UNSAFE_CHARS) with U+FFFD. Each replaced
 * character is one UTF-16 code unit and so is U+FFFD: lengths, and so the offsets in JSONL
 * records, stay valid for the cleaned text.
 */
export function cleanText(text: string): string {
  return text.replace(UNSAFE_CHARS, REPLACEMENT_CHARACTER);
}

/**
 * Escapes for HTML text and double- or single-quoted attribute values (`& < > " '`), after
 * cleaning. Non-ASCII stays literal: pages are UTF-8.
 */
export function escapeHtml(text: string): string {
  return escapeUTF8(cleanText(text));
}

/**
 * Characters that mean something to GitHub-flavoured Markdown inside a table cell: emphasis,
 * code, links, strikethrough, math (`$`), the cell separator and the escape character itself.
 * Line-start syntax (`#`, `>`, `-`, `1.`) cannot occur: every cell begins after `| `.
 */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]|~$]/g;
const MARKDOWN_HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Makes text literal inside a Markdown table cell: Markdown punctuation is backslash-escaped,
 * `& < >` become entities (so neither raw HTML nor entity references get through), and newlines
 * become `<br>` (a table row is one line).
 */
export function escapeMarkdownCell(text: string): string {
  return cleanText(text)
    .replace(MARKDOWN_PUNCTUATION, (char) => `\\${char}`)
    .replace(/[&<>]/g, (char) => MARKDOWN_HTML[char] ?? char)
    .replace(/\n/g, '<br>');
}

const TSV_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const TSV_UNESCAPES: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r' };

/**
 * Escapes one TSV field so that a row stays one line of two fields: backslash -> `\\`,
 * TAB -> `\t`, LF -> `\n`, CR -> `\r` (the convention of PostgreSQL's text COPY format and of
 * `mysqldump --tab`). `unescapeTsvField` reverses it.
 */
export function escapeTsvField(text: string): string {
  return cleanText(text).replace(/[\\\t\n\r]/g, (char) => TSV_ESCAPES[char] ?? char);
}

/** Reverses `escapeTsvField`. A backslash before any other character is kept as it is. */
export function unescapeTsvField(field: string): string {
  return field.replace(/\\([\\tnr])/g, (_match, char: string) => TSV_UNESCAPES[char] ?? char);
}
