/**
 * fr2en's library API: what a user needs, no internals. The CLI (src/cli/) is one user of it.
 *
 *   const translator = await Translator.create({ model: 'Xenova/opus-mt-fr-en' });
 *   const doc = await translator.translateText(frenchText);
 *   console.log(renderDocument(doc, 'md'));
 *   await translator.close();
 */

// The data the stages exchange.
export type {
  AlignedDocument,
  AlignedParagraph,
  PairFlag,
  ParagraphKind,
  QaCheck,
  QaFinding,
  SentencePair,
  SourceDocument,
  SourceParagraph,
  SourceSentence,
} from './document.js';
export { PAIR_FLAGS, PARAGRAPH_KINDS, QA_CHECKS } from './document.js';

// Configuration and translation.
export {
  DEFAULT_DECODE,
  defaultWorkers,
  resolveRunConfig,
  resolveTranslatorOptions,
  type RunConfig,
  type RunOptions,
  type TranslatorConfig,
  type TranslatorOptions,
} from './config.js';
export type { DecodeSettings, ModelDtype } from './translate/protocol.js';
export { Translator, type TranslateCallOptions } from './translator.js';
export type { ProgressEvent, SentenceMemory, StoredTranslation } from './translate/scheduler.js';

// Batch runs over files.
export { runBatch, type RunHooks, type RunResult } from './batch/run.js';
export type { FileOutcome, FileStatus } from './batch/translate-files.js';

// Stages usable on their own.
export { segmentDocument } from './segment/index.js';
export { checkPair, parseQaChecks, type QaContext } from './qa/index.js';
export { scoreCorpus, scoreSentences } from './score/index.js';
export { readPairs, type PairRecord } from './read/pairs.js';
export { renderDocument, writeDocument, OUTPUT_FORMATS, type OutputFormat, type WriteOptions } from './write/index.js';
export { TranslationMemory } from './cache/index.js';
export { ensureModel, downloadModel, verifyModelFolder, listModels, removeModel, type EnsureModelOptions } from './models/index.js';

// Errors: every error fr2en throws on purpose is a Fr2enError.
export { Fr2enError, UsageError, PoolError } from './errors.js';
export { InputError } from './read/errors.js';
export { ModelError } from './models/errors.js';
export { TranslationMemoryError } from './cache/index.js';
export { WriteError } from './batch/write-error.js';
