import type { RunResult } from '../types.js';
import type { Workload } from '../workload.js';

/** What a runner returns; the child adds the id and the peak RSS. `threadsUsed` 0 = all cores. */
export type Measured = Omit<RunResult, 'id' | 'ok' | 'error' | 'peakRssMiB'>;

/** The useful work of translating the workload `repeat` times: what the text-translating rows report. */
export function workloadWork(workload: Workload, repeat = 1): Pick<Measured, 'pieces' | 'sourceWords' | 'targetTokens'> {
  return { pieces: workload.pieces.length * repeat, sourceWords: workload.sourceWords * repeat, targetTokens: workload.targetTokens * repeat };
}
