/**
 * The few Python `str` behaviours sacreBLEU's numbers depend on, reproduced for JavaScript strings:
 * what counts as whitespace for `split()` and `rstrip()`, and iteration by code point (Python
 * indexes strings by code point, JavaScript by UTF-16 code unit). `str.lower()` and
 * `String.prototype.toLowerCase()` both apply Unicode's full lowercase mapping (final sigma, the
 * dotted capital I), so lowercasing needs no helper. test/score-unicode.test.ts checks all of this
 * against facts recorded from Python (test/fixtures/sacrebleu/unicode.json).
 */

/**
 * Python's `str.isspace()` characters: bidirectional class WS, B or S, or category Zs. Wider than
 * ASCII whitespace (the information separators U+001C-U+001F, NEL, NBSP, U+202F...) and narrower
 * than JavaScript's `\s`, which adds U+FEFF.
 */
const PY_WHITESPACE_CLASS = '\\t\\n\\u000B\\u000C\\r\\u001C-\\u001F \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
const PY_WHITESPACE_RUN = new RegExp(`[${PY_WHITESPACE_CLASS}]+`, 'u');
const PY_WHITESPACE_ALL = new RegExp(`[${PY_WHITESPACE_CLASS}]+`, 'gu');

export function isPythonWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** Python's `text.split()`: words between runs of whitespace, never an empty word. */
export function pySplit(text: string): string[] {
  const parts = text.split(PY_WHITESPACE_RUN);
  // Only the first and last piece can be empty (leading or trailing whitespace).
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length > 0 && parts[0] === '') parts.shift();
  return parts;
}

/** Python's `text.rstrip()`. A loop, not a regex: `/\s+$/` is quadratic on long runs of spaces. */
export function pyRstrip(text: string): string {
  let end = text.length;
  while (end > 0 && isPythonWhitespace(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Python's `''.join(text.split())`: the text with every whitespace character removed. */
export function removePythonWhitespace(text: string): string {
  return text.replace(PY_WHITESPACE_ALL, '');
}

/** Python's `len(text)`: the number of code points. */
export function codePointLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    length++;
  }
  return length;
}
