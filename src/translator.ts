/**
 * The library's entry point: a Translator owns a translation backend (by default a pool of
 * worker processes) and turns French text into an aligned bilingual document. Building it is
 * slow (models load in every worker); calling it is cheap. Close it when done.
 *
 * Safe to share: any number of `translate*` calls may run at once on one Translator (each has its
 * own scheduling window; their batches share the backend, and a batch's timeout counts only its
 * own running time), and several Translators may be created at once.
 */
import type { AlignedDocument, AlignedParagraph, SourceDocument, SourceParagraph } from './document.js';
import { resolveTranslatorOptions, type TranslatorConfig, type TranslatorOptions } from './config.js';
import { checkOnnxFiles, localModelFolder, validateMarianFolder } from './models/index.js';
import { normalizeNewlines } from './read/bytes.js';
import { segmentDocument } from './segment/index.js';
import type { TranslationBackend } from './translate/backend.js';
import { loadModelTokenizer, type ModelTokenizer } from './translate/model-tokenizer.js';
import { TranslationPool } from './translate/pool.js';
import type { WorkerFaults } from './translate/protocol.js';
import { BatchQueue } from './translate/batch-queue.js';
import { maxBatchTokens, Scheduler, type ProgressEvent, type SentenceMemory } from './translate/scheduler.js';
import { reviewerFor } from './qa/review.js';

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

/** @internal Seams for tests and other backends; not part of the public API. */
export interface TranslatorInternals {
  /** Failures injected into the pool's workers (tests). */
  faults?: WorkerFaults;
  /** Use this backend instead of the configured one (the Translator closes it). */
  backend?: BackendFactory;
}

type BackendFactory = (config: TranslatorConfig, modelPath: string, tokenizer: ModelTokenizer) => Promise<TranslationBackend>;

/** The private constructor, for createTranslator (set by the class's static block). */
let construct: (config: TranslatorConfig, modelPath: string, backend: TranslationBackend, tokenizer: ModelTokenizer) => Translator;

export class Translator {
  readonly config: TranslatorConfig;
  /** The model folder in use. */
  readonly modelPath: string;
  readonly #backend: TranslationBackend;
  readonly #tokenizer: ModelTokenizer;
  /** One queue for every call, so that sentences from concurrent calls share batches. */
  readonly #queue: BatchQueue;

  private constructor(config: TranslatorConfig, modelPath: string, backend: TranslationBackend, tokenizer: ModelTokenizer) {
    this.config = config;
    this.modelPath = modelPath;
    this.#backend = backend;
    this.#tokenizer = tokenizer;
    this.#queue = new BatchQueue({
      backend,
      decode: config.decode,
      batchSize: config.batchSize,
      maxBatchTokens: maxBatchTokens(config.batchSize),
      maxAttempts: config.maxAttempts,
    });
  }

  /** Sentences waiting for a batch, and batches running: a service's measure of load. */
  get load(): { waiting: number; running: number } {
    return { waiting: this.#queue.waiting, running: this.#queue.running };
  }

  /** Loads the model (in every worker) and returns a ready Translator. */
  static async create(options: TranslatorOptions | TranslatorConfig = {}): Promise<Translator> {
    return createTranslator(options);
  }

  static {
    construct = (config, modelPath, backend, tokenizer) => new Translator(config, modelPath, backend, tokenizer);
  }

  /** Segments and translates a whole text. `file` names it in the result (default `-`). */
  async translateText(text: string, file = '-', call: TranslateCallOptions = {}): Promise<AlignedDocument> {
    return this.translateDocument(segmentDocument(normalizeNewlines(text), file), call);
  }

  async translateDocument(document: SourceDocument, call: TranslateCallOptions = {}): Promise<AlignedDocument> {
    const paragraphs: AlignedParagraph[] = [];
    for await (const paragraph of this.translateParagraphs(document.paragraphs, call)) paragraphs.push(paragraph);
    return { file: document.file, model: this.config.model, paragraphs };
  }

  /** Streams aligned paragraphs in source order as they are translated (flat memory on huge input). */
  translateParagraphs(
    paragraphs: AsyncIterable<SourceParagraph> | Iterable<SourceParagraph>,
    call: TranslateCallOptions = {},
  ): AsyncGenerator<AlignedParagraph> {
    const { config } = this;
    const scheduler = new Scheduler({
      queue: this.#queue,
      counter: this.#tokenizer.counter,
      batchSize: config.batchSize,
      capacity: this.#backend.capacity,
      tokenBudget: config.tokenBudget,
      review: reviewerFor(config),
      ...call,
    });
    return scheduler.translate(paragraphs);
  }

  async close(): Promise<void> {
    await this.#backend.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * @internal Translator.create with its seams (injected faults, another backend), for tests and
 * fr2en's own entry points; not part of the package's API.
 */
export async function createTranslator(options: TranslatorOptions | TranslatorConfig, internals: TranslatorInternals = {}): Promise<Translator> {
  const config = isResolved(options) ? options : resolveTranslatorOptions(options);
  const modelPath = config.modelPath ?? localModelFolder(config.model, config.modelsDir);
  await validateMarianFolder(modelPath, config.dtype);
  // ONNX Runtime aborts the process it runs in on some damaged files: find them here first.
  await checkOnnxFiles(modelPath, config.dtype);
  const tokenizer = await loadModelTokenizer(modelPath);
  const start = internals.backend ?? (config.backend.kind === 'redis' ? startQueueBackend : startLocalPool(internals.faults));
  const backend = await start(config, modelPath, tokenizer);
  return construct(config, modelPath, backend, tokenizer);
}

/** The default backend: worker processes on this machine. */
function startLocalPool(faults: WorkerFaults | undefined): BackendFactory {
  return (config, modelPath, tokenizer) =>
    TranslationPool.start({
      modelPath,
      dtype: config.dtype,
      threads: config.threads,
      workers: config.workers,
      taskTimeoutMs: config.taskTimeoutMs,
      // A Translator that decodes with beams by default gets the graph made for them; a call that
      // asks for beams on a greedy Translator still works, with one cache row per beam.
      beams: config.decode.beams > 1,
      tokenizer,
      ...(faults ? { faults } : {}),
    });
}

/** Workers behind a Redis queue (src/queue/); loaded only when asked for. */
const startQueueBackend: BackendFactory = async (config, modelPath, tokenizer) =>
  (await import('./queue/backend.js')).startQueueBackend(config, modelPath, tokenizer);

function isResolved(options: TranslatorOptions | TranslatorConfig): options is TranslatorConfig {
  return Object.isFrozen(options) && Array.isArray((options as TranslatorConfig).qa);
}
