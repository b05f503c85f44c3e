/**
 * The access log: one JSON line per request on the given sink (the CLI's stderr), written when
 * the response is done or the client went away (status 499, as nginx logs it). It records what
 * kind of request it was and how it went: method, path without its query string (an `api_key`
 * may ride there), status, time, sizes and counts. Never text, never a key. The same moment
 * feeds the metrics.
 */
import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.js';
import { notesOf } from './request-notes.js';

export type LogSink = (line: string) => void;

/** A server event (listening, ready, stopping) as one JSON line. */
export function logEvent(sink: LogSink, event: string, fields: Record<string, unknown> = {}): void {
  sink(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
}

export const CLIENT_CLOSED_STATUS = 499;

export function registerAccessLog(app: FastifyInstance, sink: LogSink, metrics: Metrics): void {
  app.addHook('onRequest', async (request, reply) => {
    const started = performance.now();
    // 'close' comes once per response: after the last byte, or when the connection drops first.
    reply.raw.once('close', () => {
      const status = reply.raw.writableFinished ? reply.statusCode : CLIENT_CLOSED_STATUS;
      const ms = performance.now() - started;
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.request(route, request.method, status, ms / 1000);
      const length = reply.getHeader('content-length');
      const line = {
        time: new Date().toISOString(),
        event: 'request',
        id: request.id,
        ip: request.ip,
        method: request.method,
        path: request.url.split('?')[0].slice(0, 200),
        route,
        status,
        ms: Math.round(ms * 10) / 10,
        bytesIn: request.headers['content-length'] === undefined ? undefined : Number(request.headers['content-length']),
        bytesOut: length === undefined ? undefined : Number(length),
        ...notesOf(request),
      };
      sink(`${JSON.stringify(line)}\n`);
    });
  });
}
