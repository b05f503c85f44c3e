/**
 * `fr2en serve`: the translation service (src/serve/). Flags (and the environment) are resolved
 * and checked before anything starts; then the server listens at once (so /healthz and /readyz
 * answer while the model loads), the model is made sure of (downloaded if allowed, as translate
 * does) and loaded, and the translation routes open.
 *
 * Logs are JSON lines on stderr: server events and one access-log line per request.
 * SIGTERM or SIGINT: stop accepting, finish the requests in flight, close the workers, exit 0.
 * A second signal exits at once (130).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { resolveTranslatorOptions, type TranslatorConfig } from '../config.js';
import { Fr2enError, UsageError, errorMessage } from '../errors.js';
import { ensureModel, isLocalModelPath, localModelFolder } from '../models/index.js';
import { createServer, logEvent, readApiKeys, resolveServeOptions, SERVE_DEFAULTS, type ServeConfig } from '../serve/index.js';
import { Translator } from '../translator.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { createProgressReporter } from './progress-reporter.js';
import {
  hubOptions,
  hubSource,
  modelOptions,
  translatorOptions,
  translatorOptionsFrom,
  TRANSLATOR_FLAGS,
  type HubArgs,
  type ModelArgs,
  type TranslatorArgs,
} from './shared-options.js';

export interface ServeArgs extends ModelArgs, HubArgs, TranslatorArgs {
  host: string;
  port: number;
  apiKeys?: string;
  cors?: string[];
  maxChars: number;
  batchLimit: number;
  maxQueue: number;
  requestTimeout: number;
  receiveTimeout: number;
}

export function serveBuilder(yargs: Argv, io: CliIo): Argv<ServeArgs> {
  return translatorOptions(modelOptions(hubOptions(yargs, io.env), io.env))
    .usage(
      '$0 serve [options]\n\n' +
        'A local translation service: a LibreTranslate-compatible API (POST /translate, /detect; GET /languages), ' +
        "fr2en's own API (POST /v1/translate returns the aligned document), /healthz, /readyz, /metrics, and a web page at / " +
        'to paste or drop French text and read it side by side. Logs are JSON lines on stderr. ' +
        'SIGTERM stops accepting requests, finishes those in flight and exits 0.',
    )
    .options({
      host: { type: 'string', default: SERVE_DEFAULTS.host, describe: 'Address to listen on (0.0.0.0 exposes the service to the network)' },
      port: { type: 'number', default: SERVE_DEFAULTS.port, describe: 'Port to listen on (0: any free port)' },
      'api-keys': { type: 'string', describe: 'File of API keys, one per line (# comments); every translation request must then carry one' },
      cors: { type: 'string', array: true, describe: 'Origin allowed to call the API from a browser (repeatable; * for any) [default: none]' },
      'max-chars': { type: 'number', default: SERVE_DEFAULTS.maxChars, describe: 'Characters per request (all texts together); more is a 400' },
      'batch-limit': { type: 'number', default: SERVE_DEFAULTS.batchLimit, describe: 'Texts per request (items of a q array); more is a 400' },
      'max-queue': { type: 'number', default: SERVE_DEFAULTS.maxQueue, describe: 'Sentences admitted and not yet translated, over all requests; past it, 429 with Retry-After' },
      'request-timeout': { type: 'number', default: SERVE_DEFAULTS.requestTimeoutMs / 1000, describe: 'Seconds a request may take to translate; then 503 and its waiting sentences are dropped' },
      'receive-timeout': { type: 'number', default: SERVE_DEFAULTS.receiveTimeoutMs / 1000, describe: 'Seconds a client has to send its whole request (stops slow-loris clients)' },
    })
    .example('$0 serve', 'Serve on http://127.0.0.1:5000 with the default model')
    .example('$0 serve --port 8080 --api-keys keys.txt --cors https://newsroom.example', 'Keys required; one web origin may call it')
    .example("curl -s localhost:5000/translate -H 'Content-Type: application/json' -d '{\"q\":\"Bonjour\",\"source\":\"fr\",\"target\":\"en\"}'", 'Translate') as unknown as Argv<ServeArgs>;
}

const SERVE_FLAGS: Readonly<Record<string, string>> = {
  ...TRANSLATOR_FLAGS,
  host: '--host',
  port: '--port',
  maxChars: '--max-chars',
  batchLimit: '--batch-limit',
  maxQueue: '--max-queue',
  requestTimeoutMs: '--request-timeout',
  receiveTimeoutMs: '--receive-timeout',
  cors: '--cors',
  apiKeys: '--api-keys',
};

/** Both configurations, checked before anything starts; messages name the flags. */
export function resolveServeCli(args: ServeArgs, apiKeys: readonly string[] | undefined): { translator: TranslatorConfig; serve: ServeConfig } {
  try {
    const seconds = (flag: string, value: number) => {
      if (!(value > 0 && Number.isFinite(value))) throw new UsageError(`Expected \`${flag}\` to be a number of seconds > 0, got ${value}`);
      return Math.round(value * 1000);
    };
    const serve = resolveServeOptions({
      host: args.host,
      port: args.port,
      maxChars: args.maxChars,
      batchLimit: args.batchLimit,
      maxQueue: args.maxQueue,
      requestTimeoutMs: seconds('requestTimeoutMs', args.requestTimeout),
      receiveTimeoutMs: seconds('receiveTimeoutMs', args.receiveTimeout),
      cors: args.cors,
      apiKeys,
    });
    const translator = resolveTranslatorOptions(translatorOptionsFrom(args));
    if (isLocalModelPath(translator.model) && !existsSync(localModelFolder(translator.model))) {
      throw new UsageError(`--model ${translator.model}: no such folder (a local model is a folder with config.json, tokenizer.json and onnx/)`);
    }
    return { translator, serve };
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message.replace(/`([\w.-]+)`/g, (all, name: string) => SERVE_FLAGS[name] ?? all));
    throw error;
  }
}

