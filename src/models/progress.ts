import type { ModelDtype } from './files.js';
import type { VerifiedBy } from './manifest.js';

/**
 * What a download reports through `onProgress`. The library never prints: the CLI turns these
 * into a progress bar (terminal) or plain lines (log files, CI).
 *
 * Byte counts in `file-progress` include bytes resumed from an earlier `.part`; a reporter that
 * shows a speed should measure it from the change between events, not from the totals.
 */
export type ModelProgressEvent =
  | {
      type: 'plan';
      model: string;
      dtype: ModelDtype;
      /** Files to fetch, with their announced size (undefined if the server did not say). */
      files: { path: string; size: number | undefined }[];
      /** Already present and unchanged on the hub: not fetched again. */
      skipped: string[];
      /** Sum of the announced sizes of `files`. */
      totalBytes: number;
    }
  | { type: 'file-start'; path: string; size: number | undefined; resumeFrom: number }
  | {
      type: 'file-progress';
      path: string;
      bytes: number;
      size: number | undefined;
      /** Over all files of the plan. */
      totalDone: number;
      totalBytes: number;
    }
  | { type: 'file-restart'; path: string; reason: string }
  | { type: 'file-done'; path: string; size: number; verifiedBy: VerifiedBy }
  | { type: 'retry'; path: string; attempt: number; delayMs: number; message: string }
  | { type: 'done'; model: string; folder: string; downloadedBytes: number; files: number };

export type ProgressCallback = (event: ModelProgressEvent) => void;
