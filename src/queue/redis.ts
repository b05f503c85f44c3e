/**
 * Connections to Redis, for both sides. A connection reconnects by itself (a Redis restart costs
 * about a second); each side decides for itself when an outage is too long: a coordinator stops
 * the run, a worker waits (see backend.ts and worker.ts). Every client gets an error listener, so
 * ioredis never prints "Unhandled error event" on its own.
 */
import { Redis } from 'ioredis';
import { errorMessage } from '../errors.js';

/** The longest pause between two reconnection attempts, ms. */
const MAX_RECONNECT_DELAY_MS = 2000;

/**
 * A client for `url` (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS). BullMQ
 * duplicates it for its blocking commands (a worker's fetch, the queue events' XREAD).
 */
export function openRedis(url: string, onError: (error: Error) => void = () => undefined): Redis {
  const client = new Redis(url, {
    // BullMQ requires this on connections that block: a command waits for the next connection
    // instead of failing after a few tries. The sides' own watchdogs bound the wait.
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(100 * attempt, MAX_RECONNECT_DELAY_MS),
    connectTimeout: 5000,
    // A socket to a Redis that went away is destroyed after this, instead of keeping the process alive 2 s.
    disconnectTimeout: 200,
  });
  client.on('error', onError);
  return client;
}

/** `url` without its password, for messages and logs. */
export function redactUrl(url: string): string {
  const parsed = URL.parse(url);
  if (parsed === null || parsed.password === '') return url;
  parsed.password = '***';
  return parsed.href;
}

/** A connection error as one short phrase (`connect ECONNREFUSED 127.0.0.1:6379`). */
export function describeRedisError(error: unknown): string {
  const aggregate = error as { errors?: unknown[] };
  // Node reports a refused dual-stack connection as an AggregateError with an empty message.
  if (Array.isArray(aggregate.errors) && aggregate.errors.length > 0 && errorMessage(error) === '') return describeRedisError(aggregate.errors[0]);
  return errorMessage(error).split('\n')[0] || (error as { code?: string }).code || 'connection failed';
}

/** Resolves with `work`'s value, or rejects after `ms` (commands wait while Redis is away). */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from Redis within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
