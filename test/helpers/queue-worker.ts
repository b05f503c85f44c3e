/**
 * `fr2en worker` child processes for the queue tests, run as a user runs them (the CLI, real
 * signals), on the generated tiny model.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { TINY_MODEL_DIR } from './models.js';

export const CLI = path.resolve('src/cli/main.ts');

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  /** Everything it wrote on stderr so far. */
  log(): string;
  /** Resolves when its log matches `pattern`. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Its pool's model processes (children of the worker process). */
  poolPids(): number[];
  signal(signal: NodeJS.Signals): void;
}

/** Starts `fr2en worker` on the tiny model (fp32 unless told, one pool process) and waits until it serves. */
export async function startWorker(url: string, name: string, dtype: 'fp32' | 'q8' = 'fp32'): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'worker', '--redis', url, '--model', TINY_MODEL_DIR, '--dtype', dtype, '--workers', '1', '--name', name],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let text = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const worker: WorkerProcess = {
    name,
    child,
    log: () => text,
    waitForLog(pattern, timeoutMs = 30_000) {
      if (pattern.test(text)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker ${name}: no ${pattern} in its log within ${timeoutMs} ms:\n${text}`)), timeoutMs);
        waiters.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
        void exited.then(({ code, signal }) => reject(new Error(`worker ${name} exited (${signal ?? code}) before ${pattern}:\n${text}`)));
      });
    },
    exited,
    poolPids() {
      try {
        return execFileSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
      } catch {
        return []; // pgrep exits 1 when there is none
      }
    },
    signal(signal) {
      child.kill(signal);
    },
  };
  await worker.waitForLog(/ serving /);
  return worker;
}

/** Stops a worker's model processes (SIGSTOP): a batch it takes then stays in its hands. */
export function freezePool(worker: WorkerProcess): number[] {
  const pids = worker.poolPids();
  if (pids.length === 0) throw new Error(`worker ${worker.name} has no pool process`);
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  return pids;
}

export function thawPool(pids: readonly number[], signal: NodeJS.Signals = 'SIGCONT'): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
