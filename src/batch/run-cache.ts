/**
 * The translation memory as the batch job uses it: bound to one model, dtype and decoding setup,
 * so a lookup is by source sentence alone. Opening it fingerprints the model files.
 */
import { createKeyContext, fingerprintModelFiles, TranslationMemory } from '../cache/index.js';
import type { ResolvedTranslatorOptions } from '../config.js';
import { filesForDtype } from '../models/files.js';
import type { SentenceMemory } from '../translate/scheduler.js';
import type { DoneRecords } from './translate-files.js';

export interface RunCache {
  memory: SentenceMemory;
  done: DoneRecords;
  close(): void;
}

export async function openRunCache(file: string, modelPath: string, options: ResolvedTranslatorOptions): Promise<RunCache> {
  const { model, dtype, decode, tokenBudget } = options;
  const keyContext = createKeyContext({
    model,
    // Only this dtype's files: downloading another dtype (or a half-downloaded .part) keeps the memory.
    modelFingerprint: await fingerprintModelFiles(modelPath, filesForDtype(dtype).map((file) => file.path)),
    dtype,
    // The budget decides how long sentences are cut, hence what a stored piece is.
    decoding: { ...decode, tokenBudget },
  });
  const store = TranslationMemory.open(file);
  return {
    memory: {
      getMany: (sources) => store.getMany(keyContext, sources),
      putMany: (entries) => store.putMany(keyContext, entries),
    },
    done: {
      isUpToDate: (relPath, sourceSha256, formats) => store.isUpToDate({ relPath, sourceSha256, keyContext, formats }),
      markDone: (relPath, sourceSha256, formats, outputs) => store.markDone({ relPath, sourceSha256, keyContext, formats }, outputs),
    },
    close: () => store.close(),
  };
}
