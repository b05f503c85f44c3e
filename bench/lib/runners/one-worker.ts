/**
 * What the agreement and profile rows share: the workload decoded as one fr2en worker decodes it
 * (batches of 16 cut as the Scheduler cuts them, tokenized in the main process, greedy with the
 * default guard, forced length), in this process, on one thread.
 */
import { DEFAULT_DECODE } from '../../../src/config.js';
import { loadModelTokenizer } from '../../../src/translate/model-tokenizer.js';
import { decodeBatch } from '../../../src/translate/search/decode-batch.js';
import type { EncoderInput, MarianSessions } from '../../../src/translate/search/marian-decoder.js';
import { searchConfig, type ModelConfigs } from '../../../src/translate/search-settings.js';
import { FORCED_DECODE, workloadBatches, type Workload } from '../workload.js';
import { workloadWork, type Measured } from './measured.js';

const BATCH = 16;

/** The workload's batches, tokenized with the model's tokenizer. */
export async function workloadInputs(modelDir: string, workload: Workload): Promise<EncoderInput[]> {
  const tokenizer = await loadModelTokenizer(modelDir);
  return workloadBatches(workload, BATCH, 1, true).map((batch) => tokenizer.tokenize(batch.map((piece) => piece.text)));
}

/** Each sentence's token ids, in workload order. */
export async function decodeWorkload(model: MarianSessions & ModelConfigs, inputs: readonly EncoderInput[]): Promise<number[][]> {
  const config = searchConfig(model, { ...DEFAULT_DECODE, ...FORCED_DECODE });
  const tokens: number[][] = [];
  for (const input of inputs) for (const result of await decodeBatch(model, input, config)) tokens.push([...result.tokens]);
  return tokens;
}

/** The row's result: the whole workload's work, on one thread. */
export function oneThreadResult(workload: Workload, loadMs: number, runMs: number, extra: Measured['extra']): Measured {
  return { loadMs, runMs, ...workloadWork(workload), computedTokens: null, threadsUsed: 1, outputHash: null, extra };
}
