/**
 * Turns a stream of source paragraphs into a stream of aligned paragraphs, in order.
 *
 * Paragraphs are taken in windows. A window's sentences are cut to the token budget, looked up
 * in the translation memory, de-duplicated, sorted by length and submitted to the Translator's
 * batch queue (batch-queue.ts), which cuts batches across all concurrent calls. A window's texts
 * run before the next window's, so output can be written in document order while later windows
 * are already translating; at most `windowsInFlight` windows are held, so memory stays flat
 * however long the input is. Pairing sources with translations is the align stage's job.
 */
import { alignParagraph, type PieceOutcome, type ReviewPair } from '../align/index.js';
import type { AlignedParagraph, PairFlag, SourceParagraph } from '../document.js';
import { countWords } from '../document.js';
import type { BatchQueue, QueueCaller, QueueItem } from './batch-queue.js';
import { splitByBudget } from './token-budget.js';
import type { TokenCounter } from './token-counter.js';

/** A translation as the memory keeps it: the target and what the decoder said about it. */
export interface StoredTranslation {
  target: string;
  /** Absent for entries stored before fr2en recorded them. */
  tokens?: number;
  logprob?: number;
  truncated?: boolean;
}

/** A store of earlier translations, keyed by source text within one model and decoding setup. */
export interface SentenceMemory {
  getMany(sources: readonly string[]): Map<string, StoredTranslation>;
  putMany(entries: ReadonlyArray<readonly [source: string, translation: StoredTranslation]>): void;
}

export interface ProgressEvent {
  /** Pieces translated by the model in this step. */
  translated: number;
  /** Pieces answered by the translation memory. */
  cached: number;
  /** Pieces that could not be translated. */
  failed: number;
  sourceWords: number;
  targetTokens: number;
}

export interface SchedulerOptions {
  /** Where texts go to be translated (shared by every call on one Translator). */
  queue: BatchQueue;
  counter: TokenCounter;
  /** Longest piece, in tokens, sent to the model. */
  tokenBudget: number;
  /** Sizes the window (see defaultWindowPieces). */
  batchSize: number;
  capacity: number;
  memory?: SentenceMemory;
  /** Decides whether a paragraph is French; others are flagged `not-french` (or skipped). */
  isFrench?: (text: string) => boolean;
  skipNonFrench?: boolean;
  /** Quality checks for each translated pair. */
  review?: ReviewPair;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /** Pieces gathered before a window is scheduled. */
  windowPieces?: number;
  windowsInFlight?: number;
}

/**
 * Padded source tokens per batch: a batch of long sentences gets fewer rows. The key/value
 * cache a worker holds grows with rows x length; this cap took 100 MiB off the peak of a 4x run
 * with two workers at no measured cost in speed (64 of the 200-token budget).
 */
export function maxBatchTokens(batchSize: number): number {
  return batchSize * 64;
}

/**
 * Pieces gathered before a window is sorted and scheduled. Sorting by length only pays across
 * many sentences: at batch 16, a 64-sentence window leaves 32% padding on real text, 256
 * sentences 9.5%, 512 sentences 5.5% (the benchmark's `paddingBound`).
 */
export function defaultWindowPieces(batchSize: number, workers: number): number {
  return Math.max(512, batchSize * workers * 16);
}

export class Scheduler {
  readonly #options: SchedulerOptions & { windowPieces: number; windowsInFlight: number };
  readonly #caller: QueueCaller;

