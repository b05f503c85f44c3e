export {
  createKeyContext,
  DEFAULT_BUSY_TIMEOUT_MS,
  defaultCachePath,
  fingerprintModelFiles,
  type KeyContextInput,
  type OpenOptions,
  type OutputRecord,
  TranslationMemory,
  TranslationMemoryError,
  type TranslationMemoryFailure,
} from './translation-memory.js';
