/**
 * `fr2en compare`'s page in Debian's Chromium (playwright-core, as write-html-browser.test.ts):
 * two real runs of the tiny generated model (q8 and fp32) and a hostile comparison, both written
 * by the CLI. The toggles are driven with the keyboard only; nothing from the texts may run.
 * Skips, saying why, when /usr/bin/chromium is missing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareJsonlRecord } from '../src/compare/index.js';
import { cleanText } from '../src/write/escape.js';
import { CONTROL_TEXT, LAYOUT_TEXT, MARKDOWN_TEXT, SCRIPT_SOURCE, SCRIPT_TARGET } from './helpers/aligned-fixtures.js';
import { runCli } from './helpers/cli.js';
import { TINY_MODEL_DIR } from './helpers/models.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`compare-html-browser: ${CHROMIUM} not found, browser test skipped (apt-get install -y chromium)`);
}

const ARTICLE = path.resolve('samples/conseil-municipal.txt');

/** A hostile file name: markup where the page shows file names. */
const HOSTILE_NAME = '<img src=x onerror="window.pwned=9">.jsonl';

/** Pairs as [id, French, A, B]: same, different, hostile in every field. */
const HOSTILE_PAIRS: ReadonlyArray<readonly [string, string, string, string]> = [
  ['p0.s0', 'Le chat dort.', 'The cat sleeps.', 'The cat sleeps.'],
  ['p0.s1', `Il a écrit ${SCRIPT_SOURCE} ici.`, `He wrote ${SCRIPT_TARGET} here.`, `He typed ${SCRIPT_TARGET} there.`],
  ['p1.s0', CONTROL_TEXT, `A ${CONTROL_TEXT}`, `B ${CONTROL_TEXT}`],
  ['p1.s1', LAYOUT_TEXT, LAYOUT_TEXT, LAYOUT_TEXT],
  ['p2.s0', MARKDOWN_TEXT, MARKDOWN_TEXT, `${MARKDOWN_TEXT} <svg onload="window.pwned=6">`],
  ['"><script>window.pwned=7</script>', 'Tout change.', 'Everything changes here.', 'Nothing stays the same.'],
];

