/**
 * Prometheus metrics in the text exposition format (version 0.0.4), written by hand: a handful
 * of counters, gauges and one histogram do not justify a dependency.
 *
 * Labels are bounded: routes are the registered route patterns (`unmatched` for everything
 * else), methods and statuses are what HTTP allows. No text, key or client address is a label.
 */
import type { ProgressEvent } from '../translate/scheduler.js';

/** Latency buckets in seconds: from a cached short text to a long article on a busy machine. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] as const;

/** Seconds of history behind the tokens/s and sentences/s gauges. */
const RATE_WINDOW_S = 60;

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export interface Gauges {
  /** Sentences waiting for a batch (the Translator's queue). */
  waiting: number;
  /** Batches running now. */
  running: number;
  /** Sentences admitted by the service and not yet finished. */
  admitted: number;
  ready: boolean;
}

export class Metrics {
  readonly #requests = new Map<string, number>();
  readonly #latency = new Map<string, Histogram>();
  readonly #sentences = { translated: 0, cached: 0, failed: 0 };
  #targetTokens = 0;
  /** Per-second buckets of [sentences, tokens] for the rate gauges. */
  readonly #recent = new Map<number, [number, number]>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  request(route: string, method: string, status: number, seconds: number): void {
    const key = labels({ route, method, status: String(status) });
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    const routeKey = labels({ route });
    let histogram = this.#latency.get(routeKey);
    if (!histogram) this.#latency.set(routeKey, (histogram = { counts: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 }));
    LATENCY_BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) histogram.counts[i]++;
    });
    histogram.sum += seconds;
    histogram.count++;
  }

  translated(event: ProgressEvent): void {
    this.#sentences.translated += event.translated;
    this.#sentences.cached += event.cached;
    this.#sentences.failed += event.failed;
    this.#targetTokens += event.targetTokens;
    const second = Math.floor(this.#now() / 1000);
    const bucket = this.#recent.get(second) ?? [0, 0];
    bucket[0] += event.translated;
    bucket[1] += event.targetTokens;
    this.#recent.set(second, bucket);
    this.#prune(second);
  }

  /** Sentences and target tokens per second over the last minute (0 when idle). */
  rates(): { sentences: number; tokens: number } {
    const second = Math.floor(this.#now() / 1000);
    this.#prune(second);
    let sentences = 0;
    let tokens = 0;
    for (const [s, t] of this.#recent.values()) {
      sentences += s;
      tokens += t;
    }
    return { sentences: sentences / RATE_WINDOW_S, tokens: tokens / RATE_WINDOW_S };
  }

  #prune(second: number): void {
    for (const key of this.#recent.keys()) if (key <= second - RATE_WINDOW_S) this.#recent.delete(key);
  }

  render(gauges: Gauges): string {
    const lines: string[] = [];
    const family = (name: string, type: string, help: string, samples: Array<[string, number]>) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labelText, value] of samples) lines.push(`${name}${labelText} ${formatValue(value)}`);
    };
    family('fr2en_http_requests_total', 'counter', 'HTTP requests answered, by route, method and status.', [...this.#requests]);
    lines.push(
      '# HELP fr2en_http_request_duration_seconds Time from receiving a request to the end of its response, by route.',
      '# TYPE fr2en_http_request_duration_seconds histogram',
    );
    for (const [routeLabels, histogram] of this.#latency) {
      const inner = routeLabels.slice(1, -1);
      LATENCY_BUCKETS.forEach((bound, i) => lines.push(`fr2en_http_request_duration_seconds_bucket{${inner},le="${bound}"} ${histogram.counts[i]}`));
      lines.push(`fr2en_http_request_duration_seconds_bucket{${inner},le="+Inf"} ${histogram.count}`);
      lines.push(`fr2en_http_request_duration_seconds_sum{${inner}} ${formatValue(histogram.sum)}`);
      lines.push(`fr2en_http_request_duration_seconds_count{${inner}} ${histogram.count}`);
    }
    family('fr2en_sentences_total', 'counter', 'Sentences (or pieces of long ones) answered: by the model, from the cache, or failed.', [
      [labels({ outcome: 'translated' }), this.#sentences.translated],
      [labels({ outcome: 'cached' }), this.#sentences.cached],
      [labels({ outcome: 'failed' }), this.#sentences.failed],
    ]);
    family('fr2en_target_tokens_total', 'counter', 'Tokens the model generated.', [['', this.#targetTokens]]);
    const rates = this.rates();
    family('fr2en_tokens_per_second', 'gauge', `Tokens generated per second over the last ${RATE_WINDOW_S} s.`, [['', rates.tokens]]);
    family('fr2en_sentences_per_second', 'gauge', `Sentences translated per second over the last ${RATE_WINDOW_S} s.`, [['', rates.sentences]]);
    family('fr2en_queue_waiting_sentences', 'gauge', 'Sentences waiting for a batch in the shared queue.', [['', gauges.waiting]]);
    family('fr2en_queue_running_batches', 'gauge', 'Batches running on the model now.', [['', gauges.running]]);
    family('fr2en_admitted_sentences', 'gauge', 'Sentences of admitted requests not finished yet (bounded by --max-queue).', [['', gauges.admitted]]);
    family('fr2en_ready', 'gauge', '1 once the model is loaded.', [['', gauges.ready ? 1 : 0]]);
    return `${lines.join('\n')}\n`;
  }
}

function labels(values: Record<string, string>): string {
  const inner = Object.entries(values)
    .map(([name, value]) => `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
  return `{${inner}}`;
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e6) / 1e6);
}
