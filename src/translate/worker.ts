/**
 * A translation worker process: loads one model's encoder/decoder sessions once, then decodes
 * batches of token ids into token ids. The tokenizer stays in the main process (see
 * model-tokenizer.ts). Started by the pool (pool.ts) through workerpool, with its WorkerInit as
 * the last command-line argument.
 *
 * Why a process and not a thread: a batch stuck past its timeout must be stopped, and ending a
 * thread while ONNX Runtime is inside a call aborts the whole process (onnxruntime-node's
 * completion callback finds its thread gone). A child process can be killed at any time, and a
 * model that crashes ONNX Runtime takes only its own worker down.
 */
import { openSync, closeSync } from 'node:fs';
import workerpool from 'workerpool';
import { errorMessage } from '../errors.js';
import { decodeBatch } from './search/decode-batch.js';
import { openMarianSessions } from './sessions.js';
import type { SearchConfig } from './search/options.js';
import { searchConfig, type ModelConfigs } from './search-settings.js';
import { BATCH_STARTED, type DecodeSettings, type TranslateReply, type TranslateRequest, type WorkerInit } from './protocol.js';

const init = JSON.parse(process.argv.at(-1) ?? '{}') as WorkerInit;

// Ctrl-C reaches every process of the terminal's group; the main process decides what stops
// (running batches finish), so a worker ignores it. Workers end when the pool kills them or the
// main process goes away (workerpool exits on IPC disconnect).
process.on('SIGINT', () => undefined);

// A load failure is kept and reported with every request instead of ending the process, which
// would make the pool start another one to fail the same way.
const loaded = await openMarianSessions(init.modelPath, init.dtype, init.threads).then(
  (model) => ({ ok: true as const, model }),
  (error: unknown) => ({ ok: false as const, message: errorMessage(error) }),
);

const searchConfigs = new Map<string, SearchConfig>();

/** A run sends the same settings with every batch: resolve them against the model once. */
function configFor(decode: DecodeSettings, model: ModelConfigs): SearchConfig {
  const key = JSON.stringify(decode);
  let config = searchConfigs.get(key);
  if (config === undefined) searchConfigs.set(key, (config = searchConfig(model, decode)));
  return config;
}

/** Whether this worker takes the injected fault behind `file` (the first to create it does). */
function takesFault(file: string | undefined): boolean {
  if (file === undefined) return false;
  try {
    closeSync(openSync(file, 'wx'));
    return true;
  } catch {
    return false;
  }
}

async function translate(request: TranslateRequest): Promise<TranslateReply> {
  if (!loaded.ok) return { ok: false, error: { kind: 'load', message: loaded.message } };
  workerpool.workerEmit(BATCH_STARTED);
  if (takesFault(init.faults?.crashOnceFile)) process.kill(process.pid, 'SIGKILL');
  if (takesFault(init.faults?.hangOnceFile)) return new Promise<never>(() => undefined);
  try {
    const results = await decodeBatch(loaded.model, request.batch, configFor(request.decode, loaded.model));
    // The batch's buffers (the cross-attention cache: megabytes) are garbage now; collecting them
    // here, between batches, keeps a worker's memory at what one batch needs (the pool starts
    // workers with --expose-gc).
    (globalThis as { gc?: () => void }).gc?.();
    return { ok: true, rows: results.map((r) => ({ tokens: [...r.tokens], logprob: r.modelLogprob, truncated: r.truncated })) };
  } catch (error) {
    return { ok: false, error: { kind: 'translate', message: errorMessage(error) } };
  }
}

function ping(): TranslateReply {
  return loaded.ok ? { ok: true, rows: [] } : { ok: false, error: { kind: 'load', message: loaded.message } };
}

// Registering only now makes workerpool send "ready" once the model is loaded, so no batch is
// handed to a worker that is still loading.
workerpool.worker({ translate, ping });
