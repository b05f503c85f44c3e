import type { RunResult } from '../types.js';

/** What a runner returns; the child adds the id and the peak RSS. `threadsUsed` 0 = all cores. */
export type Measured = Omit<RunResult, 'id' | 'ok' | 'error' | 'peakRssMiB'>;
