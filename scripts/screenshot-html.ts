/**
 * Renders a short sample article as the HTML view and saves a screenshot for the README:
 *   npx tsx scripts/screenshot-html.ts [out.png]   (default docs/html-view.png)
 * Needs Debian's Chromium at /usr/bin/chromium (apt-get install -y chromium).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { AlignedDocument } from '../src/document.js';
import { writeDocument } from '../src/write/index.js';
import { alignedDocument, type ParagraphSpec } from '../test/helpers/aligned-fixtures.js';

function sample(): AlignedDocument {
  const specs: ParagraphSpec[] = [
    { kind: 'header', pairs: [['date 2023-03', 'date 2023-03', ['verbatim']], ['Par Claire Martin', 'By Claire Martin']] },
    { kind: 'heading', pairs: [['À Lyon, les pentes de la Croix-Rousse se réinventent', 'In Lyon, the slopes of the Croix-Rousse reinvent themselves']] },
    {
      kind: 'prose',
      pairs: [
        ['Longtemps, la colline des canuts a vécu au rythme des métiers à tisser.', 'For a long time, the hill of the silk workers lived to the rhythm of the looms.'],
        ["Aujourd'hui, ateliers d'artistes et petites librairies occupent les anciennes traboules.", 'Today, artists\u2019 studios and small bookshops occupy the old traboules.'],
        ['Le samedi, le marché du boulevard attire des visiteurs de toute la région.', 'On Saturdays, the boulevard market draws visitors from the whole region.'],
      ],
    },
    {
      kind: 'prose',
      pairs: [
        ['« Nous voulions garder l\u2019esprit du quartier », explique une habitante.', '"We wanted to keep the spirit of the neighbourhood," explains a resident.'],
        // A dropped number, flagged as the quality checks would, so the view shows a badge.
        [
          'Les loyers, eux, ont presque doublé en dix ans.',
          'Rents, for their part, have almost doubled in years.',
          [],
          { qa: [{ check: 'numbers', message: 'source number dix (10) missing from the target' }] },
        ],
      ],
    },
    { kind: 'list-item', pairs: [['Plus d\u2019informations : https://www.lyon.fr', 'More information: https://www.lyon.fr', ['verbatim']]] },
  ];
  return alignedDocument('articles/croix-rousse.txt', specs, 'Xenova/opus-mt-fr-en');
}

const out = path.resolve(process.argv[2] ?? 'docs/html-view.png');
const dir = mkdtempSync(path.join(tmpdir(), 'fr2en-screenshot-'));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const html = path.join(dir, 'croix-rousse.fr-en.html');
  await writeDocument(sample(), 'html', html);
  const page = await browser.newPage({ viewport: { width: 1100, height: 600 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(html).href);
  await page.hover('#fr-p2\\.s1'); // show the linked highlight
  mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
