/**
 * A quality row: fr2en's Translator with real decoding (no forced length) on a real model,
 * translating a test set one line per paragraph, then BLEU and chrF against the human English
 * (sacreBLEU's numbers, src/score) and the speed of the same run.
 */
import { readFileSync } from 'node:fs';
import { Translator } from '../../../src/translator.js';
import { countWords } from '../../../src/document.js';
import { SACREBLEU_VERSION, scoreCorpus } from '../../../src/score/index.js';
import { treeCpuMs } from '../cpu-time.js';
import { hashTexts, since } from '../measure.js';
import type { QualityConfig } from '../types.js';
import type { Measured } from './measured.js';

/**
 * Passes over the test set per row; the row's time is the median pass. One pass of 1,000 short
 * sentences takes seconds, so a single pass measures whatever else the machine is doing.
 */
const PASSES = 3;

/** Non-empty lines, as the test set's files hold one sentence per line. */
export function readLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
}

/**
 * Translates `frenchFile` (English beside it: same name, `.en`) with `modelDir`. Each line is its
 * own paragraph; a paragraph's English is scored against the line's human translation.
 */
export async function runQuality(spec: QualityConfig, modelDir: string, frenchFile: string): Promise<Measured> {
  const french = readLines(frenchFile);
  const english = readLines(frenchFile.replace(/\.fr$/, '.en'));
  if (english.length !== french.length) throw new Error(`${frenchFile}: ${french.length} lines, but its .en has ${english.length}`);

  const { dtype, beams, noRepeatNgramSize } = spec;
  const loadStart = performance.now();
  const translator = await Translator.create({ model: modelDir, dtype, decode: { beams, noRepeatNgramSize } });
  const loadMs = since(loadStart);
  // Target tokens of a pass: each sentence's output token ids, as the workers report them (no padding).
  let targetTokens = 0;
  let hypotheses: string[] = [];
  const passMs: number[] = [];
  const passCpuMs: number[] = [];
  try {
    for (let pass = 0; pass < PASSES; pass++) {
      let passTokens = 0;
      const cpuStart = treeCpuMs();
      const started = performance.now();
      const document = await translator.translateText(french.join('\n\n'), frenchFile, { onProgress: (event) => (passTokens += event.targetTokens) });
      passMs.push(since(started));
      passCpuMs.push(treeCpuMs() - cpuStart);
      const texts = document.paragraphs.map((paragraph) => paragraph.target);
      if (pass === 0) [hypotheses, targetTokens] = [texts, passTokens];
      else if (hashTexts(texts) !== hashTexts(hypotheses)) throw new Error(`pass ${pass + 1} translated differently from pass 1`);
    }
  } finally {
    await translator.close();
  }
  const runMs = median(passMs);
  if (hypotheses.length !== french.length) throw new Error(`${frenchFile}: ${french.length} lines came back as ${hypotheses.length} paragraphs`);

  // The signatures' version is named here: fr2en's own lookup of package.json assumes dist/, and
  // the benchmark runs from build/; the child runs in the repository root.
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  const [bleu, chrf] = scoreCorpus(hypotheses, [english], { metrics: ['bleu', 'chrf'], version: `fr2en-${version}+sacrebleu-${SACREBLEU_VERSION}` });
  const { config } = translator;
  return {
    loadMs,
    runMs,
    pieces: french.length,
    sourceWords: countWords(french.join(' ')),
    targetTokens,
    computedTokens: null,
    threadsUsed: config.workers * config.threads,
    outputHash: hashTexts(hypotheses),
    extra: {
      bleu: bleu.score,
      chrf: chrf.score,
      bleuSignature: bleu.signature,
      chrfSignature: chrf.signature,
      dtype: config.dtype,
      beams: config.decode.beams,
      noRepeatNgramSize: config.decode.noRepeatNgramSize,
      workers: config.workers,
      threads: config.threads,
      batchSize: config.batchSize,
      passMs: passMs.map((ms) => Math.round(ms)).join(','),
      // CPU time of this process and its workers per pass (median): steadier than wall time on a busy machine.
      cpuMs: median(passCpuMs),
      passCpuMs: passCpuMs.map((ms) => Math.round(ms)).join(','),
    },
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
