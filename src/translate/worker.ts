/**
 * A translation worker thread: loads one model's encoder/decoder sessions once, then decodes
 * batches of token ids into token ids. The tokenizer stays on the main thread (see
 * model-tokenizer.ts). Each thread has its own copy of transformers.js' `env`.
 */
import { AutoModelForSeq2SeqLM } from '@huggingface/transformers';
import { workerData } from 'piscina';
import { decodeTokens, type SearchConfig } from './decode/index.js';
import { searchConfig } from './decode-settings.js';
import type { TranslateReply, WorkerInit, WorkerRequest } from './protocol.js';
import { configureTransformers } from './transformers-env.js';
import { errorMessage } from '../errors.js';

const init = workerData as WorkerInit;

async function load() {
  configureTransformers();
  // Spinning off: between two decoder steps this thread runs JavaScript (argmax, cache
  // bookkeeping); intra-op threads spinning meanwhile would take the cores it needs (+24% measured
  // with 2 intra-op threads; moot with the default 1).
  const session_options = {
    intraOpNumThreads: init.threads,
    interOpNumThreads: 1,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  return AutoModelForSeq2SeqLM.from_pretrained(init.modelPath, { dtype: init.dtype, session_options, local_files_only: true });
}

// Started at import so the model loads while the pool spins up; a failure is kept and reported
// with every request instead of crashing the thread, which would make the pool respawn it forever.
const loading = load().then(
  (model) => ({ ok: true as const, model }),
  (error: unknown) => ({ ok: false as const, message: errorMessage(error) }),
);

const searchConfigs = new Map<string, SearchConfig>();

export default async function handle(request: WorkerRequest): Promise<TranslateReply> {
  const loaded = await loading;
  if (!loaded.ok) return { ok: false, error: { kind: 'load', message: loaded.message } };
  if (request.kind === 'ping') return { ok: true, tokens: [] };
  if (init.faults?.crashOnce && Atomics.compareExchange(new Int32Array(init.faults.crashOnce), 0, 0, 1) === 0) {
    // An uncaught error kills this thread with the batch in hand. (It is thrown before any ONNX
    // Runtime call: onnxruntime-node aborts the whole process if a thread dies mid-run.)
    setImmediate(() => {
      throw new Error('injected worker crash');
    });
    return new Promise<never>(() => undefined);
  }
  try {
    // A run sends the same settings with every batch: resolve them against the model once.
    const key = JSON.stringify(request.decode);
    let config = searchConfigs.get(key);
    if (config === undefined) searchConfigs.set(key, (config = searchConfig(loaded.model, request.decode)));
    const results = await decodeTokens(loaded.model, request.batch, config);
    return { ok: true, tokens: results.map((result) => result.tokens) };
  } catch (error) {
    return { ok: false, error: { kind: 'translate', message: errorMessage(error) } };
  }
}
