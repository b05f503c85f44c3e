/**
 * The service's own settings (the Translator's are TranslatorOptions): where it listens, what it
 * accepts, how much it queues. Resolved once, checked field by field, frozen; the CLI maps its
 * flags onto these names.
 */
import { UsageError } from '../errors.js';

export interface ServeOptions {
  /** Address to bind. Loopback by default: exposing the service is a deliberate choice. @default '127.0.0.1' */
  host?: string;
  /** @default 5000 (LibreTranslate's port) */
  port?: number;
  /** Characters per request, all texts together; more is a 400, as LibreTranslate's `--char-limit`. @default 100000 */
  maxChars?: number;
  /** Texts (`q` array items) per request; more is a 400, as LibreTranslate's `--batch-limit`. @default 1000 */
  batchLimit?: number;
  /**
   * Sentences admitted and not yet translated, over all requests. A request that would go past it
   * is answered 429 with Retry-After (unless nothing is queued: a lone big request is let in).
   * @default 2000
   */
  maxQueue?: number;
  /** A request still translating after this long is answered 503 and its waiting sentences are dropped. @default 120000 */
  requestTimeoutMs?: number;
  /**
   * Time allowed to receive a whole request (headers and body). A client sending slower than this
   * (a slow-loris attack) is disconnected. @default 30000
   */
  receiveTimeoutMs?: number;
  /** Origins allowed by CORS (`*` for any); none by default: only same-origin pages may call. */
  cors?: readonly string[];
  /** The accepted API keys; when given, every translation request needs one of them. */
  apiKeys?: readonly string[];
}

export interface ServeConfig {
  readonly host: string;
  readonly port: number;
  readonly maxChars: number;
  readonly batchLimit: number;
  readonly maxQueue: number;
  readonly requestTimeoutMs: number;
  readonly receiveTimeoutMs: number;
  readonly cors: readonly string[];
  readonly apiKeys: readonly string[] | undefined;
}

export const SERVE_DEFAULTS = {
  host: '127.0.0.1',
  port: 5000,
  maxChars: 100_000,
  batchLimit: 1000,
  maxQueue: 2000,
  requestTimeoutMs: 120_000,
  receiveTimeoutMs: 30_000,
} as const;

export function resolveServeOptions(options: ServeOptions = {}): ServeConfig {
  const o = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ServeOptions;
  const host = o.host ?? SERVE_DEFAULTS.host;
  if (typeof host !== 'string' || host.trim() === '') throw new UsageError(`Expected \`host\` to be a host name or address, got ${JSON.stringify(host)}`);
  const cors = [...(o.cors ?? [])];
  for (const origin of cors) {
    if (origin !== '*' && URL.parse(origin)?.origin !== origin) {
      throw new UsageError(`Expected \`cors\` to be an origin such as https://example.org (scheme, host, port; no path) or *, got ${JSON.stringify(origin)}`);
    }
  }
  if (o.apiKeys !== undefined && o.apiKeys.length === 0) throw new UsageError('Expected `apiKeys` to hold at least one key');
  return Object.freeze({
    host,
    port: checkInteger('port', o.port ?? SERVE_DEFAULTS.port, 0, 65_535),
    maxChars: checkInteger('maxChars', o.maxChars ?? SERVE_DEFAULTS.maxChars, 1, 100_000_000),
    batchLimit: checkInteger('batchLimit', o.batchLimit ?? SERVE_DEFAULTS.batchLimit, 1, 1_000_000),
    maxQueue: checkInteger('maxQueue', o.maxQueue ?? SERVE_DEFAULTS.maxQueue, 1, 10_000_000),
    requestTimeoutMs: checkInteger('requestTimeoutMs', o.requestTimeoutMs ?? SERVE_DEFAULTS.requestTimeoutMs, 1, 24 * 3600 * 1000),
    receiveTimeoutMs: checkInteger('receiveTimeoutMs', o.receiveTimeoutMs ?? SERVE_DEFAULTS.receiveTimeoutMs, 1, 3600 * 1000),
    cors: Object.freeze(cors),
    apiKeys: o.apiKeys === undefined ? undefined : Object.freeze([...o.apiKeys]),
  });
}

function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`Expected \`${name}\` to be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}
