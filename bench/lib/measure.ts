/** Peak-memory sampling and output hashing shared by the runners. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Samples the RSS of this process and every process under it (fr2en's workers are child
 * processes; worker threads share their process, so this covers both) and keeps the peak of the
 * sum. This process's own maxRSS, the kernel's high-water mark, is a floor for the peak when
 * there are no children.
 */
export class PeakRss {
  #peak = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(intervalMs = 50) {
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  sample(): void {
    this.#peak = Math.max(this.#peak, treeRss(process.pid));
  }

  /** Stops sampling; the peak in MiB. */
  stop(): number {
    clearInterval(this.#timer);
    this.sample();
    // maxRSS is in kilobytes.
    return Math.max(this.#peak, process.resourceUsage().maxRSS * 1024) / 2 ** 20;
  }
}

const PAGE_BYTES = 4096;

/** RSS in bytes of `pid` and its descendants, from /proc (0 where /proc is unavailable). */
function treeRss(pid: number): number {
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    let total = pages * PAGE_BYTES;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (children) for (const child of children.split(' ')) total += treeRss(Number(child));
    }
    return total;
  } catch {
    return pid === process.pid ? process.memoryUsage().rss : 0; // a child that just exited
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
