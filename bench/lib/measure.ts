/** Peak-memory sampling, output hashing and the small number helpers shared by the runners and scripts. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Samples a per-process memory figure of this process and every process under it (fr2en's
 * workers are child processes; worker threads share their process, so this covers both) and
 * keeps the peak of the sum.
 */
class PeakTreeMemory {
  #peak = 0;
  readonly #timer: NodeJS.Timeout;
  readonly #read: (pid: number) => number;

  constructor(read: (pid: number) => number, intervalMs: number) {
    this.#read = read;
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  sample(): void {
    this.#peak = Math.max(this.#peak, treeSum(process.pid, this.#read));
  }

  /** Stops sampling; the peak in MiB. */
  stop(): number {
    clearInterval(this.#timer);
    this.sample();
    return this.#peak / 2 ** 20;
  }
}

/**
 * Peak RSS of the process tree. RSS counts a page shared by several processes (the Node binary,
 * libonnxruntime, the model's mapped weights) once in each. This process's own maxRSS, the
 * kernel's high-water mark, is a floor for the peak when there are no children.
 */
export class PeakRss extends PeakTreeMemory {
  constructor(intervalMs = 50) {
    super(rssBytes, intervalMs);
  }

  override stop(): number {
    // maxRSS is in kilobytes.
    return Math.max(super.stop(), (process.resourceUsage().maxRSS * 1024) / 2 ** 20);
  }
}

/**
 * Peak proportional set size of the process tree: a page shared by n processes counts 1/n in
 * each, so the sum is the memory the tree really holds. The kernel walks every mapping to report
 * it (about 7 ms per worker here), so it is sampled less often than RSS and slows the row a little.
 */
export class PeakPss extends PeakTreeMemory {
  constructor(intervalMs = 250) {
    super(pssBytes, intervalMs);
  }
}

const PAGE_BYTES = 4096;

function rssBytes(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES;
}

function pssBytes(pid: number): number {
  const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

/** `read(pid)` summed over `pid` and its descendants, from /proc (0 where /proc is unavailable). */
function treeSum(pid: number, read: (pid: number) => number): number {
  try {
    let total = read(pid);
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (children) for (const child of children.split(' ')) total += treeSum(Number(child), read);
    }
    return total;
  } catch {
    return 0; // a child that just exited (or no /proc: PeakRss falls back on maxRSS)
  }
}

export function hashTexts(texts: readonly string[]): string {
  const hash = createHash('sha1');
  for (const text of texts) hash.update(text).update('\u0000');
  return hash.digest('hex').slice(0, 16);
}

export function since(start: number): number {
  return performance.now() - start;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A value from a result's `extra`, when it is a number. */
export function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}
