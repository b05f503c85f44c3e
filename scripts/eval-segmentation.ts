/**
 * `npm run eval:segmentation`: scores fr2en's sentence segmenter on every gold set, with
 * Intl.Segmenter and sbd as baselines, on the plain text and its typographic-space variant, in
 * one run. The sets are every `*.jsonl` of `../shared/data/segmentation/` (UD French-GSD dev,
 * French QuestionBank; skipped with a message when `../shared` is absent) and of
 * `test/fixtures/segmentation/` (hand-written French in other registers). Prints a Markdown
 * table and fr2en's errors with their context.
 */
import { fileURLToPath } from 'node:url';
import {
  boundaryCount,
  evaluateSets,
  fixtureGoldFolder,
  formatTable,
  loadGoldSets,
  sharedGoldFolder,
  type GoldSet,
} from '../src/segment/evaluate.js';

const root = fileURLToPath(new URL('..', import.meta.url));

const shared = loadGoldSets(sharedGoldFolder(root));
if (shared.length === 0) console.log(`eval:segmentation: ${sharedGoldFolder(root)} not found, shared sets skipped (the data lives in ../shared).`);
const sets: GoldSet[] = [...shared, ...loadGoldSets(fixtureGoldFolder(root))];

for (const set of sets) console.log(`${set.name}: ${set.paragraphs.length} paragraphs, ${boundaryCount(set.paragraphs)} gold boundaries (${set.path})`);
const evaluations = evaluateSets(sets);
console.log(`\n${formatTable(evaluations)}`);
for (const { set, variant, scores } of evaluations) {
  const fr2en = scores[0];
  if (fr2en.errors.length === 0) continue;
  console.log(`\nfr2en errors on ${set} (${variant}): ${fr2en.errors.length}`);
  for (const error of fr2en.errors) console.log(`  ${error.kind.padEnd(8)} ${error.id} @${error.offset}: ${error.context}`);
}
