/**
 * What a batch run shows on stderr: one overall progress bar on a terminal (files, sentences,
 * source words per second, ETA), a plain line every few seconds otherwise, a one-line message per
 * problem, and a final summary. `--quiet` keeps only the problems.
 */
import { statSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { FileOutcome } from '../batch/translate-files.js';
import type { InputSource } from '../read/discover.js';
import type { ProgressEvent } from '../translate/scheduler.js';
import { printable, type CliIo } from './io.js';

const PLAIN_INTERVAL_MS = 10_000;

export class BatchReporter {
  readonly #io: CliIo;
  readonly #quiet: boolean;
  #bar: cliProgress.SingleBar | undefined;
  #started = Date.now();
  #lastPlain = 0;
  #files = 0;
  #totalFiles = 0;
  /** ETA is measured in source bytes: known up front for files, unlike sentence counts. */
  #totalBytes = 0;
  #doneBytes = 0;
  /** Input sizes, read once at the start. */
  #sizes = new Map<string, number>();
  #sentences = { translated: 0, cached: 0, failed: 0 };
  #words = 0;
  #targetTokens = 0;

  constructor(io: CliIo, options: { quiet: boolean }) {
    this.#io = io;
    this.#quiet = options.quiet;
  }

  start(inputs: readonly InputSource[]): void {
    this.#started = Date.now();
    this.#lastPlain = this.#started; // the first plain line comes after an interval, not at once
    this.#totalFiles = inputs.length;
    for (const input of inputs) if (input.kind === 'file') this.#sizes.set(input.path, sizeOf(input.path));
    this.#totalBytes = [...this.#sizes.values()].reduce((sum, size) => sum + size, 0);
    if (this.#quiet || !this.#io.stderr.isTTY) return;
    this.#bar = new cliProgress.SingleBar(
      {
        stream: this.#io.stderr as NodeJS.WriteStream,
        format: '{bar} {percentage}% | files {files}/{totalFiles} | {sentences} sentences | {wps} words/s | ETA {eta_formatted}',
        hideCursor: true,
        etaBuffer: 50,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    this.#bar.start(Math.max(1, this.#totalBytes), 0, this.#payload());
  }

  progress(event: ProgressEvent): void {
    this.#sentences.translated += event.translated;
    this.#sentences.cached += event.cached;
    this.#sentences.failed += event.failed;
    this.#words += event.sourceWords;
    this.#targetTokens += event.targetTokens;
    // A French word is about 6 bytes with its space: close enough for a bar and an ETA.
    this.#update(Math.min(this.#totalBytes, Math.max(this.#doneBytes, this.#words * 6)));
  }

  file(outcome: FileOutcome): void {
    this.#files++;
    this.#doneBytes += this.#sizes.get(outcome.input.path) ?? 0;
    if (outcome.status === 'failed' && outcome.error) this.problem(outcome.error);
    this.#bar?.update(this.#doneBytes, this.#payload());
  }

  /** A one-line message naming the file and the problem. */
  problem(error: Error): void {
    this.#print(`fr2en: ${printable(error.message)}`);
  }

  note(message: string): void {
    if (!this.#quiet) this.#print(`fr2en: ${printable(message)}`);
  }

  /** The batch stopped early: say why once, and how many files it did not reach. */
  stopped(error: Error, outcomes: readonly FileOutcome[]): void {
    const left = outcomes.filter((o) => o.status === 'not-attempted').length;
    this.#print(`fr2en: stopped: ${printable(error.message)}${left > 0 ? ` (${left} file${left === 1 ? '' : 's'} not attempted)` : ''}`);
  }

  finish(outcomes: readonly FileOutcome[]): void {
    this.#bar?.stop();
    this.#bar = undefined;
    if (this.#quiet) return;
    const by = (status: FileOutcome['status']) => outcomes.filter((o) => o.status === status).length;
    const seconds = (Date.now() - this.#started) / 1000;
    const paragraphs = outcomes.reduce((n, o) => n + o.paragraphs, 0);
    const words = outcomes.reduce((n, o) => n + o.words, 0);
    const parts = [
      `${by('done')} done`,
      `${by('up-to-date')} up to date`,
      `${by('failed')} failed`,
      ...(by('interrupted') > 0 ? [`${by('interrupted')} interrupted`] : []),
      ...(by('not-attempted') > 0 ? [`${by('not-attempted')} not attempted`] : []),
    ];
    const { translated, cached } = this.#sentences;
    // Counted from the files written, so the summary matches what is on disk.
    const failed = outcomes.reduce((n, o) => n + o.failedSentences, 0);
    const lines = [
      `fr2en: files: ${parts.join(', ')} | ${paragraphs} paragraphs, ${words} words in ${seconds.toFixed(1)} s` +
        ` (${Math.round(words / Math.max(seconds, 0.001))} words/s) | sentences: ${translated} translated, ${cached} from cache`,
    ];
    const review = reviewLine(outcomes);
    if (review) lines.push(`fr2en: ${review}`);
    if (failed > 0) lines.push(`fr2en: ${failed} sentence${failed === 1 ? '' : 's'} could not be translated (kept in French, flagged failed); run again to retry them`);
    this.#io.stderr.write(`${lines.join('\n')}\n`);
  }

  #update(value: number): void {
    if (this.#bar) {
      this.#bar.update(value, this.#payload());
      return;
    }
    if (this.#quiet || Date.now() - this.#lastPlain < PLAIN_INTERVAL_MS) return;
    this.#lastPlain = Date.now();
    const p = this.#payload();
    this.#io.stderr.write(`fr2en: files ${p.files}/${p.totalFiles}, ${p.sentences} sentences, ${p.wps} words/s\n`);
  }

  #payload() {
    const seconds = Math.max((Date.now() - this.#started) / 1000, 0.001);
    return {
      files: this.#files,
      totalFiles: this.#totalFiles,
      sentences: this.#sentences.translated + this.#sentences.cached,
      wps: Math.round(this.#words / seconds),
    };
  }

  #print(line: string): void {
    if (this.#bar) this.#bar.stop();
    this.#io.stderr.write(`${line}\n`);
    if (this.#bar) this.#bar.start(this.#bar.getTotal(), this.#doneBytes, this.#payload());
  }
}

/** `12 of 340 pairs to review: 5 numbers, 4 repetition`, or nothing when none is flagged. */
function reviewLine(outcomes: readonly FileOutcome[]): string | undefined {
  const pairs = outcomes.reduce((n, o) => n + o.pairs, 0);
  const flagged = outcomes.reduce((n, o) => n + o.reviewPairs, 0);
  if (flagged === 0) return undefined;
  const byCheck = new Map<string, number>();
  for (const outcome of outcomes) for (const [check, n] of Object.entries(outcome.findings)) byCheck.set(check, (byCheck.get(check) ?? 0) + (n ?? 0));
  const detail = [...byCheck].sort((a, b) => b[1] - a[1]).map(([check, n]) => `${n} ${check}`).join(', ');
  return `${flagged} of ${pairs} pairs to review: ${detail}`;
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
