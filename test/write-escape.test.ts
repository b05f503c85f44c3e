import { describe, expect, it } from 'vitest';
import { cleanText, escapeHtml, escapeMarkdownCell, escapeTsvField, unescapeTsvField } from '../src/write/escape.js';
import { CONTROL_TEXT, LAYOUT_TEXT, MARKDOWN_TEXT } from './helpers/aligned-fixtures.js';

describe('cleanText', () => {
  it('replaces C0 (but TAB and LF), DEL, C1, U+FFFE/FFFF and lone surrogates with U+FFFD', () => {
    expect(cleanText('a\u0000b\u001Bc\rd\u007Fe\u0085f\u009Fg\uFFFEh\uFFFFi')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg\uFFFDh\uFFFDi');
    expect(cleanText('x\uD800y\uDC00z\uDBFF')).toBe('x\uFFFDy\uFFFDz\uFFFD');
  });

  it('keeps TAB, LF, surrogate pairs (emoji, ZWJ sequences) and ordinary text', () => {
    const text = 'tab\tlf\n🍵 👩‍👩‍👧 東京 «é»';
    expect(cleanText(text)).toBe(text);
  });

  it('keeps the length in UTF-16 code units, so offsets stay valid', () => {
    expect(cleanText(CONTROL_TEXT)).toHaveLength(CONTROL_TEXT.length);
    expect(cleanText(CONTROL_TEXT)).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});

describe('escapeTsvField / unescapeTsvField', () => {
  it('leaves no TAB, LF or CR in a field and round-trips cleaned text', () => {
    for (const text of [LAYOUT_TEXT, MARKDOWN_TEXT, CONTROL_TEXT, '\\', '\\\\t', 'end\\']) {
      const field = escapeTsvField(text);
      expect(field).not.toMatch(/[\t\n\r]/);
      expect(unescapeTsvField(field)).toBe(cleanText(text));
    }
  });

  it('uses the documented escapes', () => {
    expect(escapeTsvField('a\tb\nc\\d')).toBe('a\\tb\\nc\\\\d');
    expect(unescapeTsvField('a\\rb')).toBe('a\rb');
  });
});

describe('escapeHtml', () => {
  it('escapes & < > " \' and cleans', () => {
    expect(escapeHtml('<a href="x">&\'</a>\u0000')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;\uFFFD');
  });
});

describe('escapeMarkdownCell', () => {
  it('leaves no unescaped Markdown or HTML syntax and keeps the row on one line', () => {
    const cell = escapeMarkdownCell(MARKDOWN_TEXT + '\nnext');
    expect(cell.replace(/<br>/g, '')).not.toMatch(/[<>]/);
    expect(cell).not.toMatch(/\n/);
    // Every special character is preceded by a backslash.
    expect(cell.replace(/\\[\\`*_[\]|~$]/g, '')).not.toMatch(/[\\`*_[\]|~$]/);
    expect(cell).toContain('&amp;amp;');
  });
});
