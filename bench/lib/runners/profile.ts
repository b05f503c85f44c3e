/**
 * Where a worker's time goes: the workload decoded as one fr2en worker decodes it (the prepared q8
 * graph, one thread, batch 16, greedy with the default guard, forced length), with ONNX Runtime's
 * profiler on. The time is split into JavaScript (search, cache, tensors), ONNX Runtime's own
 * work around the kernels in each run, and the kernels by kind. Profiling slows each kernel a
 * little; the shares are what the row is for, not its speed.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { prepareModel } from '../../../src/models/prepare.js';
import type { OrtSessionLike } from '../../../src/translate/search/marian-decoder.js';
import { openMarianSessions } from '../../../src/translate/sessions.js';
import { since } from '../measure.js';
import type { ProfileConfig } from '../types.js';
import type { Workload } from '../workload.js';
import type { Measured } from './measured.js';
import { decodeWorkload, oneThreadResult, workloadInputs } from './one-worker.js';

/** Kernel kinds, by ONNX Runtime op type (after its own fusions). The output projection is told apart by its output width. */
const KINDS: Record<string, string> = {
  DynamicQuantizeMatMul: 'int8 matrix products',
  MatMulIntegerToFloat: 'int8 matrix products',
  MatMulInteger: 'int8 matrix products',
  DynamicQuantizeLinear: 'int8 matrix products',
  FusedMatMul: 'attention (fp32 products, softmax)',
  MatMul: 'attention (fp32 products, softmax)',
  Softmax: 'attention (fp32 products, softmax)',
  LogSoftmax: 'token selection (log-softmax, top-k)',
  TopK: 'token selection (log-softmax, top-k)',
  GatherElements: 'token selection (log-softmax, top-k)',
  Transpose: 'moving data (transpose, reshape, concat, copy)',
  Reshape: 'moving data (transpose, reshape, concat, copy)',
  Concat: 'moving data (transpose, reshape, concat, copy)',
  Identity: 'moving data (transpose, reshape, concat, copy)',
  Unsqueeze: 'moving data (transpose, reshape, concat, copy)',
  Gather: 'moving data (transpose, reshape, concat, copy)',
};
const OUTPUT_PROJECTION = 'output projection (int8, 59,514 columns)';
const OTHER = 'norms, adds, activations, shapes';

interface ProfileEvent {
  cat?: string;
  name: string;
  dur: number;
  args?: { op_name?: string; output_type_shape?: Record<string, number[]>[] };
}

/** Kernel time by kind and the sessions' whole run time, from one ONNX Runtime profile file. */
function summarize(events: readonly ProfileEvent[], vocabSize: number): { kernels: Map<string, number>; runUs: number } {
  const kernels = new Map<string, number>();
  let runUs = 0;
  for (const event of events) {
    if (event.cat === 'Session' && event.name === 'model_run') runUs += event.dur;
    if (event.cat !== 'Node' || !event.name.endsWith('_kernel_time')) continue;
    const op = event.args?.op_name ?? '?';
    // An If node's time is its branch's nodes, which are listed themselves.
    if (op === 'If') continue;
    const width = event.args?.output_type_shape?.[0] && Object.values(event.args.output_type_shape[0])[0]?.at(-1);
    const kind = KINDS[op] === 'int8 matrix products' && width === vocabSize ? OUTPUT_PROJECTION : (KINDS[op] ?? OTHER);
    kernels.set(kind, (kernels.get(kind) ?? 0) + event.dur);
  }
  return { kernels, runUs };
}

/** A session that adds the time of each run to `total.ms`. */
function timed(session: OrtSessionLike, total: { ms: number }): OrtSessionLike {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    inputMetadata: session.inputMetadata,
    run: async (feeds, fetches) => {
      const start = performance.now();
      try {
        return await session.run(feeds, fetches);
      } finally {
        total.ms += since(start);
      }
    },
  };
}

export async function runProfile(spec: ProfileConfig, modelDir: string, workload: Workload): Promise<Measured> {
  const loadStart = performance.now();
  const inputs = await workloadInputs(modelDir, workload);
  const { folder } = await prepareModel(modelDir, spec.dtype);
  const profileDir = await mkdtemp(path.join(os.tmpdir(), 'fr2en-profile-'));
  const model = await openMarianSessions(folder, spec.dtype, 1, { enableProfiling: true, profileFilePrefix: path.join(profileDir, 'ort') });
  const loadMs = since(loadStart);
  try {
    const encoderTime = { ms: 0 };
    const decoderTime = { ms: 0 };
    const sessions = { ...model, encoder: timed(model.encoder, encoderTime), decoder: timed(model.decoder, decoderTime) };
    const runStart = performance.now();
    await decodeWorkload(sessions, inputs);
    const runMs = since(runStart);
    await model.endProfiling();

    // The decoder's profile is the file whose graph selects tokens; the encoder's is counted whole.
    const vocabSize = (model.config as { vocab_size: number }).vocab_size;
    let decoder: ReturnType<typeof summarize> | undefined;
    for (const file of await readdir(profileDir)) {
      const events = JSON.parse(await readFile(path.join(profileDir, file), 'utf8')) as ProfileEvent[];
      if (events.some((event) => event.args?.op_name === 'TopK')) decoder = summarize(events, vocabSize);
    }
    if (decoder === undefined) throw new Error(`No decoder profile in ${profileDir}`);
    const kernelMs = [...decoder.kernels.values()].reduce((a, b) => a + b, 0) / 1000;
    // Shares of the wall time. ONNX Runtime's work around the kernels: its run time less its kernels'.
    const shares: Record<string, number> = {
      JavaScript: (runMs - encoderTime.ms - decoderTime.ms) / runMs,
      'encoder (once per batch)': encoderTime.ms / runMs,
      // What a run costs between JavaScript and ONNX Runtime: tensors in and results copied out.
      'decoder: onnxruntime-node binding': (decoderTime.ms - decoder.runUs / 1000) / runMs,
      'decoder: ONNX Runtime around the kernels': (decoder.runUs / 1000 - kernelMs) / runMs,
    };
    for (const [kind, us] of [...decoder.kernels].sort((a, b) => b[1] - a[1])) shares[`decoder: ${kind}`] = us / 1000 / runMs;
    return oneThreadResult(workload, loadMs, runMs, { shares, encoderMs: encoderTime.ms, decoderMs: decoderTime.ms, dtype: spec.dtype });
  } finally {
    await model.release();
    await rm(profileDir, { recursive: true, force: true });
  }
}
