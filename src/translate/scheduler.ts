/**
 * Turns a stream of source paragraphs into a stream of aligned paragraphs, in order.
 *
 * Paragraphs are taken in windows. A window's sentences are cut to the token budget, looked up
 * in the translation memory, de-duplicated, grouped into length-sorted batches and queued on a
 * p-queue whose concurrency equals the pool size. Earlier windows get higher priority, so output
 * can be written in document order while later windows are already translating; at most
 * `windowsInFlight` windows are held, so memory stays flat however long the input is.
 */
import PQueue from 'p-queue';
import type { AlignedParagraph, PairFlag, SentencePair, SourceParagraph } from '../document.js';
import { countWords, joinTargets } from '../document.js';
import { PoolError } from '../errors.js';
import { makeBatches } from './batches.js';
import type { BatchRequest, BatchResult } from './pool.js';
import type { DecodeSettings } from './protocol.js';
import { splitByBudget, type Piece } from './token-budget.js';
import type { TokenCounter } from './token-counter.js';

/** What the scheduler needs from a pool (an interface so tests can inject faults). */
export interface BatchTranslator {
  readonly workers: number;
  translate(request: BatchRequest): Promise<BatchResult>;
}

/** A store of earlier translations, keyed by source text within one model and decoding setup. */
export interface SentenceMemory {
  getMany(sources: readonly string[]): Map<string, string>;
  putMany(entries: ReadonlyArray<readonly [source: string, target: string]>): void;
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
  translator: BatchTranslator;
  counter: TokenCounter;
  decode: DecodeSettings;
  batchSize: number;
  /** Longest piece, in tokens, sent to the model. */
  tokenBudget: number;
  /** Whole-batch tries before the last, sentence-by-sentence try. */
  maxAttempts?: number;
  memory?: SentenceMemory;
  /** Decides whether a paragraph is French; others are flagged `not-french` (or skipped). */
  isFrench?: (text: string) => boolean;
  skipNonFrench?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /** Pieces gathered before a window is scheduled. */
  windowPieces?: number;
  windowsInFlight?: number;
}

interface Outcome {
  target: string;
  failed: boolean;
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
  readonly #options: Required<Omit<SchedulerOptions, 'memory' | 'isFrench' | 'onProgress' | 'signal'>> &
    Pick<SchedulerOptions, 'memory' | 'isFrench' | 'onProgress' | 'signal'>;
  readonly #queue: PQueue;
  #windowSeq = 0;

