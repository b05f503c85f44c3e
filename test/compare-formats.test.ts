/**
 * The compare renderers on hostile text (markup, control characters, tabs and newlines, Markdown
 * syntax): each output stays well-formed in its own terms, and every text can be read back as
 * it was (control characters replaced, as in every fr2en output).
 */
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { COMPARE_HTML_CSP, compareVersions, renderComparison, type CompareJsonlRecord } from '../src/compare/index.js';
import type { PairRecord } from '../src/read/pairs.js';
import { cleanText, unescapeTsvField } from '../src/write/escape.js';
import { CONTROL_TEXT, LAYOUT_TEXT, MARKDOWN_TEXT, SCRIPT_SOURCE, SCRIPT_TARGET } from './helpers/aligned-fixtures.js';

const PAIRS: ReadonlyArray<readonly [string, string, string, string]> = [
  // French, A, B, reference
  ['Le chat dort.', 'The cat sleeps.', 'The cat sleeps.', 'The cat is asleep.'],
  [`Il a écrit ${SCRIPT_SOURCE} ici.`, `He wrote ${SCRIPT_TARGET} here.`, `He typed ${SCRIPT_TARGET} there.`, 'He wrote a script here.'],
  [CONTROL_TEXT, `A ${CONTROL_TEXT}`, `B ${CONTROL_TEXT}`, CONTROL_TEXT],
  [LAYOUT_TEXT, LAYOUT_TEXT, `${LAYOUT_TEXT} more`, LAYOUT_TEXT],
  [MARKDOWN_TEXT, MARKDOWN_TEXT, `${MARKDOWN_TEXT} | x`, MARKDOWN_TEXT],
  ['Vide.', '', 'Empty.', 'Empty.'],
];
const records = (column: 1 | 2 | 3): PairRecord[] => PAIRS.map((pair, i) => ({ id: `p0.s${i}`, source: pair[0], target: pair[column] }));
const comparison = compareVersions({
  versions: [
    { file: 'a <b>.jsonl', label: 'A|*x*', records: records(1) },
    { file: 'b\u001B[31m.jsonl', label: 'B', records: records(2) },
  ],
  reference: { file: 'ref.jsonl', records: records(3) },
});
const render = (format: Parameters<typeof renderComparison>[1], color = false) => renderComparison(comparison, format, { width: 120, color, toolVersion: '0.1.0' });
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

describe('jsonl', () => {
  const lines = render('jsonl').trimEnd().split('\n');
  const parsed = lines.map((line) => JSON.parse(line) as CompareJsonlRecord);

  it('writes one record per pair with the texts cleaned, keys in a fixed order', () => {
    expect(parsed).toHaveLength(PAIRS.length);
    parsed.forEach((record, i) => {
      expect(Object.keys(record)).toEqual(['id', 'source', 'versions', 'reference', 'chrfAgainst', 'identical', 'difference', 'rank', 'diffs']);
      expect(record.source).toBe(cleanText(PAIRS[i][0]));
      expect(record.versions.map((version) => version.text)).toEqual([cleanText(PAIRS[i][1]), cleanText(PAIRS[i][2])]);
      expect(record.reference).toBe(cleanText(PAIRS[i][3]));
      expect(record.versions.map((version) => version.label)).toEqual(['A|*x*', 'B']);
    });
    expect(parsed.map((record) => record.identical)).toEqual([true, false, false, false, false, false]);
  });

  it('gives spans that rebuild the cleaned texts of both sides', () => {
    for (const record of parsed) {
      const [diff] = record.diffs;
      expect(diff.spans.filter((span) => span.op !== 'insert').map((span) => span.text).join('')).toBe(record.versions[0].text);
      expect(diff.spans.filter((span) => span.op !== 'delete').map((span) => span.text).join('')).toBe(record.versions[1].text);
      expect(diff.spans.map((span) => span.text).join('')).not.toMatch(CONTROLS);
    }
  });
});

