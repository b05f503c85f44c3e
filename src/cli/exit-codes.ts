/** fr2en's exit codes (documented in the README). */
export const ExitCode = {
  /** Everything asked for was done. */
  ok: 0,
  /** Some files failed; the others were written. */
  someFailed: 1,
  /** Bad options or arguments: nothing was done. */
  usage: 2,
  /** Interrupted by SIGINT or SIGTERM; finished files are kept, nothing half-written. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
