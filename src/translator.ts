/**
 * The library's entry point: a Translator owns the worker pool and turns French text into an
 * aligned bilingual document. Building it is slow (models load in every worker); calling it is
 * cheap. Close it when done.
 */
import type { AlignedDocument, AlignedParagraph, SourceDocument, SourceParagraph } from './document.js';
import { resolveTranslatorOptions, type ResolvedTranslatorOptions, type TranslatorOptions } from './config.js';
import { localModelFolder } from './models/index.js';
import { normalizeNewlines } from './read/decode.js';
import { segmentDocument } from './segment/index.js';
import { TranslationPool } from './translate/pool.js';
import type { WorkerFaults } from './translate/protocol.js';
import { Scheduler, type ProgressEvent, type SentenceMemory } from './translate/scheduler.js';

export interface CreateTranslatorOptions extends TranslatorOptions {
  /**
   * An already resolved model folder (skips the lookup under modelsDir). The CLI passes the
   * folder that model management verified or downloaded.
   */
  modelPath?: string;
  /** @internal Failures injected by tests (see WorkerFaults). */
  faults?: WorkerFaults;
}

export interface TranslateCallOptions {
  /** Earlier translations to reuse and new ones to record. */
  memory?: SentenceMemory;
  /** Decides whether a paragraph is French; others are flagged `not-french`. */
  isFrench?: (text: string) => boolean;
  /** Leave non-French paragraphs untranslated (flagged `skipped`) instead of translating them. */
  skipNonFrench?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  /** Stops scheduling new batches; batches already running finish. */
  signal?: AbortSignal;
}

export class Translator {
  readonly options: ResolvedTranslatorOptions;
  /** The model folder in use. */
  readonly modelPath: string;
  readonly #pool: TranslationPool;

  private constructor(options: ResolvedTranslatorOptions, modelPath: string, pool: TranslationPool) {
    this.options = options;
    this.modelPath = modelPath;
    this.#pool = pool;
  }

  static async create(options: CreateTranslatorOptions = {}): Promise<Translator> {
    const resolved = resolveTranslatorOptions(options);
    const modelPath = options.modelPath ?? localModelFolder(resolved.model, resolved.modelsDir);
    const pool = await TranslationPool.start({
      modelPath,
      dtype: resolved.dtype,
      threads: resolved.threads,
      workers: resolved.workers,
      faults: options.faults,
      taskTimeoutMs: resolved.taskTimeoutMs,
    });
    return new Translator(resolved, modelPath, pool);
  }

  /** Segments and translates a whole text. `file` names it in the result (default `-`). */
  async translateText(text: string, file = '-', call: TranslateCallOptions = {}): Promise<AlignedDocument> {
    return this.translateDocument(segmentDocument(normalizeNewlines(text), file), call);
  }

  async translateDocument(document: SourceDocument, call: TranslateCallOptions = {}): Promise<AlignedDocument> {
    const paragraphs: AlignedParagraph[] = [];
    for await (const paragraph of this.translateParagraphs(document.paragraphs, call)) paragraphs.push(paragraph);
    return { file: document.file, model: this.options.model, paragraphs };
  }

  /** Streams aligned paragraphs in source order as they are translated (flat memory on huge input). */
  translateParagraphs(
    paragraphs: AsyncIterable<SourceParagraph> | Iterable<SourceParagraph>,
    call: TranslateCallOptions = {},
  ): AsyncGenerator<AlignedParagraph> {
    const { memory, isFrench, skipNonFrench, onProgress, signal } = call;
    const scheduler = new Scheduler({
      translator: this.#pool,
      counter: this.#pool.counter,
      decode: this.options.decode,
      batchSize: this.options.batchSize,
      tokenBudget: this.options.tokenBudget,
      maxAttempts: this.options.maxAttempts,
      memory,
      isFrench,
      skipNonFrench,
      onProgress,
      signal,
    });
    return scheduler.translate(paragraphs);
  }

  /** The worker threads (for tests that simulate a crash). */
  get workerThreads(): TranslationPool['threads'] {
    return this.#pool.threads;
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
