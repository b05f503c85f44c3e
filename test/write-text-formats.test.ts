import stringWidth from 'string-width';
import { stripVTControlCharacters as stripAnsi } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cleanText, escapeTsvField, unescapeTsvField } from '../src/write/escape.js';
import type { JsonlRecord } from '../src/write/formats/jsonl.js';
import { MIN_SBS_WIDTH, OUTPUT_FORMATS, renderChunks, renderDocument, writers } from '../src/write/formats/index.js';
import { allPairs, longDocument, sampleDocument } from './helpers/aligned-fixtures.js';

const doc = sampleDocument();
const expected = allPairs(doc).map((p) => ({ ...p, source: cleanText(p.source), target: cleanText(p.target) }));

describe('writers table', () => {
  it('has one writer per format, each with a distinct extension', () => {
    expect(OUTPUT_FORMATS).toEqual(['txt', 'sbs', 'md', 'html', 'jsonl', 'tsv', 'tmx', 'xliff']);
    const extensions = OUTPUT_FORMATS.map((f) => writers[f].extension);
    expect(new Set(extensions).size).toBe(extensions.length);
    for (const f of OUTPUT_FORMATS) expect(writers[f].name).toBe(f);
  });

  it('renderDocument is header + each paragraph + footer (streaming gives the same bytes)', () => {
    for (const format of OUTPUT_FORMATS) {
      const chunks = [...renderChunks(doc, format, { toolVersion: '9.9.9' })];
      expect(chunks).toHaveLength(doc.paragraphs.length + 2);
      expect(chunks.join('')).toBe(renderDocument(doc, format, { toolVersion: '9.9.9' }));
    }
  });

  it('rejects a width that leaves no room for two columns, naming the option', () => {
    expect(() => renderDocument(doc, 'sbs', { width: MIN_SBS_WIDTH - 1 })).toThrow(/`width`.*>= 30, got 29/);
    expect(() => renderDocument(doc, 'sbs', { width: 80.5 })).toThrow(TypeError);
  });
});

describe('txt', () => {
  it('is each paragraph target, separated by one blank line, ending with one newline', () => {
    const out = renderDocument(doc, 'txt');
    expect(out.endsWith('\n') && !out.endsWith('\n\n\n')).toBe(true);
    // LAYOUT_TEXT holds a newline of its own, so compare the whole text rather than split it.
    expect(out).toBe(`${doc.paragraphs.map((p) => cleanText(p.target)).join('\n\n')}\n`);
    expect(out.startsWith('date 2023-03 Le Monde — Economy\n\nThe city & its "secrets"\n\n')).toBe(true);
  });
});

describe('jsonl', () => {
  const records = renderDocument(doc, 'jsonl')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as JsonlRecord);

  it('has one record per pair, in order, with hostile text intact', () => {
    expect(records.map((r) => [r.paragraph, r.sentence, r.source, r.target, r.flags])).toEqual(
      expected.map((p) => [p.paragraph, p.sentence, p.source, p.target, p.flags]),
    );
    expect(records.some((r) => r.source.includes('<script>window.pwned=1</script>'))).toBe(true);
  });

  it('carries quality findings and confidence, hostile messages intact, keys in a fixed order', () => {
    expect(records.map((r) => r.qa)).toEqual(expected.map((p) => p.qa.map((f) => ({ check: f.check, message: cleanText(f.message) }))));
    expect(records.map((r) => r.confidence)).toEqual(expected.map((p) => p.confidence));
    expect(records.some((r) => r.qa.some((f) => f.message.includes('<script>window.pwned=4</script>')))).toBe(true);
    const keys = ['id', 'file', 'paragraph', 'sentence', 'kind', 'documentRange', 'paragraphRange', 'source', 'target', 'flags', 'qa'];
    for (const [i, r] of records.entries()) {
      expect(Object.keys(r)).toEqual(expected[i].confidence === undefined ? keys : [...keys, 'confidence']);
    }
  });

  it('has unique ids and offsets that point at the source, in the document and in the paragraph', () => {
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    const text = doc.paragraphs.map((p) => p.source).join('\n\n');
    for (const r of records) {
      const paragraph = doc.paragraphs[r.paragraph];
      expect(r.file).toBe('articles/le-monde.txt');
      expect(r.kind).toBe(paragraph.kind);
      expect(cleanText(text.slice(...r.documentRange))).toBe(r.source);
      expect(cleanText(paragraph.source.slice(...r.paragraphRange))).toBe(r.source);
      expect(r.documentRange[0] - r.paragraphRange[0]).toBe(paragraph.start);
    }
  });
});