  constructor(options: SchedulerOptions) {
    this.#options = {
      windowPieces: defaultWindowPieces(options.batchSize, options.capacity),
      windowsInFlight: 2,
      ...options,
    };
    this.#caller = options.queue.caller(options.signal, (settled) => this.#settled(settled));
  }

  /** Translates paragraphs as they arrive and yields them aligned, in input order. */
  async *translate(paragraphs: AsyncIterable<SourceParagraph> | Iterable<SourceParagraph>): AsyncGenerator<AlignedParagraph> {
    try {
      yield* this.#windows(paragraphs);
    } finally {
      // Ended, failed or abandoned by its reader: nothing of this call stays queued.
      this.#caller.release();
    }
  }

  async *#windows(paragraphs: AsyncIterable<SourceParagraph> | Iterable<SourceParagraph>): AsyncGenerator<AlignedParagraph> {
    const inFlight: Promise<AlignedParagraph[]>[] = [];
    let window: SourceParagraph[] = [];
    let windowSize = 0;
    const launch = () => {
      const promise = this.#translateWindow(window);
      // Marked handled now; the rejection is still seen when the window is awaited in turn.
      promise.catch(() => undefined);
      inFlight.push(promise);
      window = [];
      windowSize = 0;
    };
    for await (const paragraph of paragraphs) {
      this.#options.signal?.throwIfAborted();
      window.push(paragraph);
      windowSize += paragraph.sentences.length;
      if (windowSize >= this.#options.windowPieces) {
        launch();
        while (inFlight.length >= this.#options.windowsInFlight) yield* await inFlight.shift()!;
      }
    }
    if (window.length > 0) launch();
    while (inFlight.length > 0) yield* await inFlight.shift()!;
  }

  async #translateWindow(paragraphs: SourceParagraph[]): Promise<AlignedParagraph[]> {
    const { counter, tokenBudget, isFrench, skipNonFrench, memory } = this.#options;
    const paragraphFlags = paragraphs.map((paragraph): PairFlag[] => {
      const french = paragraph.kind === 'non-prose' || !isFrench || isFrench(paragraph.text);
      if (french) return [];
      return skipNonFrench ? ['not-french', 'skipped'] : ['not-french'];
    });
    // pieces[p][s]: sentence s of paragraph p cut to the token budget (empty if not translated).
    const pieces = paragraphs.map((paragraph, p) =>
      paragraph.sentences.map((sentence) =>
        sentence.translate && !paragraphFlags[p].includes('skipped') ? splitByBudget(sentence.text, tokenBudget, counter) : [],
      ),
    );
    const allPieces = pieces.flat(2);

    // Each distinct text is translated once per window, whatever the number of its occurrences.
    const outcomes = new Map<string, PieceOutcome>();
    const known = memory?.getMany([...new Set(allPieces.map((piece) => piece.text))]) ?? new Map<string, StoredTranslation>();
    for (const [source, stored] of known) outcomes.set(source, { ...stored, failed: false });
    const todo = new Map<string, QueueItem>();
    for (const piece of allPieces) if (!outcomes.has(piece.text)) todo.set(piece.text, { text: piece.text, tokens: piece.tokens });
    if (known.size > 0) this.#report({ translated: 0, cached: known.size, failed: 0, sourceWords: sumWords([...known.keys()]), targetTokens: 0 });

    // Longest first: the slowest batches start early, and neighbours in the queue pad little.
    const items = [...todo.values()].sort((a, b) => b.tokens - a.tokens);
    const results = await Promise.all(this.#caller.submit(items));
    items.forEach((item, i) => outcomes.set(item.text, results[i]));
    return paragraphs.map((paragraph, p) =>
      alignParagraph(paragraph, paragraphFlags[p], pieces[p].map((list) => list.map((piece) => piece.text)), outcomes, this.#options.review),
    );
  }

  /** A batch's outcomes for this call: fresh translations are stored in the memory and reported. */
  #settled(settled: ReadonlyArray<readonly [QueueItem, PieceOutcome]>): void {
    const translated = settled.filter(([, outcome]) => !outcome.failed);
    if (translated.length > 0) {
      this.#options.memory?.putMany(translated.map(([item, { target, tokens, logprob, truncated }]) => [item.text, { target, tokens, logprob, truncated }] as const));
    }
    this.#report({
      translated: translated.length,
      cached: 0,
      failed: settled.length - translated.length,
      sourceWords: sumWords(settled.map(([item]) => item.text)),
      targetTokens: translated.reduce((sum, [, outcome]) => sum + (outcome.tokens ?? 0), 0),
    });
  }

  #report(event: ProgressEvent): void {
    this.#options.onProgress?.(event);
  }
}

function sumWords(texts: readonly string[]): number {
  return texts.reduce((sum, text) => sum + countWords(text), 0);
}
