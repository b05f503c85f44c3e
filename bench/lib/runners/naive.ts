/**
 * Baselines (a) and (b): what a user writes by hand. One transformers.js translation pipeline on
 * the main thread, library defaults (no session options, no repetition guard), one call per
 * sentence, with the same forced length as every other row.
 */
import { env, pipeline } from '@huggingface/transformers';
import type { Workload } from '../workload.js';
import { hashTexts, since } from '../measure.js';
import type { NaiveConfig } from '../types.js';
import { workloadWork, type Measured } from './measured.js';

type TranslationOutput = Array<{ translation_text: string }>;
type Translate = (text: string, options: Record<string, unknown>) => Promise<TranslationOutput>;

export async function runNaive(spec: NaiveConfig, modelDir: string, workload: Workload): Promise<Measured> {
  env.allowRemoteModels = false;
  const loadStart = performance.now();
  const translator = (await pipeline('translation', modelDir, { dtype: spec.dtype })) as unknown as Translate & { dispose(): Promise<void> };
  const loadMs = since(loadStart);
  const outputs: string[] = [];
  const runStart = performance.now();
  for (const piece of workload.pieces) {
    const n = piece.targetTokens;
    const [result] = await translator(piece.text, { max_new_tokens: n, min_new_tokens: n });
    outputs.push(result.translation_text);
  }
  const runMs = since(runStart);
  await translator.dispose();
  return {
    loadMs,
    runMs,
    ...workloadWork(workload),
    // One row per call: nothing is padded.
    computedTokens: workload.targetTokens,
    // ORT's default intra-op pool uses every core.
    threadsUsed: 0,
    outputHash: hashTexts(outputs),
    extra: {},
  };
}
