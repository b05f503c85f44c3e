/**
 * Correctness of fr2en's prepared graph (src/models/prepare.ts) on the full-size model: the
 * workload decoded through the original ONNX files and through the prepared ones, in one process
 * with one thread each, greedy with fr2en's default guard, to the forced length. `agreement` is
 * the share of sentences with the same token ids (the floor for q8: 99%; fp32 must be 100%).
 * The row's time is the prepared graph's; the original's is in `originalRunMs`.
 */
import { DEFAULT_DECODE } from '../../../src/config.js';
import { prepareModel } from '../../../src/models/prepare.js';
import { loadModelTokenizer } from '../../../src/translate/model-tokenizer.js';
import { decodeBatch } from '../../../src/translate/search/decode-batch.js';
import { searchConfig } from '../../../src/translate/search-settings.js';
import { openMarianSessions, type LoadedModel } from '../../../src/translate/sessions.js';
import { since } from '../measure.js';
import type { AgreementConfig } from '../types.js';
import { FORCED_DECODE, workloadBatches, type Workload } from '../workload.js';
import { workloadWork, type Measured } from './measured.js';

const BATCH = 16;

export async function runAgreement(spec: AgreementConfig, modelDir: string, workload: Workload): Promise<Measured> {
  const loadStart = performance.now();
  const tokenizer = await loadModelTokenizer(modelDir);
  const { folder } = await prepareModel(modelDir, spec.dtype);
  const [original, prepared] = await Promise.all([openMarianSessions(modelDir, spec.dtype, 1), openMarianSessions(folder, spec.dtype, 1)]);
  const loadMs = since(loadStart);
  const batches = workloadBatches(workload, BATCH, 1, true).map((batch) => tokenizer.tokenize(batch.map((piece) => piece.text)));
  const decode = (model: LoadedModel) => async () => {
    const config = searchConfig(model, { ...DEFAULT_DECODE, ...FORCED_DECODE });
    const tokens: number[][] = [];
    for (const input of batches) for (const result of await decodeBatch(model, input, config)) tokens.push([...result.tokens]);
    return tokens;
  };
  try {
    const originalStart = performance.now();
    const theirs = await decode(original)();
    const originalRunMs = since(originalStart);
    const runStart = performance.now();
    const ours = await decode(prepared)();
    const runMs = since(runStart);
    const same = ours.filter((tokens, i) => tokens.length === theirs[i].length && tokens.every((t, j) => t === theirs[i][j])).length;
    return {
      loadMs,
      runMs,
      ...workloadWork(workload),
      computedTokens: null,
      threadsUsed: 1,
      outputHash: null,
      extra: { agreement: same / ours.length, sameSentences: same, sentences: ours.length, originalRunMs, dtype: spec.dtype },
    };
  } finally {
    await Promise.all([original.release(), prepared.release()]);
  }
}
