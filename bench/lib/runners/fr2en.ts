/** Row (c), the sweep, the scaling and beam rows: fr2en's public Translator API. */
import type { TranslatorOptions } from '../../../src/config.js';
import type { AlignedParagraph } from '../../../src/document.js';
import { Translator } from '../../../src/translator.js';
import { hashTexts, since } from '../measure.js';
import type { Fr2enConfig } from '../types.js';
import { FORCED_DECODE, paddedPositions, workloadBatches, type Workload } from '../workload.js';
import { workloadWork, type Measured } from './measured.js';

/** The Translator options a row sets (the rest keep fr2en's defaults), decoding to the forced length. */
export function rowOptions(spec: Omit<Fr2enConfig, 'kind' | 'repeat'>): TranslatorOptions {
  const { dtype, workers, threads, batchSize, beams, noRepeatNgramSize, qaOff } = spec;
  return { dtype, workers, threads, batchSize, ...(qaOff ? { qa: false as const } : {}), decode: { ...FORCED_DECODE, ...(beams === undefined ? {} : { beams }), ...(noRepeatNgramSize === undefined ? {} : { noRepeatNgramSize }) } };
}

export async function runFr2en(spec: Fr2enConfig, modelDir: string, workload: Workload): Promise<Measured> {
  const loadStart = performance.now();
  const translator = await Translator.create({ model: modelDir, ...rowOptions(spec) });
  const loadMs = since(loadStart);
  const repeat = spec.repeat ?? 1;
  let reportedTokens = 0;
  let outputs: string[] = [];
  const runStart = performance.now();
  try {
    // One call per repeat, like translating `repeat` documents one after another. No memory
    // is passed, so a repeat is real work (the Scheduler only de-duplicates inside a window).
    for (let r = 0; r < repeat; r++) {
      const paragraphs: AlignedParagraph[] = [];
      for await (const paragraph of translator.translateParagraphs(workload.paragraphs, {
        onProgress: (event) => (reportedTokens += event.targetTokens),
      })) {
        paragraphs.push(paragraph);
      }
      if (r === 0) outputs = paragraphs.flatMap((paragraph) => paragraph.pairs.map((pair) => pair.target));
    }
  } finally {
    await translator.close();
  }
  const runMs = since(runStart);
  const options = translator.config;
  return {
    loadMs,
    runMs,
    ...workloadWork(workload, repeat),
    computedTokens: paddedPositions(workloadBatches(workload, options.batchSize, options.workers, true)) * repeat,
    threadsUsed: options.workers * options.threads,
    outputHash: hashTexts(outputs),
    // reportedTokens: what the workers reported generating (fr2en's decoder counts each row's own tokens).
    extra: { reportedTokens, workers: options.workers, threads: options.threads, batchSize: options.batchSize, dtype: options.dtype, beams: options.decode.beams },
  };
}
