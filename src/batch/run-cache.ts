/**
 * The translation memory as the batch job uses it, bound to one run configuration: lookups are
 * by source sentence alone, and output records by the input's path, content and output files.
 * Every key is derived from the RunConfig, so two runs that would write different bytes never
 * share a record, and two that would write the same bytes do.
 *
 * A cache that fails mid-run (a full disk, a lock held too long) either stops the run once
 * (`cacheErrors: 'stop'`, the default) or, when asked, is dropped with one warning and the run
 * goes on without it (`'continue'`).
 */
import { createKeyContext, createSettingsKey, fingerprintModelFiles, TranslationMemory, TranslationMemoryError } from '../cache/index.js';
import type { RunConfig } from '../config.js';
import { filesForDtype } from '../models/files.js';
import type { SentenceMemory } from '../translate/scheduler.js';

/** Which outputs are current, so a rerun skips them. */
export interface OutputRecords {
  isUpToDate(relPath: string, sourceSha256: string, outputs: readonly string[]): boolean;
  markDone(relPath: string, sourceSha256: string, outputs: readonly string[]): void;
  /** The outputs were (re)written but are not complete translations: the next run redoes them. */
  forget(outputs: readonly string[]): void;
}

export interface RunCache {
  memory: SentenceMemory;
  outputs: OutputRecords;
  close(): void;
}

export interface RunCacheOptions {
  /** fr2en's version: a new version may write different bytes. */
  toolVersion: string;
  /** Told once, when a failing cache is dropped (`cacheErrors: 'continue'`). */
  onDisabled?: (error: TranslationMemoryError) => void;
}

/** Opens `config.cache` (which must be set) for a run with model files in `modelPath`. */
export async function openRunCache(config: RunConfig, modelPath: string, options: RunCacheOptions): Promise<RunCache> {
  const { translator } = config;
  const memoryKey = createKeyContext({
    model: translator.model,
    // Only this dtype's files: downloading another dtype (or a half-downloaded .part) keeps the memory.
    modelFingerprint: await fingerprintModelFiles(modelPath, filesForDtype(translator.dtype).map((file) => file.path)),
    dtype: translator.dtype,
    // The budget decides how long sentences are cut, hence what a stored piece is.
    decoding: { ...translator.decode, tokenBudget: translator.tokenBudget },
  });
  // Everything else that changes an output's bytes: formats and their settings, the checks,
  // non-French handling, how the input is decoded, and fr2en itself.
  const settings = createSettingsKey({
    memoryKey,
    formats: config.formats,
    write: config.write,
    qa: translator.qa,
    minConfidence: translator.minConfidence,
    skipNonFrench: config.skipNonFrench,
    encoding: config.encoding?.name ?? 'detect',
    toolVersion: options.toolVersion,
  });
  const store = TranslationMemory.open(config.cache!);
  let disabled = false;
  // Every use goes through here: a failure stops the run, or switches the cache off once.
  const guard = <T>(use: () => T, fallback: T): T => {
    if (disabled) return fallback;
    try {
      return use();
    } catch (error) {
      if (!(error instanceof TranslationMemoryError) || config.cacheErrors === 'stop') throw error;
      disabled = true;
      options.onDisabled?.(error);
      return fallback;
    }
  };
  return {
    memory: {
      getMany: (sources) => guard(() => store.getMany(memoryKey, sources), new Map()),
      putMany: (entries) => guard(() => store.putMany(memoryKey, entries), undefined),
    },
    outputs: {
      isUpToDate: (relPath, sourceSha256, outputs) => guard(() => store.isUpToDate({ relPath, sourceSha256, settings, outputs }), false),
      markDone: (relPath, sourceSha256, outputs) => guard(() => store.markDone({ relPath, sourceSha256, settings, outputs }), undefined),
      forget: (outputs) => guard(() => store.forget(outputs), undefined),
    },
    close: () => store.close(),
  };
}