describe('tsv', () => {
  it('is exactly two fields per line, one line per pair, round-tripping with unescape', () => {
    const lines = renderDocument(doc, 'tsv').split('\n');
    expect(lines.pop()).toBe('');
    const rows = lines.map((line) => line.split('\t'));
    for (const row of rows) expect(row).toHaveLength(2);
    expect(rows.map(([s, t]) => [unescapeTsvField(s), unescapeTsvField(t)])).toEqual(expected.map((p) => [p.source, p.target]));
  });

  it('stays source TAB target: quality findings are not written', () => {
    expect(expected.some((p) => p.qa.length > 0)).toBe(true);
    const out = renderDocument(doc, 'tsv');
    for (const p of expected) for (const finding of p.qa) expect(out).not.toContain(escapeTsvField(finding.message));
    expect(out).not.toContain('⚠');
  });
});

/** Reverses the Markdown table escaping: splits a row into cells, then cells into sentences. */
function parseMarkdownRow(row: string): string[][] {
  const cells: string[] = [];
  let cell = '';
  for (let i = 1; i < row.length; i++) {
    const char = row[i];
    if (char === '\\') cell += char + row[++i];
    else if (char === '|') (cells.push(cell.trim()), (cell = ''));
    else cell += char;
  }
  return cells.map((raw) =>
    raw
      .replace(/^\*\*(.*)\*\*$/, '$1') // heading
      .split(/ ?<sup>\d+<\/sup> /)
      .filter((part, i, all) => all.length === 1 || i > 0)
      .map((sentence) =>
        sentence
          .replace(/ ⚠ [a-z-, ]+$/, '') // quality marker
          .replace(/ _\([a-z-, ]+\)_$/, '') // flags
          .replace(/<br>/g, '\n')
          .replace(/\\(.)/g, '$1')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&amp;/g, '&'),
      ),
  );
}

