import { createHash } from 'node:crypto';
import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { cleanText } from '../src/write/escape.js';
import { renderDocument } from '../src/write/formats/index.js';
import { allPairs, longDocument, sampleDocument } from './helpers/aligned-fixtures.js';

const doc = sampleDocument();
const expected = allPairs(doc).map((p) => ({ ...p, source: cleanText(p.source), target: cleanText(p.target) }));
const out = renderDocument(doc, 'html', { toolVersion: '0.1.0' });
const dom = parseDocument(out);
const byTag = (tag: string) => DomUtils.getElementsByTagName(tag, dom);
const byClass = (name: string) =>
  DomUtils.findAll((el) => (el.attribs.class ?? '').split(' ').includes(name), dom.children);

describe('html (parsed with htmlparser2)', () => {
  it('has every pair as a French and an English sentence, in order, hostile text as text', () => {
    const sentences = byClass('s');
    const fr = sentences.filter((el) => el.attribs.id.startsWith('fr-'));
    const en = sentences.filter((el) => el.attribs.id.startsWith('en-'));
    const ids = expected.map((p) => `p${p.paragraph}.s${p.sentence}`);
    expect(fr.map((el) => el.attribs.id)).toEqual(ids.map((id) => `fr-${id}`));
    expect(en.map((el) => el.attribs.id)).toEqual(ids.map((id) => `en-${id}`));
    expect(fr.map((el) => DomUtils.textContent(el))).toEqual(expected.map((p) => p.source));
    expect(en.map((el) => DomUtils.textContent(el))).toEqual(expected.map((p) => p.target));
    for (const el of sentences) {
      expect(el.children.every((child) => child.type === 'text')).toBe(true); // no element from the text
      expect(el.attribs.tabindex).toBe('0');
      expect(el.attribs['data-pair']).toBe(el.attribs['aria-describedby']);
    }
  });

  it('puts each paragraph on one row with its number, French and English cells', () => {
    const rows = DomUtils.findAll((el) => /^p\d+$/.test(el.attribs.id ?? ''), dom.children);
    expect(rows.map((el) => el.attribs.id)).toEqual(doc.paragraphs.map((p) => `p${p.index}`));
    expect(rows.map((el) => el.attribs.class)).toEqual(doc.paragraphs.map((p) => `row kind-${p.kind}`));
    const cells = rows[2].children.filter((c) => c.type === 'tag').map((c) => [(c as any).name, (c as any).attribs.class, (c as any).attribs.lang]);
    expect(cells).toEqual([['span', 'num', undefined], ['div', 'fr', 'fr'], ['div', 'en', 'en']]);
  });

  it('marks flags next to the English sentence', () => {
    expect(byClass('flag').map((el) => DomUtils.textContent(el))).toEqual(
      expected.filter((p) => p.flags.length > 0).map((p) => p.flags.join(', ')),
    );
  });

  it('has one script, one stylesheet, no external assets, and a CSP that allows exactly them by hash', () => {
    const scripts = byTag('script');
    const styles = byTag('style');
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    expect(DomUtils.findAll((el) => el.attribs.src !== undefined || el.attribs.href !== undefined, dom.children)).toEqual([]);
    expect(DomUtils.findAll((el) => Object.keys(el.attribs).some((a) => a.startsWith('on') || a === 'style'), dom.children)).toEqual([]);
    const csp = byTag('meta').find((m) => m.attribs['http-equiv'] === 'Content-Security-Policy')!.attribs.content;
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src ${hash(DomUtils.textContent(scripts[0]))}`);
    expect(csp).toContain(`style-src ${hash(DomUtils.textContent(styles[0]))}`);
    expect(csp).not.toContain('unsafe-inline');
    expect(out.indexOf('Content-Security-Policy')).toBeLessThan(out.indexOf('<style>'));
  });

  it('has light and dark schemes and a print stylesheet', () => {
    const css = DomUtils.textContent(byTag('style')[0]);
    expect(css).toContain('@media (prefers-color-scheme:dark)');
    expect(css).toContain('@media print');
    expect(css).toContain(':focus-visible');
  });

  it('scales: a 500-paragraph page has no per-sentence handlers and grows linearly', () => {
    const big = renderDocument(longDocument(500), 'html');
    expect(big.match(/addEventListener/g)).toHaveLength(4);
    expect(big.match(/class="s"/g)).toHaveLength(2000);
    expect(big.length).toBeLessThan(500 * 700 + 10_000);
  });
});