  constructor(options: SchedulerOptions) {
    this.#options = {
      maxAttempts: 3,
      skipNonFrench: false,
      windowPieces: defaultWindowPieces(options.batchSize, options.translator.workers),
      windowsInFlight: 2,
      ...options,
    };
    this.#queue = new PQueue({ concurrency: options.translator.workers });
  }

  /** Translates paragraphs as they arrive and yields them aligned, in input order. */
  async *translate(paragraphs: AsyncIterable<SourceParagraph> | Iterable<SourceParagraph>): AsyncGenerator<AlignedParagraph> {
    const inFlight: Promise<AlignedParagraph[]>[] = [];
    let window: SourceParagraph[] = [];
    let windowSize = 0;
    const launch = () => {
      const promise = this.#translateWindow(window, this.#windowSeq++);
      // Marked handled now; the rejection is still seen when the window is awaited in turn.
      promise.catch(() => undefined);
      inFlight.push(promise);
      window = [];
      windowSize = 0;
    };
    for await (const paragraph of paragraphs) {
      this.#throwIfAborted();
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

  async #translateWindow(paragraphs: SourceParagraph[], seq: number): Promise<AlignedParagraph[]> {
    const { counter, tokenBudget, isFrench, skipNonFrench, memory } = this.#options;
    const paragraphFlags = paragraphs.map((paragraph): PairFlag[] => {
      const french = paragraph.kind === 'non-prose' || !isFrench || isFrench(paragraph.text);
      if (french) return [];
      return skipNonFrench ? ['not-french', 'skipped'] : ['not-french'];
    });
    // pieces[p][s]: sentence s of paragraph p cut to the token budget (empty if not translated).
    const pieces: Piece[][][] = paragraphs.map((paragraph, p) =>
      paragraph.sentences.map((sentence) =>
        sentence.translate && !paragraphFlags[p].includes('skipped') ? splitByBudget(sentence.text, tokenBudget, counter) : [],
      ),
    );
    const allPieces = pieces.flat(2);

    // Each distinct text is translated once per window, whatever the number of its occurrences.
    const outcomes = new Map<string, Outcome>();
    const known = memory?.getMany([...new Set(allPieces.map((piece) => piece.text))]) ?? new Map<string, string>();
    for (const [source, target] of known) outcomes.set(source, { target, failed: false });
    const todo = new Map<string, { text: string; tokens: number }>();
    for (const piece of allPieces) if (!outcomes.has(piece.text)) todo.set(piece.text, { text: piece.text, tokens: piece.tokens });
    if (known.size > 0) this.#report({ translated: 0, cached: known.size, failed: 0, sourceWords: sumWords([...known.keys()]), targetTokens: 0 });

    const batches = makeBatches([...todo.values()], this.#options.batchSize, maxBatchTokens(this.#options.batchSize));
    await Promise.all(
      batches.map((batch) =>
        this.#queue.add(
          async () => {
            this.#throwIfAborted();
            const results = await this.#runBatch(batch.map((item) => item.text));
            batch.forEach((item, i) => outcomes.set(item.text, results[i]));
          },
          // p-queue runs higher priorities first: earlier windows before later ones.
          { priority: -seq },
        ),
      ),
    );
    return paragraphs.map((paragraph, p) => align(paragraph, paragraphFlags[p], pieces[p], outcomes));
  }

  /**
   * Runs one batch, retrying a crashed, timed-out or failed call; the last try goes one text at a
   * time so one poisonous sentence cannot sink its neighbours. Never loses a text: what still
   * fails comes back as its source, flagged.
   */
  async #runBatch(texts: string[]): Promise<Outcome[]> {
    const wholeBatchTries = texts.length > 1 ? this.#options.maxAttempts - 1 : this.#options.maxAttempts;
    for (let attempt = 0; attempt < wholeBatchTries; attempt++) {
      try {
        return await this.#call(texts);
      } catch (error) {
        throwIfFatal(error);
      }
    }
    if (texts.length === 1) return [this.#failed(texts[0])];
    const outcomes: Outcome[] = [];
    for (const text of texts) {
      try {
        outcomes.push(...(await this.#call([text])));
      } catch (error) {
        throwIfFatal(error);
        outcomes.push(this.#failed(text));
      }
    }
    return outcomes;
  }

  #failed(text: string): Outcome {
    this.#report({ translated: 0, cached: 0, failed: 1, sourceWords: countWords(text), targetTokens: 0 });
    return { target: text, failed: true };
  }

  async #call(texts: string[]): Promise<Outcome[]> {
    const { translator, decode, memory } = this.#options;
    const result = await translator.translate({ texts, decode });
    memory?.putMany(texts.map((text, i) => [text, result.translations[i]] as const));
    this.#report({ translated: texts.length, cached: 0, failed: 0, sourceWords: sumWords(texts), targetTokens: result.generatedTokens });
    return result.translations.map((target) => ({ target, failed: false }));
  }

  #report(event: ProgressEvent): void {
    this.#options.onProgress?.(event);
  }

  #throwIfAborted(): void {
    this.#options.signal?.throwIfAborted();
  }
}

function throwIfFatal(error: unknown): void {
  if (!(error instanceof PoolError) || error.fatal) throw error;
}

function align(paragraph: SourceParagraph, flags: PairFlag[], pieces: Piece[][], outcomes: Map<string, Outcome>): AlignedParagraph {
  const pairs: SentencePair[] = paragraph.sentences.map((sentence, s) => {
    const pairFlags: PairFlag[] = [...flags];
    let target = sentence.text;
    if (!sentence.translate) {
      pairFlags.push('verbatim');
    } else if (!flags.includes('skipped')) {
      const results = pieces[s].map((piece) => outcomes.get(piece.text)!);
      target = results.map((result) => result.target.trim()).filter(Boolean).join(' ');
      if (pieces[s].length > 1) pairFlags.push('split');
      if (results.some((result) => result.failed)) pairFlags.push('failed');
    }
    return { index: s, start: sentence.start, end: sentence.end, source: sentence.text, target, flags: pairFlags, qa: [] };
  });
  return { index: paragraph.index, start: paragraph.start, kind: paragraph.kind, source: paragraph.text, target: joinTargets(pairs), pairs };
}

function sumWords(texts: readonly string[]): number {
  return texts.reduce((sum, text) => sum + countWords(text), 0);
}