describe('md', () => {
  const out = renderDocument(doc, 'md', { toolVersion: '1.2.3' });
  const rows = out.split('\n').filter((line) => /^\| \d+ \|/.test(line));

  it('has one table row per paragraph whose cells give back the pairs in order', () => {
    expect(out).toContain('| ¶ | Français | English |\n| --: | --- | --- |\n');
    expect(rows).toHaveLength(doc.paragraphs.length);
    const parsed = rows.map(parseMarkdownRow);
    for (const [i, [number, fr, en]] of parsed.entries()) {
      expect(number).toEqual([String(i + 1)]);
      const pairs = expected.filter((p) => p.paragraph === i);
      expect(fr).toEqual(pairs.map((p) => p.source));
      expect(en).toEqual(pairs.map((p) => p.target));
    }
  });

  it('lets no raw HTML or Markdown syntax from the text through', () => {
    for (const row of rows) {
      expect(row.replace(/<\/?(sup|br)>/g, '')).not.toMatch(/[<>]/);
      // Once escaped pairs, our flag markers and heading bold are removed, no syntax is left.
      const bare = row
        .replace(/\\./g, '')
        .replace(/ _\([a-z-, ]+\)_/g, '')
        .replace(/(?<=\| )\*\*|\*\*(?= \|)/g, '');
      expect(bare).not.toMatch(/[`*_[\]~$\\]/);
    }
    expect(out).toContain('&lt;script&gt;window.pwned=1&lt;/script&gt;');
    expect(out).toContain('\\*bold\\*');
    expect(out).toContain('_(failed)_');
  });

  it('marks pairs with quality findings after the English sentence, keeping the table intact', () => {
    const marked = rows.flatMap((row) => [...row.matchAll(/ ⚠ ([a-z-, ]+?)(?= <sup>| \||$)/g)].map((m) => m[1]));
    expect(marked).toEqual(expected.filter((p) => p.qa.length > 0).map((p) => [...new Set(p.qa.map((f) => f.check))].join(', ')));
    expect(out).toContain('_(failed)_ ⚠ untranslated');
    expect(out).not.toContain('window.pwned=4'); // messages are for the formats that can hold them
    for (const row of rows) expect(row.replace(/\\./g, '').split('|')).toHaveLength(5); // 3 cells
  });
});

describe('sbs', () => {
  it('keeps every line within the width, measured in display cells, and numbers paragraphs', () => {
    for (const width of [MIN_SBS_WIDTH, 60, 100]) {
      const out = renderDocument(doc, 'sbs', { width });
      const lines = out.split('\n');
      for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(width);
      const numbers = lines.map((line) => /^\s*(\d+) │/.exec(line)?.[1]).filter(Boolean);
      expect(numbers).toEqual(doc.paragraphs.map((p) => String(p.index + 1)));
    }
  });

  it('holds every word of both columns (wrapping loses nothing)', () => {
    const out = renderDocument(doc, 'sbs', { width: 60 });
    const columns = { fr: '', en: '' };
    for (const line of out.split('\n')) {
      const parts = line.split(/ │(?: |$)/);
      if (parts.length < 2 || !/^\s*\d*$/.test(parts[0])) continue;
      columns.fr += ` ${parts[1] ?? ''}`;
      columns.en += ` ${parts[2] ?? ''}`;
    }
    // Wrapping only moves whitespace: without it, each column is the whole text in order.
    const squeeze = (text: string): string => text.replace(/\s+/g, '');
    expect(squeeze(columns.fr)).toBe(squeeze(expected.map((p) => p.source).join('')));
    const marker = (p: (typeof expected)[number]): string => (p.qa.length > 0 ? `⚠ ${[...new Set(p.qa.map((f) => f.check))].join(', ')}` : '');
    const targets = expected.map((p) => p.target + (p.flags.length > 0 ? `[${p.flags.join(', ')}]` : '') + marker(p));
    expect(squeeze(columns.en)).toBe(squeeze(targets.join('')));
  });

  it('marks pairs with quality findings next to their flags, in the English column', () => {
    const out = renderDocument(doc, 'sbs', { width: 120 });
    expect(out).toContain('[failed] ⚠ untranslated');
    expect(out).toContain('⚠ repetition, length');
    expect(out).not.toContain('window.pwned=4');
    const coloured = renderDocument(doc, 'sbs', { width: 120, color: true });
    expect(coloured).toContain('\u001B[33m⚠ repetition, length\u001B[0m');
  });

  it('measures accents, CJK and emoji by display width', () => {
    const out = renderDocument(doc, 'sbs', { width: 48 });
    const barColumns = new Set(
      out
        .split('\n')
        .filter((line) => line.split('│').length === 3)
        .map((line) => stringWidth(line.slice(0, line.lastIndexOf('│')))),
    );
    expect(barColumns.size).toBe(1); // the second bar is at the same display column on every row
  });

  it('has colour only when asked, and no ESC from the text either way', () => {
    const plain = renderDocument(doc, 'sbs', { width: 80 });
    expect(plain).not.toContain('\u001B');
    const coloured = renderDocument(doc, 'sbs', { width: 80, color: true });
    expect(coloured).toContain('\u001B[');
    expect(stripAnsi(coloured)).toBe(plain);
    expect(coloured).not.toContain('\u001B[31mred'); // the document's ESC became U+FFFD
  });

  it('streams a long document without growing chunks', () => {
    const long = longDocument(2000);
    const sizes = [...renderChunks(long, 'sbs')].slice(1, -1).map((chunk) => chunk.length);
    expect(Math.max(...sizes)).toBeLessThan(1000);
  });
});
