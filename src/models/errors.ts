/**
 * Every failure of model management is a `ModelError` with a literal `reason`, so the CLI maps it
 * to a message and exit code with a switch, and tests assert on the code, not on wording.
 * Messages name the file or URL and say what to do next.
 */
import { Fr2enError } from '../errors.js';

export const MODEL_ERROR_REASONS = [
  // ids and folders
  'invalid-id',
  'not-installed',
  'not-a-folder',
  'missing-config',
  'bad-config',
  'not-marian',
  'not-encoder-decoder',
  'missing-tokenizer',
  'bad-tokenizer',
  'missing-onnx',
  // network and hub
  'not-found',
  'unauthorized',
  'http-error',
  'network',
  'interrupted',
  'bad-response',
  // integrity
  'size-mismatch',
  'checksum-mismatch',
  'corrupt',
  // offline mode
  'offline-missing',
  // local file system
  'io',
] as const;
export type ModelErrorReason = (typeof MODEL_ERROR_REASONS)[number];

export interface ModelErrorDetails {
  /** The model id or folder concerned. */
  model?: string;
  /** A file inside the model folder (hub path form, `onnx/x.onnx`) or a local path. */
  file?: string;
  /** Several files, for reasons that concern more than one (missing-onnx, offline-missing, corrupt). */
  files?: string[];
  /** The URL requested (the hub URL, never a signed CDN URL with its query, never with a token). */
  url?: string;
  /** HTTP status, when the reason comes from a response. */
  status?: number;
  cause?: unknown;
}

export class ModelError extends Fr2enError {
  override readonly name = 'ModelError';
  readonly reason: ModelErrorReason;
  readonly model: string | undefined;
  readonly file: string | undefined;
  readonly files: readonly string[];
  readonly url: string | undefined;
  readonly status: number | undefined;

  constructor(reason: ModelErrorReason, message: string, details: ModelErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.reason = reason;
    this.model = details.model;
    this.file = details.file;
    this.files = details.files ?? (details.file === undefined ? [] : [details.file]);
    this.url = details.url;
    this.status = details.status;
  }
}

/** Errors a retry may cure (a dropped connection, a refused one, a 5xx). */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof ModelError)) return false;
  if (error.reason === 'network' || error.reason === 'interrupted') return true;
  return error.reason === 'http-error' && error.status !== undefined && error.status >= 500;
}
