/**
 * `fr2en worker --redis URL`: a translation worker for coordinators on other machines
 * (`fr2en translate --redis URL`). Makes sure the model is here (as translate does), starts a
 * local pool, and takes batches from the model's queue until SIGTERM or SIGINT. Logs one line
 * per event on stderr. The first signal stops cleanly (no new batch, running ones finished, exit
 * 0); a second one puts the running batches back in the queue for another worker and exits 0.
 */
import type { Argv } from 'yargs';
import { DEFAULTS, defaultWorkers, resolveTranslatorOptions } from '../config.js';
import { UsageError } from '../errors.js';
import { checkOnnxFiles, ensureModel } from '../models/index.js';
import { queueModel } from '../queue/model.js';
import { describeModel } from '../queue/protocol.js';
import { QueueWorker } from '../queue/worker.js';
import { loadModelTokenizer } from '../translate/model-tokenizer.js';
import { TranslationPool } from '../translate/pool.js';
import { ExitCode } from './exit-codes.js';
import { printable, type CliIo } from './io.js';
import { createProgressReporter } from './progress-reporter.js';
import { hubOptions, hubSource, modelOptions, type HubArgs, type ModelArgs } from './shared-options.js';

export interface WorkerArgs extends ModelArgs, HubArgs {
  redis: string;
  workers?: number;
  threads: number;
  timeout: number;
  name?: string;
}

export function workerBuilder(yargs: Argv, io: CliIo): Argv<WorkerArgs> {
  return modelOptions(hubOptions(yargs, io.env), io.env)
    .usage(
      '$0 worker --redis URL [options]\n\n' +
        'Translate batches for `fr2en translate --redis URL` runs on other machines. Start one worker per machine ' +
        '(it runs --workers batches at once); every machine, the coordinator included, needs the same model files ' +
        '(`fr2en models download`, or copy models/) and the same --model and --dtype: a worker only takes batches ' +
        'for the model it holds. Redis only passes batches: no file, no translation memory.\n\n' +
        'Stops cleanly on SIGTERM or Ctrl-C: takes no new batch, finishes the running ones, exits 0; ' +
        'a second signal puts the running batches back in the queue for another worker.',
    )
    .options({
      redis: {
        type: 'string',
        demandOption: true,
        describe: 'Redis the coordinators use: redis://[user:password@]host:6379[/db], rediss:// for TLS',
      },
      workers: {
        type: 'number',
        describe: `Worker processes, each with a copy of the model (about 300 MB in q8): batches run at once [default: one per core as free memory allows; here ${defaultWorkers(DEFAULTS.dtype)}]`,
      },
      threads: { type: 'number', default: DEFAULTS.threads, describe: 'ONNX Runtime intra-op threads per worker process' },
      timeout: { type: 'number', default: DEFAULTS.taskTimeoutMs / 1000, describe: 'Seconds a batch may run before it is stopped and failed (the coordinator retries it)' },
      name: { type: 'string', describe: 'Name in logs and in Redis [default: <host>-<pid>]' },
    })
    .group(['redis', 'workers', 'threads', 'timeout', 'name'], 'Worker:')
    .group(['model', 'models-dir', 'dtype', 'offline', 'hub-url'], 'Model (the same as the coordinator\'s):')
    .example('$0 worker --redis redis://10.0.0.5:6379', 'Serve the default model (q8) to coordinators using that Redis')
    .example('$0 worker --redis redis://10.0.0.5:6379 --offline --dtype fp32 --workers 4', 'Full precision, 4 batches at once, model already in ./models')
    .example('$0 translate corpus/ -o out --redis redis://10.0.0.5:6379', 'On the coordinating machine: a local run plus --redis')
    .epilog(
      'Three machines: on A, run Redis (redis-server --bind 0.0.0.0 --protected-mode no, on a private network, ' +
        'or a managed Redis with a password in the URL); on B and C, `fr2en models download` then ' +
        '`fr2en worker --redis redis://A:6379`; on the coordinator (A, B, C or a fourth), the model too, then ' +
        '`fr2en translate corpus/ -o out --redis redis://A:6379`. Outputs and the translation memory stay on the ' +
        'coordinator; a worker killed mid-batch loses nothing (its batch goes to another worker within seconds). ' +
        'Exit codes: 0 stopped on a signal, 1 the model could not be loaded, 2 usage error, 130 interrupted while loading.',
    ) as unknown as Argv<WorkerArgs>;
}

