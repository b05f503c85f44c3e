import { Fr2enError } from '../errors.js';

/** An answer other than 2xx, worded for the client: the body is `{"error": message}`. */
export class HttpError extends Fr2enError {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