export async function serveHandler(args: ServeArgs, io: CliIo): Promise<number> {
  // Checked before the key file is read, so a usage error never waits on I/O.
  resolveServeCli(args, undefined);
  const apiKeys = args.apiKeys === undefined ? undefined : await readApiKeys(path.resolve(io.cwd, args.apiKeys));
  const { translator: settings, serve } = resolveServeCli(args, apiKeys);
  const log = (line: string) => void io.stderr.write(line);
  const server = await createServer(serve, { log });
  const { app, service } = server;
  const stop = new StopSignal();
  let translator: Translator | undefined;
  try {
    const url = await listen(app, serve);
    logEvent(log, 'listening', { url, keys: apiKeys ? apiKeys.length : 0, cors: serve.cors });
    const started = performance.now();
    const loading = loadTranslator(settings, args, io);
    const first = await Promise.race([loading, stop.requested.then(() => undefined)]);
    if (first === undefined) {
      // Stopped while loading: nothing is in flight; close what is loading once it is there.
      loading.then((t) => t.close(), () => undefined).catch(() => undefined);
      await server.close();
      logEvent(log, 'stopped', { reason: 'signal before the model was loaded' });
      return ExitCode.ok;
    }
    translator = first;
    service.ready(translator);
    logEvent(log, 'ready', {
      model: settings.model,
      dtype: settings.dtype,
      backend: settings.backend.kind,
      workers: settings.workers,
      batchSize: settings.batchSize,
      loadMs: Math.round(performance.now() - started),
    });
    await stop.requested;
    logEvent(log, 'stopping', { admittedSentences: service.gauges().admitted });
    await server.close(); // stops accepting; resolves when the requests in flight are answered
    await translator.close();
    logEvent(log, 'stopped', {});
    return ExitCode.ok;
  } catch (error) {
    await server.close().catch(() => undefined);
    await translator?.close().catch(() => undefined);
    throw error;
  } finally {
    stop.dispose();
  }
}

async function listen(app: Awaited<ReturnType<typeof createServer>>['app'], serve: ServeConfig): Promise<string> {
  try {
    return await app.listen({ host: serve.host, port: serve.port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Fr2enError(`--port ${serve.port}: address already in use on ${serve.host}`);
    if (code === 'EACCES') throw new Fr2enError(`--port ${serve.port}: permission denied on ${serve.host} (ports below 1024 need privileges)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new Fr2enError(`--host ${serve.host}: no such address on this machine`);
    throw new Fr2enError(`cannot listen on ${serve.host}:${serve.port}: ${errorMessage(error)}`);
  }
}

/** The model made sure of (downloaded if missing and allowed, as translate does), then loaded in every worker. */
async function loadTranslator(settings: TranslatorConfig, args: ServeArgs, io: CliIo): Promise<Translator> {
  const download = io.stderr.isTTY ? createProgressReporter(io.stderr) : undefined;
  try {
    const model = await ensureModel({
      model: settings.model,
      dtype: settings.dtype,
      modelsDir: settings.modelsDir,
      ...hubSource(args, io.env),
      onProgress: download,
    });
    return await Translator.create(Object.freeze({ ...settings, modelPath: model.folder }));
  } finally {
    download?.stop();
  }
}

/** SIGTERM and SIGINT: the first asks to stop (gracefully), a second one exits at once. */
class StopSignal {
  readonly requested: Promise<void>;
  #resolve!: () => void;
  #count = 0;
  readonly #handler = () => {
    this.#count++;
    if (this.#count === 1) this.#resolve();
    else process.exit(ExitCode.interrupted);
  };

  constructor() {
    this.requested = new Promise((resolve) => (this.#resolve = resolve));
    process.on('SIGINT', this.#handler);
    process.on('SIGTERM', this.#handler);
  }

  dispose(): void {
    process.off('SIGINT', this.#handler);
    process.off('SIGTERM', this.#handler);
  }
}
