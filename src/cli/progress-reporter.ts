/**
 * Turns the model download's `onProgress` events into output on stderr (stdout may carry a
 * translation): a cli-progress bar pair (overall + current file, with bytes, speed and ETA) on a
 * terminal, plain lines otherwise (logs, CI), where a redrawn bar would be noise.
 */
import cliProgress from 'cli-progress';
import type { ModelProgressEvent, ProgressCallback } from '../models/index.js';

export interface ProgressReporterOptions {
  /** @default stream.isTTY */
  tty?: boolean;
  /** Plain mode: at most one progress line per file per this many ms. @default 5000 */
  plainIntervalMs?: number;
  /** @default Date.now */
  now?: () => number;
}

/**
 * An `onProgress` callback, plus `stop()` for the error path: the bar stops by itself on the
 * `done` event, but a failed download never sends one, and the cursor must come back.
 */
export type ProgressReporter = ProgressCallback & {
  /** Stops the bar (restoring the cursor). Safe to call twice, or when nothing was shown. */
  stop(): void;
};

type Stream = NodeJS.WritableStream & { isTTY?: boolean };

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Bytes per second over the last few seconds: resumed bytes never count, stalls show quickly. */
class SpeedMeter {
  readonly #samples: { t: number; bytes: number }[] = [];
  #received = 0;
  constructor(
    private readonly now: () => number,
    private readonly windowMs = 5000,
  ) {}
  add(delta: number): void {
    this.#received += delta;
    const t = this.now();
    this.#samples.push({ t, bytes: this.#received });
    while (this.#samples.length > 2 && t - this.#samples[0]!.t > this.windowMs) this.#samples.shift();
  }
  /** undefined until there is a measurable interval. */
  get bytesPerSecond(): number | undefined {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.t - first.t < 200) return undefined;
    return ((last.bytes - first.bytes) * 1000) / (last.t - first.t);
  }
}

/** Progress on `stream` (stderr: stdout may carry a translation). */
export function createProgressReporter(stream: Stream, options: ProgressReporterOptions = {}): ProgressReporter {
  const now = options.now ?? Date.now;
  const tty = options.tty ?? stream.isTTY === true;
  const { onProgress, stop } = tty ? barReporter(stream, now) : plainReporter(stream, now, options.plainIntervalMs ?? 5000);
  return Object.assign((event: ModelProgressEvent) => onProgress(event), { stop });
}

interface Parts {
  onProgress: ProgressCallback;
  stop(): void;
}

interface Totals {
  totalBytes: number;
  totalDone: number;
  /** Where the current file's counter stood at the last event, to turn totals into deltas. */
  fileBytes: number;
}

const speedText = (bps: number | undefined) => (bps === undefined ? '--' : `${formatBytes(bps)}/s`);
const etaText = (remaining: number, bps: number | undefined) =>
  bps === undefined || bps <= 0 ? '--' : formatDuration(remaining / bps);

