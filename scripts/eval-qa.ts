/**
 * `npx tsx scripts/eval-qa.ts [--fit-length] [--show N]`: measures fr2en's quality checks
 * (src/qa/) on correct human translations and on damaged copies of them.
 *
 * - Multi30K test 2016 + val (2,014 pairs, ../shared/data/parallel, next to the repository):
 *   skipped with a message when absent.
 * - The hand-made pairs of test/fixtures/qa/clean-pairs.tsv (numbers, URLs, news and finance text
 *   that Multi30K lacks).
 *
 * Prints false alarms per check, recall per damage, then the flagged clean pairs and up to N
 * missed damaged pairs per damage (default 5). `--fit-length` also refits the length band.
 */
import { fileURLToPath } from 'node:url';
import { evaluateQa, fitLengthModel, formatEvaluation, hasParallelData, loadHandmadePairs, loadMulti30k, parallelDataDir, type EvalPair } from '../src/qa/evaluate.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const showIndex = args.indexOf('--show');
const show = showIndex === -1 ? 5 : Number(args[showIndex + 1]);

const sets: { name: string; pairs: EvalPair[] }[] = [];
if (hasParallelData(root)) sets.push({ name: 'Multi30K', pairs: loadMulti30k(root) });
else console.log(`Multi30K skipped: ${parallelDataDir(root)} not found (the data lives in ../shared).\n`);
sets.push({ name: 'hand-made', pairs: loadHandmadePairs(`${root}test/fixtures/qa/clean-pairs.tsv`) });

const started = performance.now();
const evaluation = evaluateQa(sets);
const seconds = (performance.now() - started) / 1000;
console.log(formatEvaluation(evaluation));
const checked = evaluation.clean.reduce((sum, score) => sum + score.pairs, 0) + evaluation.damage.reduce((sum, score) => sum + score.applicable, 0);
console.log(`\n${checked} pairs checked in ${seconds.toFixed(2)} s (${((checked / seconds) | 0).toLocaleString('en')} pairs/s)`);

for (const score of evaluation.clean) {
  console.log(`\nFlagged clean pairs, ${score.set}: ${score.flagged.length}`);
  for (const { pair, findings } of score.flagged) {
    console.log(`  ${pair.origin}\n    fr: ${pair.source}\n    en: ${pair.target}`);
    for (const finding of findings) console.log(`    -> ${finding.check}: ${finding.message}`);
  }
}
for (const score of evaluation.damage) {
  if (score.missed.length === 0) continue;
  console.log(`\nMissed, ${score.damage} (${score.set}): ${score.missed.length}`);
  for (const { pair, damaged } of score.missed.slice(0, show)) console.log(`  ${pair.origin}\n    fr: ${pair.source}\n    en: ${damaged}`);
}

if (args.includes('--fit-length')) {
  const multi30k = sets.find((set) => set.name === 'Multi30K');
  if (multi30k === undefined) console.log('\n--fit-length needs Multi30K.');
  else {
    const fit = fitLengthModel(multi30k.pairs);
    console.log(`\nLength fit on ${fit.pairs} Multi30K pairs: ratio ${fit.ratio.toFixed(3)}, a ${fit.a.toFixed(4)}, b ${fit.b.toFixed(3)}, sigma for sources >= 100 chars ${fit.sigmaLong.toFixed(3)}`);
    console.log(`Residuals in sigmas: lowest ${fit.zRange[0].toFixed(2)}, 0.1% ${fit.zRange[1].toFixed(2)}, 99.9% ${fit.zRange[2].toFixed(2)}, highest ${fit.zRange[3].toFixed(2)}`);
  }
}
