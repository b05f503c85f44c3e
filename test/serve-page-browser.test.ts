/**
 * The web page of `fr2en serve` in Debian's Chromium (playwright-core; skipped, saying why, when
 * /usr/bin/chromium is missing): paste, translate with progress, the side-by-side view, the
 * toggles, downloads, a dropped or opened file, the keyboard, phone width, and the CSP.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlignedDocument } from '../src/document.js';
import { renderDocument, toolVersion, writers } from '../src/write/index.js';
import { gatedBackend, postJson, startTestServer, type TestServer } from './helpers/serve.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`serve-page-browser: ${CHROMIUM} not found, browser test skipped (apt-get install -y chromium)`);

const ARTICLE = [
  'Le conseil municipal a voté le budget hier soir. Les travaux commencent en mars.',
  'Il a écrit <script>window.pwned=1</script> ici, et <img src=x onerror="window.pwned=2"> là.',
  'La mairie promet une piste cyclable avant l’été.',
].join('\n\n');

describe.skipIf(!hasChromium)('the page of fr2en serve in headless Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const js = <T>(expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;
  // Polled from here: page.waitForFunction evaluates strings inside the page, which its CSP forbids.
  const waitFor = async (expression: string): Promise<void> => {
    const end = Date.now() + 30_000;
    while (!(await js<boolean>(expression))) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const view = (): Frame => page.frames().find((frame) => frame !== page.mainFrame())!;

  beforeAll(async () => {
    server = await startTestServer({ serve: { maxChars: 20_000 } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 }, reducedMotion: 'reduce', acceptDownloads: true });
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('is served with a Content-Security-Policy and no external asset', async () => {
    const response = await page.goto(server.url);
    const csp = response!.headers()['content-security-policy'];
    expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[^']+' 'sha256-[^']+'; style-src /);
    expect(csp).toContain("connect-src 'self'");
    expect(await js("[...document.querySelectorAll('[src], link[href]')].map((el) => el.getAttribute('src') || el.getAttribute('href'))")).toEqual([]);
    expect(await page.textContent('#count')).toBe('0 / 20,000 characters');
  });

  it('reaches the text box, the file picker and the button with Tab, and says what is missing', async () => {
    await page.keyboard.press('Tab');
    expect(await js('document.activeElement.id')).toBe('source');
    await page.keyboard.press('Tab');
    expect(await js('document.activeElement.id')).toBe('file');
    await page.keyboard.press('Tab');
    expect(await js('document.activeElement.id')).toBe('translate');
    await page.keyboard.press('Enter');
    expect(await page.textContent('#error')).toBe('Paste some French text first, or open a .txt file.');
    expect(await page.getAttribute('#error', 'role')).toBe('alert');
  });

  it('translates pasted text with Ctrl+Enter and shows the side-by-side view of the HTML output', async () => {
    await page.fill('#source', ARTICLE);
    expect(await page.textContent('#count')).toBe(`${[...ARTICLE].length} / 20,000 characters`);
    await page.focus('#source');
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('#result:not([hidden])');
    await waitFor("document.getElementById('status-text').textContent.startsWith('Done')");
    expect(await page.textContent('#status-text')).toBe('Done: 3 paragraphs, 4 sentences.');
    expect(await page.isHidden('#error')).toBe(true);

    // The frame holds the html writer's page for this very document.
    const expected = await postJson(`${server.url}/v1/translate`, { text: ARTICLE, file: 'pasted text' });
    const document = expected.json as AlignedDocument;
    await view().waitForSelector('main .row');
    expect(await view().evaluate('document.documentElement.outerHTML.length')).toBeGreaterThan(1000);
    expect(await view().locator('.row:not(.cols)').count()).toBe(3);
    expect(await view().textContent('#en-p0\\.s0')).toBe(document.paragraphs[0].pairs[0].target);
    expect(await view().textContent('#fr-p1\\.s0')).toContain('<script>window.pwned=1</script>');
    // Its own script runs under both policies: hovering a sentence highlights its pair.
    await view().hover('#fr-p0\\.s1');
    expect(await view().evaluate("[...document.querySelectorAll('.s.is-active')].map((el) => el.id)")).toEqual(['fr-p0.s1', 'en-p0.s1']);
    // Nothing from the text ran, anywhere; nothing was refused.
    expect(await js('window.pwned')).toBeUndefined();
    expect(await view().evaluate('window.pwned')).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('toggles between side by side and English only, and the view filters pairs to review', async () => {
    await page.check('input[name=view][value=en]');
    expect(await page.isHidden('#view')).toBe(true);
    const english = await page.textContent('#english');
    expect(english!.split('\n\n')).toHaveLength(3);
    await page.check('input[name=view][value=sbs]');
    expect(await page.isVisible('#view')).toBe(true);
    expect(await page.isHidden('#english')).toBe(true);
    // The tiny model's output is flagged (repetition, length...): the view's review filter works inside the frame.
    const toReview = await view().locator('.row[data-review]').count();
    expect(toReview).toBeGreaterThan(0);
    await view().check('#review-only');
    expect(await view().locator('.row:not(.cols)').evaluateAll((rows) => rows.filter((row) => (row as unknown as { checkVisibility(): boolean }).checkVisibility()).length)).toBe(toReview);
    await view().uncheck('#review-only');
  });

  it('downloads txt, html, jsonl, tmx and xliff, each what the writer gives', async () => {
    const document = (await postJson(`${server.url}/v1/translate`, { text: ARTICLE, file: 'pasted text' })).json as AlignedDocument;
    for (const format of ['txt', 'html', 'jsonl', 'tmx', 'xliff'] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-format=${format}]`)]);
      expect(download.suggestedFilename()).toBe(`pasted-text${writers[format].extension}`);
      const body = readFileSync((await download.path())!, 'utf8');
      expect(body).toBe(renderDocument(document, format, { toolVersion: toolVersion() }));
    }
    expect(errors).toEqual([]);
  });

  it('shows progress while a long text is translated', async () => {
    const long = Array.from({ length: 120 }, (_, i) => `Le paragraphe ${i + 1} raconte la séance. Le public a posé ${i + 2} questions au maire.`).join('\n\n');
    await page.fill('#source', long);
    await js(`(() => {
      window.statuses = [];
      new MutationObserver(() => window.statuses.push(document.getElementById('status-text').textContent))
        .observe(document.getElementById('status-text'), { childList: true, characterData: true, subtree: true });
    })()`);
    await page.click('#translate');
    await waitFor("document.getElementById('status-text').textContent.startsWith('Done')");
    const statuses = await js<string[]>('window.statuses');
    const percents = statuses.map((s) => /^Translating… (\d+)% \(([\d,]+) of ([\d,]+) words\)$/.exec(s)).filter(Boolean);
    expect(percents.length).toBeGreaterThan(1);
    expect(percents[0]![1]).toBe('0');
    expect(await page.getAttribute('#progress', 'hidden')).not.toBeNull();
    expect(await view().locator('.row:not(.cols)').count()).toBe(120);
  });

  it('reads an opened or dropped .txt file, UTF-8 or Windows-1252', async () => {
    await page.setInputFiles('#file', { name: 'ancien.txt', mimeType: 'text/plain', buffer: Buffer.from([0x4c, 0x27, 0xe9, 0x74, 0xe9, 0x20, 0x61, 0x72, 0x72, 0x69, 0x76, 0x65, 0x2e]) });
    await waitFor("document.getElementById('source').value === \"L'été arrive.\"");
    await js(`(() => {
      const data = new DataTransfer();
      data.items.add(new File(['Une note déposée sur la page.'], 'note.txt', { type: 'text/plain' }));
      document.getElementById('form').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    })()`);
    await waitFor("document.getElementById('source').value === 'Une note déposée sur la page.'");
    await page.click('#translate');
    await waitFor("document.getElementById('status-text').textContent.startsWith('Done')");
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[data-format=txt]')]);
    expect(download.suggestedFilename()).toBe('note.en.txt');
  });

  it('asks for an API key when the server requires one, and sends it', async () => {
    const gate = gatedBackend();
    gate.open();
    const locked = await startTestServer({ serve: { apiKeys: ['page-key'] }, internals: gate.internals });
    const other = await browser.newPage();
    try {
      await other.goto(locked.url);
      expect(await other.isVisible('#key')).toBe(true);
      await other.fill('#source', 'Bonjour à tous.');
      await other.click('#translate');
      expect(await other.textContent('#error')).toBe('This server needs an API key.');
      await other.fill('#key', 'wrong');
      await other.click('#translate');
      await other.waitForSelector('#error:not([hidden])');
      expect(await other.textContent('#error')).toBe('Invalid API key');
      await other.fill('#key', 'page-key');
      await other.click('#translate');
      await other.waitForSelector('#result:not([hidden])');
      const [download] = await Promise.all([other.waitForEvent('download'), other.click('button[data-format=txt]')]);
      expect(readFileSync((await download.path())!, 'utf8')).toBe('BONJOUR À TOUS.\n');
    } finally {
      await other.close();
      await locked.close();
    }
  });

  it('is readable at phone width: no sideways scrolling, the view stacks its columns', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    expect(await js('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    const columns = await view().evaluate("getComputedStyle(document.querySelector('.row:not(.cols)')).gridTemplateColumns.split(' ').length");
    expect(columns).toBe(2);
    expect(await view().evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    expect(errors).toEqual([]);
  });
});
