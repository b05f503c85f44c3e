/**
 * `npm run eval:segmentation`: scores fr2en's sentence segmenter against the UD French-GSD dev
 * set in `../shared` (next to the repository), with Intl.Segmenter and sbd as baselines, on the
 * plain text and its typographic-space variant. Prints a Markdown table and fr2en's errors.
 * Exits 0 without scoring when the data is absent (CI outside the shared tree).
 */
import { fileURLToPath } from 'node:url';
import { evaluateSegmentation, formatTable, goldPath, hasGold, loadGold } from '../src/segment/evaluate.js';

const root = fileURLToPath(new URL('..', import.meta.url));

if (!hasGold(root)) {
  console.log(`eval:segmentation skipped: ${goldPath(root)} not found (the data lives in ../shared).`);
} else {
  const gold = loadGold(goldPath(root));
  const evaluations = evaluateSegmentation(gold);
  console.log(`${gold.length} paragraphs, ${gold.reduce((n, p) => n + p.starts.length - 1, 0)} gold boundaries\n`);
  console.log(formatTable(evaluations));
  for (const { variant, scores } of evaluations) {
    const fr2en = scores[0];
    console.log(`\nfr2en errors (${variant}): ${fr2en.errors.length}`);
    for (const error of fr2en.errors) console.log(`  ${error.kind.padEnd(8)} ${error.id} @${error.offset}: ${error.context}`);
  }
}
