/** An output file that could not be written: one line naming the file and the problem. */
import { describeErrno } from '../cache/index.js';
import { Fr2enError } from '../errors.js';

export class WriteError extends Fr2enError {
  override readonly name = 'WriteError';
  /** The file-system error code (`ENOSPC`, `EACCES`, `EROFS`...). */
  readonly code: string;
  readonly file: string;

  constructor(file: string, cause: NodeJS.ErrnoException) {
    const code = cause.code ?? 'EIO';
    super(`${file}: ${describeErrno(code)}`, { cause });
    this.code = code;
    this.file = file;
  }
}

/** A file-system error from writing (as opposed to a bug or a translation failure). */
export function isWriteFailure(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}
