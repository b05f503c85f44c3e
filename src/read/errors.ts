import { Fr2enError, errorMessage } from '../errors.js';

/**
 * Why one input could not be read, or was left out on purpose. Expected per-file outcomes: the
 * batch goes on with the other files, and the CLI reports each one with its `message`.
 *
 * - `not-found`: the path does not exist (or a glob matched nothing: see `no-match`).
 * - `unreadable`: it exists but cannot be read (permissions, a special file, an I/O error).
 * - `binary`: NUL bytes in the first 8 KiB (and not UTF-16), or a PNG/JPEG/GIF/PDF/ZIP/gzip header.
 * - `decode`: the bytes are not valid in the encoding forced or detected; `offset` says where.
 * - `path-escape`: the output path would land outside the output folder.
 * - `symlink-escape`: a symbolic link inside an input folder points outside it (not followed).
 * - `symlink-loop`: a symbolic link leads back to a folder being walked (not followed).
 * - `broken-symlink`: a symbolic link whose target does not exist.
 * - `no-match`: a glob matched no file, or a folder holds no file with the wanted extensions.
 * - `duplicate-output`: two different inputs map to the same relative output path.
 */
export const INPUT_ERROR_REASONS = [
  'not-found',
  'unreadable',
  'binary',
  'decode',
  'path-escape',
  'symlink-escape',
  'symlink-loop',
  'broken-symlink',
  'no-match',
  'duplicate-output',
] as const;
export type InputErrorReason = (typeof INPUT_ERROR_REASONS)[number];

export interface InputErrorDetails {
  /** Byte offset in the input of the first undecodable byte (reason `decode`). */
  offset?: number;
  cause?: unknown;
}

/**
 * A problem with one input file. `message` is one line: `<file>: <problem>`, plus
 * ` (byte <offset>)` when the offset is known.
 */
export class InputError extends Fr2enError {
  override readonly name = 'InputError';
  readonly reason: InputErrorReason;
  /** The input as the user named it (or as found in a folder), `-` for stdin. */
  readonly file: string;
  readonly offset: number | undefined;

  constructor(reason: InputErrorReason, file: string, problem: string, details: InputErrorDetails = {}) {
    const at = details.offset === undefined ? '' : ` (byte ${details.offset})`;
    super(`${file}: ${problem}${at}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.reason = reason;
    this.file = file;
    this.offset = details.offset;
  }
}

/** Maps a Node file-system error to the matching InputError (ENOENT -> not-found, else unreadable). */
export function inputErrorFromFs(file: string, error: unknown): InputError {
  if (error instanceof InputError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new InputError('not-found', file, 'no such file or folder', { cause: error });
  }
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'EISDIR'
        ? 'is a folder'
        : code === 'ELOOP'
          ? 'too many levels of symbolic links'
          : `cannot be read (${code ?? errorMessage(error)})`;
  return new InputError('unreadable', file, why, { cause: error });
}