function barReporter(stream: NodeJS.WritableStream, now: () => number): Parts {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: ' {label} |{bar}| {percentage}% | {done}/{size} | {speed} | ETA {eta}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      autopadding: true,
      fps: 8,
    },
    cliProgress.Presets.shades_classic,
  );
  const meter = new SpeedMeter(now);
  const totals: Totals = { totalBytes: 0, totalDone: 0, fileBytes: 0 };
  let overall: cliProgress.SingleBar | undefined;
  let file: cliProgress.SingleBar | undefined;
  let fileSize = 0;
  let stopped = false;
  const label = (path: string) => (path.length > 34 ? `…${path.slice(-33)}` : path.padEnd(34));

  const payload = (done: number, size: number) => ({
    done: formatBytes(done),
    size: formatBytes(size),
    speed: speedText(meter.bytesPerSecond),
    eta: etaText(size - done, meter.bytesPerSecond),
  });

  const onProgress: ProgressCallback = (event: ModelProgressEvent) => {
    if (stopped) return;
    switch (event.type) {
      case 'plan':
        totals.totalBytes = event.totalBytes;
        if (event.files.length === 0) return;
        multi.log(`Downloading ${event.model} (${event.dtype}): ${event.files.length} files, ${formatBytes(event.totalBytes)}\n`);
        overall = multi.create(Math.max(event.totalBytes, 1), 0, { label: label('total'), ...payload(0, event.totalBytes) });
        return;
      case 'file-start':
        fileSize = event.size ?? 0;
        totals.fileBytes = event.resumeFrom;
        if (file) multi.remove(file);
        file = multi.create(Math.max(fileSize, 1), event.resumeFrom, { label: label(event.path), ...payload(event.resumeFrom, fileSize) });
        return;
      case 'file-progress':
        meter.add(event.bytes - totals.fileBytes);
        totals.fileBytes = event.bytes;
        totals.totalDone = event.totalDone;
        file?.update(event.bytes, payload(event.bytes, event.size ?? event.bytes));
        overall?.update(event.totalDone, payload(event.totalDone, event.totalBytes));
        return;
      case 'file-restart':
        multi.log(`${event.path}: starting over (${event.reason})\n`);
        return;
      case 'retry':
        multi.log(`${event.path}: ${event.message} Retrying in ${formatDuration(event.delayMs / 1000)} (attempt ${event.attempt}).\n`);
        return;
      case 'file-done':
        return;
      case 'done':
        if (overall) overall.update(totals.totalBytes, payload(totals.totalBytes, totals.totalBytes));
        stopped = true;
        multi.stop();
        return;
    }
  };
  return {
    onProgress,
    stop: () => {
      if (stopped) return;
      stopped = true;
      multi.stop();
    },
  };
}

function plainReporter(stream: NodeJS.WritableStream, now: () => number, intervalMs: number): Parts {
  const meter = new SpeedMeter(now);
  const totals: Totals = { totalBytes: 0, totalDone: 0, fileBytes: 0 };
  let lastLine = 0;
  let started = now();
  const write = (line: string) => stream.write(`${line}\n`);
  const onProgress: ProgressCallback = (event) => {
    switch (event.type) {
      case 'plan':
        totals.totalBytes = event.totalBytes;
        started = now();
        if (event.files.length === 0) return;
        write(
          `Downloading ${event.model} (${event.dtype}): ${event.files.length} files, ${formatBytes(event.totalBytes)}` +
            (event.skipped.length > 0 ? ` (${event.skipped.length} already present)` : ''),
        );
        return;
      case 'file-start':
        totals.fileBytes = event.resumeFrom;
        lastLine = now();
        write(
          `  ${event.path} (${event.size === undefined ? 'size unknown' : formatBytes(event.size)})` +
            (event.resumeFrom > 0 ? `, resuming at ${formatBytes(event.resumeFrom)}` : ''),
        );
        return;
      case 'file-progress': {
        meter.add(event.bytes - totals.fileBytes);
        totals.fileBytes = event.bytes;
        totals.totalDone = event.totalDone;
        if (now() - lastLine < intervalMs) return;
        lastLine = now();
        const bps = meter.bytesPerSecond;
        const pct = event.size ? ` ${Math.floor((event.bytes / event.size) * 100)}%` : '';
        write(
          `  ${event.path}:${pct} ${formatBytes(event.bytes)}${event.size ? `/${formatBytes(event.size)}` : ''}, ` +
            `${speedText(bps)}, total ${formatBytes(event.totalDone)}/${formatBytes(event.totalBytes)}, ` +
            `ETA ${etaText(event.totalBytes - event.totalDone, bps)}`,
        );
        return;
      }
      case 'file-restart':
        write(`  ${event.path}: starting over (${event.reason})`);
        return;
      case 'retry':
        write(`  ${event.path}: ${event.message} Retrying in ${formatDuration(event.delayMs / 1000)} (attempt ${event.attempt}).`);
        return;
      case 'file-done':
        write(`  ${event.path}: done, ${formatBytes(event.size)}, ${event.verifiedBy === 'none' ? 'not verified (no checksum or size from the server)' : `${event.verifiedBy} verified`}`);
        return;
      case 'done':
        if (event.files > 0) {
          write(`Model ${event.model} ready in ${event.folder} (${formatBytes(event.downloadedBytes)} in ${formatDuration((now() - started) / 1000)})`);
        }
        return;
    }
  };
  return { onProgress, stop: () => undefined };
}
