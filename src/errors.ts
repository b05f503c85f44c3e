/** The message of anything thrown (not all of it is an Error). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Base class of every error fr2en raises on purpose; the CLI maps them to messages and exit codes. */
export class Fr2enError extends Error {
  override readonly name: string = 'Fr2enError';
}

/** The user asked for something impossible (bad option value, contradictory options): exit 2. */
export class UsageError extends Fr2enError {
  override readonly name = 'UsageError';
}

/** Why a batch could not be translated by the pool. */
export type PoolFailure = 'crashed' | 'timeout' | 'translate' | 'load' | 'closed';

export class PoolError extends Fr2enError {
  override readonly name = 'PoolError';
  constructor(
    readonly reason: PoolFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** A load failure repeats on every worker and every retry: stop the run instead. */
  get fatal(): boolean {
    return this.reason === 'load' || this.reason === 'closed';
  }
}
