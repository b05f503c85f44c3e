/**
 * Opens the HTML view in Debian's Chromium (driven by playwright-core; never `npx playwright
 * install`). Skips, saying why, when /usr/bin/chromium is missing; CI installs it in .ci/run.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanText } from '../src/write/escape.js';
import { renderDocument } from '../src/write/formats/index.js';
import { HOSTILE_MESSAGE, longDocument, sampleDocument } from './helpers/aligned-fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`write-html-browser: ${CHROMIUM} not found, browser test skipped (apt-get install -y chromium)`);
}

describe.skipIf(!hasChromium)('html view in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  const dir = mkdtempSync(path.join(tmpdir(), 'fr2en-write-html-'));
  const errors: string[] = [];

  async function open(name: string, html: string): Promise<void> {
    const file = path.join(dir, name);
    writeFileSync(file, html);
    await page.goto(pathToFileURL(file).href);
  }

  // Browser-side code is passed as strings: the project compiles without the DOM lib.
  const js = <T>(expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;
  const style = (selector: string, property: string): Promise<string> =>
    js(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${property}`);
  const activeIds = (): Promise<string[]> => js("[...document.querySelectorAll('.s.is-active')].map((el) => el.id)");
  const focusedId = (): Promise<string | undefined> => js('document.activeElement?.id');

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 }, reducedMotion: 'reduce' });
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await open('sample.fr-en.html', renderDocument(sampleDocument(), 'html', { toolVersion: '0.1.0' }));
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs no script from the document, and its own script and styles pass the CSP', async () => {
    expect(await js('window.pwned')).toBeUndefined();
    expect(await page.$$('script')).toHaveLength(1);
    expect(await page.$$('.s img, .s script, .s b')).toHaveLength(0);
    const sentence = await page.textContent('#fr-p3\\.s0');
    expect(sentence).toBe('Il a écrit <script>window.pwned=1</script> ici.');
    expect(await page.textContent('#fr-p3\\.s2')).toBe(cleanText(sampleDocument().paragraphs[3].pairs[2].source));
    // The page's own stylesheet applied (grid rows) and nothing it owns was refused.
    expect(await style('.row', 'display')).toBe('grid');
    expect(errors.filter((e) => /Content Security Policy|Refused/i.test(e))).toEqual([]);
  });

  it('highlights the English counterpart when a French sentence is hovered', async () => {
    await page.hover('#fr-p2\\.s1');
    expect(await activeIds()).toEqual(['fr-p2.s1', 'en-p2.s1']);
    // The highlight fades in over 80 ms unless reduced motion is asked for: the page is opened
    // with reduced motion, so the colour is final as soon as the class is set.
    expect(await style('#en-p2\\.s1', 'backgroundColor')).not.toBe('rgba(0, 0, 0, 0)');
    expect(await style('#en-p2\\.s1', 'transitionDuration')).toBe('0s');
    await page.hover('#en-p4\\.s2');
    expect(await activeIds()).toEqual(['fr-p4.s2', 'en-p4.s2']);
    await page.mouse.move(1, 1);
    await page.hover('h1');
    expect(await activeIds()).toEqual([]);
  });

  it('is keyboard accessible: Tab focuses sentences, which highlight their pair with a focus ring', async () => {
    await page.focus('#review-only'); // the review filter comes first, in the header
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('fr-p0.s0');
    expect(await activeIds()).toEqual(['fr-p0.s0', 'en-p0.s0']);
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('fr-p0.s1');
    expect(await activeIds()).toEqual(['fr-p0.s1', 'en-p0.s1']);
    const outline = await style('#fr-p0\\.s1', 'outlineStyle');
    expect(outline).toBe('solid');
    expect(await page.getAttribute('#fr-p0\\.s1', 'aria-describedby')).toBe('en-p0.s1');
    await page.keyboard.press('Shift+Tab');
    expect(await activeIds()).toEqual(['fr-p0.s0', 'en-p0.s0']);
  });

  it('filters to the pairs to review and back with the keyboard alone', async () => {
    const visible = (id: string): Promise<boolean> => page.isVisible(`#${id.replace('.', '\\.')}`);
    const checked = (): Promise<boolean> => js("document.getElementById('review-only').checked");
    await page.reload(); // a fresh page: Tab starts from the top, not from the last focused sentence
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('review-only');
    expect(await style('#review-only', 'outlineStyle')).toBe('solid'); // visible focus
    expect(await checked()).toBe(false);
    expect(await visible('p0')).toBe(true);

    await page.keyboard.press('Space');
    expect(await checked()).toBe(true);
    // Rows without a pair to review are gone; in the others, only the pairs to review are left.
    for (const id of ['p0', 'p1', 'p2', 'fr-p3.s1', 'en-p3.s1', 'fr-p4.s1', 'en-p4.s1', 'p5']) expect(await visible(id), id).toBe(false);
    for (const id of ['p3', 'fr-p3.s0', 'en-p3.s0', 'fr-p3.s4', 'en-p3.s4', 'fr-p4.s0', 'en-p4.s0', 'en-p4.s2']) expect(await visible(id), id).toBe(true);
    expect(await js("[...document.querySelectorAll('.flag')].filter((el) => el.checkVisibility()).map((el) => el.textContent)")).toEqual(['failed', 'split']);
    // Tab skips what is hidden: the next stop is the first pair to review.
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('fr-p3.s0');

    await page.keyboard.press('Shift+Tab');
    expect(await focusedId()).toBe('review-only');
    await page.keyboard.press('Space');
    expect(await checked()).toBe(false);
    for (const id of ['p0', 'p2', 'fr-p3.s1', 'en-p4.s1', 'p5']) expect(await visible(id), id).toBe(true);
    expect(await js("[...document.querySelectorAll('.s')].filter((el) => !el.checkVisibility()).length")).toBe(0);
  });

  it('shows the reason on each badge, and the full message in review mode', async () => {
    const checks = (): Promise<string[]> => js("[...document.querySelectorAll('.qa-check')].map((el) => el.innerText)");
    const messageWidths = (): Promise<number[]> => js("[...document.querySelectorAll('.qa-msg')].map((el) => el.getBoundingClientRect().width)");
    expect(await checks()).toEqual(['⚠ numbers', '⚠ repetition', '⚠ length', '⚠ untranslated', '⚠ length']);
    expect(await page.isVisible('#en-p3\\.s0 + .qa')).toBe(true);
    // Out of review mode a message is a tooltip, and visually hidden text for screen readers.
    expect(await page.getAttribute('#en-p3\\.s0 + .qa', 'title')).toBe(cleanText(HOSTILE_MESSAGE));
    for (const width of await messageWidths()) expect(width).toBeLessThanOrEqual(1);
    await page.focus('#review-only');
    await page.keyboard.press('Space');
    for (const width of await messageWidths()) expect(width).toBeGreaterThan(20);
    expect(await page.textContent('#en-p3\\.s0 + .qa .qa-msg')).toBe(`: ${cleanText(HOSTILE_MESSAGE)}`);
    expect(await js("document.querySelector('#en-p3\\\\.s0 + .qa').children.length")).toBe(2); // no element from the message
    await page.keyboard.press('Space');
    expect(await js('window.pwned')).toBeUndefined(); // nothing from the messages ran either
  });

  it('has a dark scheme and a print stylesheet', async () => {
    const bodyBackground = () => style('body', 'backgroundColor');
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await bodyBackground();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await bodyBackground();
    expect(light).toBe('rgb(255, 255, 255)');
    expect(dark).not.toBe(light);
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    expect(await bodyBackground()).toBe('rgb(255, 255, 255)');
    expect(await style('.hint', 'display')).toBe('none');
    expect(await style('.review-toggle', 'display')).toBe('none');
    expect(await style('.qa-msg', 'position')).toBe('static'); // printed messages are readable
    await page.emulateMedia({ media: 'screen', colorScheme: 'light' });
  });

  it('renders a screenshot that is not blank', async () => {
    await page.hover('#fr-p2\\.s0');
    const png = PNG.sync.read(await page.screenshot({ path: path.join(dir, 'view.png') }));
    const colours = new Set<number>();
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const luma = 0.299 * png.data[i] + 0.587 * png.data[i + 1] + 0.114 * png.data[i + 2];
      sum += luma;
      sumSquares += luma * luma;
      colours.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
    }
    const pixels = png.data.length / 4;
    const variance = sumSquares / pixels - (sum / pixels) ** 2;
    expect(colours.size).toBeGreaterThan(50);
    expect(variance).toBeGreaterThan(100);
  });

  it('stays usable with 500 paragraphs (highlight at the end of the page)', async () => {
    const started = Date.now();
    await open('long.fr-en.html', renderDocument(longDocument(500), 'html'));
    await page.hover('#fr-p499\\.s1');
    expect(await activeIds()).toEqual(['fr-p499.s1', 'en-p499.s1']);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await js('document.querySelectorAll(".s").length')).toBe(2000);
  });
});
