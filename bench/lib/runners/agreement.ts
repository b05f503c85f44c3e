/**
 * Correctness of fr2en's prepared graph (src/models/prepare.ts) on the full-size model: the
 * workload decoded through the original ONNX files and through the prepared ones, in one process
 * with one thread each, greedy with fr2en's default guard, to the forced length. `agreement` is
 * the share of sentences with the same token ids (the floor for q8: 99%; fp32 must be 100%).
 * The row's time is the prepared graph's; the original's is in `originalRunMs`.
 */
import { prepareModel } from '../../../src/models/prepare.js';
import { openMarianSessions } from '../../../src/translate/sessions.js';
import { since } from '../measure.js';
import type { AgreementConfig } from '../types.js';
import type { Workload } from '../workload.js';
import type { Measured } from './measured.js';
import { decodeWorkload, oneThreadResult, workloadInputs } from './one-worker.js';

export async function runAgreement(spec: AgreementConfig, modelDir: string, workload: Workload): Promise<Measured> {
  const loadStart = performance.now();
  const inputs = await workloadInputs(modelDir, workload);
  const { folder } = await prepareModel(modelDir, spec.dtype);
  const [original, prepared] = await Promise.all([openMarianSessions(modelDir, spec.dtype, 1), openMarianSessions(folder, spec.dtype, 1)]);
  const loadMs = since(loadStart);
  try {
    const originalStart = performance.now();
    const theirs = await decodeWorkload(original, inputs);
    const originalRunMs = since(originalStart);
    const runStart = performance.now();
    const ours = await decodeWorkload(prepared, inputs);
    const runMs = since(runStart);
    const same = ours.filter((tokens, i) => tokens.length === theirs[i].length && tokens.every((t, j) => t === theirs[i][j])).length;
    return oneThreadResult(workload, loadMs, runMs, { agreement: same / ours.length, sameSentences: same, sentences: ours.length, originalRunMs, dtype: spec.dtype });
  } finally {
    await Promise.all([original.release(), prepared.release()]);
  }
}