describe('tsv', () => {
  it('has a header and one row per pair, every row with the header\'s fields, texts read back as cleaned', () => {
    const rows = render('tsv').split('\n').slice(0, -1).map((line) => line.split('\t'));
    expect(rows[0]).toEqual(['id', 'source', 'A|*x*', 'B', 'reference', 'chrf:A|*x*', 'chrf:B', 'difference', 'identical']);
    expect(rows).toHaveLength(PAIRS.length + 1);
    rows.slice(1).forEach((fields, i) => {
      expect(fields).toHaveLength(9);
      expect(fields.slice(1, 5).map(unescapeTsvField)).toEqual(PAIRS[i].map(cleanText));
      expect(Number(fields[5])).toBeCloseTo(comparison.pairs[i].chrf[0]!, 4);
      expect(fields[8]).toBe(comparison.pairs[i].identical ? '1' : '0');
    });
  });
});

describe('md', () => {
  const md = render('md');
  const lines = md.split('\n');
  const table = lines.slice(lines.findIndex((line) => line.startsWith('| # |'))).filter((line) => line !== '');

  it('adds no HTML but <del>, <ins>, <sub> and <br>, and escapes the rest', () => {
    const tags = [...md.matchAll(/<\/?([a-zA-Z]+)/g)].map((match) => match[1]);
    expect(new Set(tags)).toEqual(new Set(['del', 'ins', 'sub', 'br']));
    expect(md).not.toMatch(CONTROLS);
    expect(md).toContain('&lt;script&gt;window.pwned=1&lt;/script&gt;');
  });

  it('keeps every row to its columns: #, id, French, A, B, reference', () => {
    expect(table[0]).toBe('| # | id | Français | A\\|\\*x\\* | B | reference |');
    expect(table).toHaveLength(PAIRS.length + 2);
    for (const row of table) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(8);
    expect(table[2 + 1]).toContain('<del>wrote</del>');
    expect(table[2 + 1]).toContain('<ins>typed</ins>');
  });
});

describe('sbs', () => {
  const strip = (text: string) => text.replace(/\u001B\[\d+m/g, '');

  it('marks differences with brackets without colour, and stays within the width', () => {
    const sbs = render('sbs');
    expect(sbs).not.toContain('\u001B');
    expect(sbs).not.toMatch(CONTROLS);
    expect(sbs).toContain('[-wrote-]');
    expect(sbs).toContain('{+typed+}');
    const body = sbs.split('\n').slice(sbs.split('\n').findIndex((line) => line.startsWith('─')));
    for (const line of body) expect(stringWidth(line), line).toBeLessThanOrEqual(120);
  });

  it('colours differences with SGR codes only, and leaves the text as without colour', () => {
    const coloured = render('sbs', true);
    expect(coloured.replace(/\u001B\[\d+m/g, '')).not.toMatch(CONTROLS);
    expect(coloured).toContain('\u001B[31mwrote\u001B[0m');
    expect(coloured).toContain('\u001B[32mtyped\u001B[0m');
    // The file name's ESC came from the input and is replaced, never passed on.
    expect(strip(coloured)).toContain('b\uFFFD[31m.jsonl');
  });
});

describe('html', () => {
  const html = render('html');

  it('has the policy of hashed inline code only, and one script', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${COMPARE_HTML_CSP}">`);
    expect(COMPARE_HTML_CSP).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'; style-src 'sha256-[A-Za-z0-9+/]+=*'; base-uri 'none'; form-action 'none'$/);
    expect(html.match(/<script/g)).toHaveLength(1);
    // Markup from the texts is there as text only: escaped, so no element can come of it.
    expect(html).not.toMatch(/<img|<b>|<svg/i);
    expect(html).toContain('&lt;img src=x onerror=&quot;window.pwned=3&quot;&gt;');
    expect(html).not.toMatch(CONTROLS);
    expect(html).toContain('a &lt;b&gt;.jsonl');
  });

  it('writes one row per pair, identical ones marked for the filter', () => {
    expect(html.match(/<div class="row pair"/g)).toHaveLength(PAIRS.length);
    expect(html.match(/ data-same>/g)).toHaveLength(1);
  });
});