export async function workerHandler(args: WorkerArgs, io: CliIo): Promise<number> {
  if (!(args.timeout > 0 && Number.isFinite(args.timeout))) throw new UsageError(`Expected \`--timeout\` to be a number of seconds > 0, got ${args.timeout}`);
  const settings = resolveSettings(args);
  const log = (line: string) => io.stderr.write(`${new Date().toISOString()} ${printable(line)}\n`);
  const signals = new Signals();
  try {
    const download = createProgressReporter(io.stderr);
    const resolved = await ensureModel({
      model: settings.model,
      dtype: settings.dtype,
      modelsDir: settings.modelsDir,
      ...hubSource(args, io.env),
      onProgress: download,
    }).finally(() => download.stop());
    await checkOnnxFiles(resolved.folder, settings.dtype);
    const model = await queueModel(settings.model, resolved.folder, settings.dtype);
    const worker = QueueWorker.connect({ url: redisUrl(settings), model, slots: settings.workers, name: args.name, log });
    log(`loading ${describeModel(model)}: ${settings.workers} process${settings.workers === 1 ? '' : 'es'} x ${settings.threads} thread${settings.threads === 1 ? '' : 's'}`);
    let pool: TranslationPool;
    try {
      pool = await TranslationPool.start({
        modelPath: resolved.folder,
        dtype: settings.dtype,
        threads: settings.threads,
        workers: settings.workers,
        taskTimeoutMs: settings.taskTimeoutMs,
        tokenizer: await loadModelTokenizer(resolved.folder),
      });
    } catch (error) {
      await worker.stop();
      throw error;
    }
    worker.serve(pool);
    signals.serving = true;
    await signals.first;
    log('stopping: taking no new batch (a second signal puts running batches back in the queue)');
    signals.onSecond(async () => {
      await worker.release();
      // A model process stuck in a call may not die at once; the batches are back in the queue,
      // so do not wait long for it (it exits when it finds this process gone).
      await Promise.race([pool.destroy(), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      log('stopped');
      process.exit(ExitCode.ok);
    });
    await worker.stop();
    await pool.close();
    const { jobs, failed, sentences, tokens, busyMs } = worker.totals;
    log(`stopped after ${jobs} batch${jobs === 1 ? '' : 'es'} (${failed} failed), ${sentences} sentences, ${tokens} tokens` +
      (busyMs > 0 ? `, ${Math.round((tokens * 1000) / busyMs)} tokens/s per batch` : ''));
    // The worker owns its process. With Redis unreachable, BullMQ's retry timers can outlive the
    // stop; they must not keep a stopped worker alive (an unref'd timer fires only if they do).
    setTimeout(() => process.exit(ExitCode.ok), 1000).unref();
    return ExitCode.ok;
  } finally {
    signals.dispose();
  }
}

/** The settings a worker shares with translate, checked by the same rules. */
function resolveSettings(args: WorkerArgs) {
  try {
    return resolveTranslatorOptions({
      model: args.model,
      modelsDir: args.modelsDir,
      dtype: args.dtype,
      workers: args.workers,
      threads: args.threads,
      taskTimeoutMs: Math.max(1, Math.round(args.timeout * 1000)),
      redis: args.redis,
    });
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message.replace(/`(\w+)`/g, (_, name: string) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`));
    throw error;
  }
}

function redisUrl(settings: ReturnType<typeof resolveTranslatorOptions>): string {
  if (settings.backend.kind !== 'redis') throw new UsageError('fr2en worker needs --redis URL');
  return settings.backend.url;
}

/**
 * SIGINT and SIGTERM. While the model loads there is nothing to finish: exit 130 at once. Once
 * serving, the first asks to stop, a second one to stop at once.
 */
class Signals {
  received = false;
  serving = false;
  readonly first: Promise<void>;
  #resolveFirst!: () => void;
  #second: (() => Promise<void>) | undefined;
  readonly #handler = () => {
    if (!this.serving) process.exit(ExitCode.interrupted);
    if (!this.received) {
      this.received = true;
      this.#resolveFirst();
    } else {
      void this.#second?.();
    }
  };

  constructor() {
    this.first = new Promise((resolve) => (this.#resolveFirst = resolve));
    process.on('SIGINT', this.#handler);
    process.on('SIGTERM', this.#handler);
  }

  onSecond(action: () => Promise<void>): void {
    this.#second = action;
  }

  dispose(): void {
    process.off('SIGINT', this.#handler);
    process.off('SIGTERM', this.#handler);
  }
}
