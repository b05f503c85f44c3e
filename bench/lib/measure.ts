/** Peak-memory sampling and output hashing shared by the runners. */
import { createHash } from 'node:crypto';

/**
 * Samples the process RSS (worker threads share the process, so this covers them) and keeps the
 * peak; getrusage's maxRSS is the kernel's own high-water mark, which catches spikes between
 * samples. The larger of the two is reported.
 */
export class PeakRss {
  #peak = process.memoryUsage().rss;
  readonly #timer: NodeJS.Timeout;

  constructor(intervalMs = 50) {
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  sample(): void {
    this.#peak = Math.max(this.#peak, process.memoryUsage().rss);
  }

  /** Stops sampling; the peak in MiB. */
  stop(): number {
    clearInterval(this.#timer);
    this.sample();
    // maxRSS is in kilobytes.
    return Math.max(this.#peak, process.resourceUsage().maxRSS * 1024) / 2 ** 20;
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