describe.skipIf(!hasChromium)('compare page in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  const dir = mkdtempSync(path.join(tmpdir(), 'fr2en-compare-html-'));
  const errors: string[] = [];
  let modelRecords: CompareJsonlRecord[] = [];
  let hostileRecords: CompareJsonlRecord[] = [];

  const js = <T>(expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;
  const focusedId = (): Promise<string | undefined> => js('document.activeElement?.id');
  const checked = (id: string): Promise<boolean> => js(`document.getElementById(${JSON.stringify(id)}).checked`);
  /** Row numbers (1-based pair positions) in document order, and those visible. */
  const rowOrder = (): Promise<number[]> => js("[...document.querySelectorAll('.pairs > .pair')].map((row) => Number(row.dataset.order) + 1)");
  const visibleRows = (): Promise<number[]> =>
    js("[...document.querySelectorAll('.pairs > .pair')].filter((row) => row.checkVisibility()).map((row) => Number(row.dataset.order) + 1)");
  const readJsonl = (file: string): CompareJsonlRecord[] =>
    readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as CompareJsonlRecord);

  beforeAll(async () => {
    // Two real runs of the same article: the tiny model in q8 and in fp32.
    for (const dtype of ['q8', 'fp32']) {
      const run = await runCli(['translate', ARTICLE, '-o', path.join(dir, dtype), '--format', 'jsonl', '--model', TINY_MODEL_DIR, '--dtype', dtype, '--workers', '1', '--no-cache', '--quiet']);
      expect(run.code, run.stderr).toBe(0);
    }
    const versions = ['q8', 'fp32'].map((dtype) => path.join(dir, dtype, 'conseil-municipal.fr-en.jsonl'));
    const model = await runCli(['compare', ...versions, '-o', path.join(dir, 'model'), '--labels', 'q8,fp32']);
    expect(model.code, model.stderr).toBe(0);
    modelRecords = readJsonl(path.join(dir, 'model', 'compare.jsonl'));

    const names = [HOSTILE_NAME, 'b.jsonl'];
    names.forEach((name, v) => {
      const lines = HOSTILE_PAIRS.map(([id, source, ...texts]) => JSON.stringify({ id, source, target: texts[v] }));
      writeFileSync(path.join(dir, name), `${lines.join('\n')}\n`);
    });
    const hostile = await runCli(['compare', ...names, '-o', 'hostile', '--labels', '<b onmouseover="window.pwned=8">A</b>,B'], { cwd: dir });
    expect(hostile.code, hostile.stderr).toBe(0);
    hostileRecords = readJsonl(path.join(dir, 'hostile', 'compare.jsonl'));

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 }, reducedMotion: 'reduce' });
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows q8 and fp32 side by side: one row per pair, the French and both versions as in the JSONL', async () => {
    await page.goto(pathToFileURL(path.join(dir, 'model', 'compare.html')).href);
    const rows = await js<Array<{ fr: string; en: string[] }>>(
      "[...document.querySelectorAll('.pairs > .pair')].map((row) => ({ fr: row.querySelector('.fr').textContent, en: [...row.querySelectorAll('.en')].map((cell) => cell.firstChild ? [...cell.childNodes].filter((node) => !(node.classList && node.classList.contains('chrf'))).map((node) => node.textContent).join('') : '') }))",
    );
    expect(rows).toHaveLength(modelRecords.length);
    rows.forEach((row, i) => {
      expect(row.fr).toBe(modelRecords[i].source);
      expect(row.en).toEqual(modelRecords[i].versions.map((version) => version.text));
    });
    // The tiny model's q8 and fp32 weights disagree somewhere, and agree somewhere (the verbatim header).
    const same = modelRecords.filter((record) => record.identical).length;
    expect(same).toBeGreaterThan(0);
    expect(same).toBeLessThan(modelRecords.length);
    // Each difference is marked: deletions in q8's cell, insertions in fp32's.
    const different = modelRecords.findIndex((record) => !record.identical);
    const marks = await js<{ del: string[]; ins: string[] }>(
      `(() => { const row = document.getElementById('pair-${different}'); return { del: [...row.querySelectorAll('del')].map((el) => el.textContent), ins: [...row.querySelectorAll('ins')].map((el) => el.textContent) }; })()`,
    );
    const spans = modelRecords[different].diffs[0].spans;
    expect(marks.del.join('')).toBe(spans.filter((span) => span.op === 'delete').map((span) => span.text.trim()).join(''));
    expect(marks.ins.join('')).toBe(spans.filter((span) => span.op === 'insert').map((span) => span.text.trim()).join(''));
    expect(errors).toEqual([]);
  });

  it('hides identical pairs and sorts by difference, with Tab and Space only', async () => {
    await page.goto(pathToFileURL(path.join(dir, 'model', 'compare.html')).href);
    const all = modelRecords.map((_, i) => i + 1);
    const different = modelRecords.flatMap((record, i) => (record.identical ? [] : [i + 1]));
    const byRank = [...all].sort((a, b) => modelRecords[a - 1].rank - modelRecords[b - 1].rank);
    expect(await visibleRows()).toEqual(all);

    await page.keyboard.press('Tab'); // the first stop on the page: the filter
    expect(await focusedId()).toBe('only-different');
    expect(await js("getComputedStyle(document.activeElement).outlineStyle")).toBe('solid');
    await page.keyboard.press('Space');
    expect(await checked('only-different')).toBe(true);
    expect(await visibleRows()).toEqual(different);

    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('sort-difference');
    await page.keyboard.press('Space');
    expect(await checked('sort-difference')).toBe(true);
    // Rows move in the document, so reading and Tab order follow the sort.
    expect(await rowOrder()).toEqual(byRank);
    expect(await visibleRows()).toEqual(byRank.filter((n) => different.includes(n)));
    // The most different pair (rank 0) is the first row, and its difference is the largest.
    const differences = modelRecords.map((record) => record.difference);
    expect(modelRecords[byRank[0] - 1].difference).toBe(Math.max(...differences));

    await page.keyboard.press('Space');
    expect(await rowOrder()).toEqual(all);
    await page.keyboard.press('Shift+Tab');
    expect(await focusedId()).toBe('only-different');
    await page.keyboard.press('Space');
    expect(await visibleRows()).toEqual(all);
  });

  it('runs nothing from the texts, file names, labels or ids, and shows them as text', async () => {
    await page.goto(pathToFileURL(path.join(dir, 'hostile', 'compare.html')).href);
    await page.hover('.files'); // a label with onmouseover would fire here
    await page.hover('.pairs');
    expect(await js('window.pwned')).toBeUndefined();
    expect(await page.$$('script')).toHaveLength(1);
    expect(await page.$$('img, svg, b, main script')).toHaveLength(0);
    expect(await page.textContent('.files dd')).toBe(HOSTILE_NAME);
    expect(await page.textContent('.files dt')).toBe('<b onmouseover="window.pwned=8">A</b>');
    const cells = await js<string[][]>(
      "[...document.querySelectorAll('.pairs > .pair')].map((row) => [row.querySelector('.fr').textContent, ...[...row.querySelectorAll('.en')].map((cell) => [...cell.childNodes].filter((node) => !(node.classList && node.classList.contains('chrf'))).map((node) => node.textContent).join(''))])",
    );
    expect(cells).toEqual(HOSTILE_PAIRS.map(([, source, a, b]) => [source, a, b].map(cleanText)));
    expect(cells.flat().join('')).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
    // The id with markup is a tooltip's text, and the jump link's text.
    expect(await page.getAttribute('#pair-5 .num', 'title')).toBe(HOSTILE_PAIRS[5][0]);
    expect(await page.textContent('.summary a[href="#pair-5"]')).toBe(HOSTILE_PAIRS[5][0]);
    expect(hostileRecords.map((record) => record.identical)).toEqual([true, false, false, true, false, false]);
    expect(errors.filter((e) => /Content Security Policy|Refused/i.test(e))).toEqual([]);
    expect(await js("getComputedStyle(document.querySelector('.row')).display")).toBe('grid'); // its own stylesheet applied
  });

  it('keeps the filter without its script, and shows no sort control that cannot work', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1200, height: 900 } });
    const noScript = await context.newPage();
    await noScript.goto(pathToFileURL(path.join(dir, 'hostile', 'compare.html')).href);
    expect(await noScript.isVisible('#sort-difference')).toBe(false);
    await noScript.keyboard.press('Tab');
    expect(await noScript.evaluate('document.activeElement.id')).toBe('only-different');
    await noScript.keyboard.press('Space');
    const visible = await noScript.evaluate("[...document.querySelectorAll('.pairs > .pair')].filter((row) => row.checkVisibility()).map((row) => row.id)");
    expect(visible).toEqual(['pair-1', 'pair-2', 'pair-4', 'pair-5']);
    await context.close();
  });

  it('is readable at phone width and in the dark', async () => {
    const phone = await browser.newPage({ viewport: { width: 360, height: 740 }, colorScheme: 'dark' });
    await phone.goto(pathToFileURL(path.join(dir, 'model', 'compare.html')).href);
    // Nothing wider than the screen; the cells stack, each headed by its column's name.
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    const [fr, q8] = await phone.$$('#pair-1 > div');
    const frBox = (await fr.boundingBox())!;
    const q8Box = (await q8.boundingBox())!;
    expect(q8Box.y).toBeGreaterThan(frBox.y + frBox.height - 1);
    expect(frBox.width).toBeGreaterThan(250);
    expect(await phone.evaluate("getComputedStyle(document.querySelector('#pair-1 .en'), '::before').content")).toBe('"q8"');
    expect(await phone.isVisible('.cols')).toBe(false);
    const dark = await phone.evaluate("getComputedStyle(document.body).backgroundColor");
    await phone.emulateMedia({ colorScheme: 'light' });
    expect(await phone.evaluate("getComputedStyle(document.body).backgroundColor")).toBe('rgb(255, 255, 255)');
    expect(dark).not.toBe('rgb(255, 255, 255)');
    await phone.close();
  });
});
