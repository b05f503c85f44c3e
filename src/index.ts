/**
 * fr2en's library API. The CLI (src/cli/) is one user of it; everything it does is reachable here.
 *
 *   const translator = await Translator.create({ model: 'Xenova/opus-mt-fr-en' });
 *   const doc = await translator.translateText(frenchText);
 *   console.log(renderDocument(doc, 'md'));
 *   await translator.close();
 */
export * from './document.js';
export { Fr2enError, UsageError, PoolError, type PoolFailure } from './errors.js';
export { DEFAULTS, DEFAULT_DECODE, DEFAULT_MODEL, resolveTranslatorOptions, type TranslatorOptions, type ResolvedTranslatorOptions } from './config.js';
export { Translator, type CreateTranslatorOptions, type TranslateCallOptions } from './translator.js';
export type { ProgressEvent, SentenceMemory } from './translate/scheduler.js';
export type { DecodeSettings, ModelDtype } from './translate/protocol.js';
export { segmentDocument, splitSentences, toSegmentRecords } from './segment/index.js';
export { translateFiles, type FileOutcome, type FileStatus, type TranslateFilesOptions, type DoneRecords } from './batch/translate-files.js';
export { openRunCache, type RunCache } from './batch/run-cache.js';
export { discoverInputs, readParagraphChunks, readTextFile, detectFrench, InputError, type InputSource } from './read/index.js';
export { TranslationMemory, createKeyContext, defaultCachePath } from './cache/index.js';
export { ensureModel, downloadModel, verifyModelFolder, validateMarianFolder, listModels, removeModel, ModelError } from './models/index.js';
export { writers, renderDocument, renderChunks, writeDocument, outputPath, openOutput, OUTPUT_FORMATS, type OutputFormat } from './write/index.js';
