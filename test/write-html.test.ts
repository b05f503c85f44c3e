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
type Element = ReturnType<typeof DomUtils.getElementsByTagName>[number];
const hasClass = (el: Element, name: string): boolean => (el.attribs.class ?? '').split(' ').includes(name);
const byClass = (name: string) => DomUtils.findAll((el) => hasClass(el, name), dom.children);
const byClassIn = (root: Element, name: string) => DomUtils.findAll((el) => hasClass(el, name), [root]);
/** The sentence a badge belongs to: the nearest `.s` before it. */
function sentenceOf(badge: Element): Element | null {
  let previous = DomUtils.prevElementSibling(badge);
  while (previous && !hasClass(previous, 's')) previous = DomUtils.prevElementSibling(previous);
  return previous;
}

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

  it('badges each quality finding with its check, and its message as text and tooltip', () => {
    const badges = byClass('qa');
    const findings = expected.flatMap((p) => p.qa.map((f) => ({ id: `en-p${p.paragraph}.s${p.sentence}`, ...f })));
    expect(badges.map((el) => DomUtils.textContent(byClassIn(el, 'qa-check')[0]))).toEqual(findings.map((f) => `⚠ ${f.check}`));
    expect(badges.map((el) => DomUtils.textContent(byClassIn(el, 'qa-msg')[0]))).toEqual(findings.map((f) => `: ${cleanText(f.message)}`));
    expect(badges.map((el) => el.attribs.title)).toEqual(findings.map((f) => cleanText(f.message)));
    expect(badges.map((badge) => sentenceOf(badge)?.attribs.id)).toEqual(findings.map((f) => f.id));
    // A hostile message stays text: no element inside a message, nothing parsed from it.
    for (const msg of byClass('qa-msg')) expect(msg.children.every((child) => child.type === 'text')).toBe(true);
    expect(out).not.toContain('<script>window.pwned=4');
    expect(out).not.toContain('<img');
  });

  it('marks the sentences, badges and rows of pairs to review with data-review, and only those', () => {
    const review = (p: (typeof expected)[number]): boolean => p.qa.length > 0 || p.flags.includes('failed');
    const sentences = byClass('s');
    for (const side of ['fr', 'en']) {
      const marked = sentences.filter((el) => el.attribs.id.startsWith(`${side}-`)).map((el) => el.attribs['data-review'] !== undefined);
      expect(marked).toEqual(expected.map(review));
    }
    const rows = DomUtils.findAll((el) => /^p\d+$/.test(el.attribs.id ?? ''), dom.children);
    expect(rows.map((el) => el.attribs['data-review'] !== undefined)).toEqual(doc.paragraphs.map((p) => expected.some((e) => e.paragraph === p.index && review(e))));
    for (const badge of [...byClass('qa'), ...byClass('flag')]) {
      expect(badge.attribs['data-review'] !== undefined).toBe(sentenceOf(badge)?.attribs['data-review'] !== undefined);
    }
  });

  it('sums the review up at the top, beside a labelled checkbox that filters', () => {
    const summary = byClass('review-summary')[0];
    expect(DomUtils.textContent(summary)).toBe('4 of 15 pairs to review: 2 length, 1 untranslated, 1 numbers, 1 repetition, 1 failed.');
    const inputs = byTag('input');
    expect(inputs.map((el) => [el.attribs.type, el.attribs.id, el.attribs['aria-describedby']])).toEqual([['checkbox', 'review-only', summary.attribs.id]]);
    const label = inputs[0].parent as any;
    expect(label.name).toBe('label');
    expect(DomUtils.textContent(label).trim()).toBe('Show only pairs to review');
    expect(out.indexOf('review-summary')).toBeLessThan(out.indexOf('<main>'));
    const css = DomUtils.textContent(byTag('style')[0]);
    expect(css).toContain('body:has(#review-only:checked) .row:not(.cols):not([data-review])');
  });

  it('says when nothing needs review, and then offers no filter', () => {
    const clean = parseDocument(renderDocument(longDocument(2), 'html'));
    const summary = DomUtils.findAll((el) => el.attribs.class === 'review-summary', clean.children);
    expect(summary.map((el) => DomUtils.textContent(el))).toEqual(['No pair to review among 4 pairs.']);
    expect(DomUtils.getElementsByTagName('input', clean)).toEqual([]);
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
