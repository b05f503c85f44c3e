/**
 * The read stage: command-line inputs -> files (discover), bytes -> normalized text (decode,
 * stream), language guesses (language), and the output-path guard (safe-path).
 * Depends on nothing downstream; segment/translate/write import from here.
 */
export {
  DEFAULT_EXTENSIONS,
  type DiscoverOptions,
  type Discovery,
  discoverInputs,
  type InputSource,
  parseExtensions,
  parseShard,
  type Shard,
  shardOf,
  STDIN_MARKER,
  STDIN_REL_PATH,
} from './discover.js';
export {
  decodeBytes,
  type DecodedText,
  type EncodingInfo,
  InputDecoder,
  NewlineNormalizer,
  normalizeNewlines,
  type ResolvedEncoding,
  resolveEncoding,
  sniffBinary,
} from './bytes.js';
export { INPUT_ERROR_REASONS, InputError, type InputErrorReason } from './errors.js';
export { CANDIDATE_LANGUAGES, codeLikeness, type DetectOptions, detectFrench, type LanguageGuess } from './language.js';
export { relativeSegments, safeOutputPath } from './safe-path.js';
export {
  type ChunkCut,
  type ChunkReadOptions,
  DEFAULT_MAX_CHUNK_CHARS,
  ParagraphChunker,
  type ReadOptions,
  readParagraphChunks,
  readTextFile,
  readTextStream,
  sha256File,
  type TextChunk,
  type TextFile,
} from './stream.js';
