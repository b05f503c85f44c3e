/**
 * Decoding for Marian translation models loaded with transformers.js: beam search as the model's
 * generation_config asks (opus-mt-fr-en: 4 beams), batched, with the Python transformers
 * library's semantics. transformers.js 4.x decodes greedily whatever `num_beams` says; this
 * module runs the model's sessions itself instead of calling `model.generate`.
 *
 * Flow: tokenizer (padded batch) -> encoder once -> `search` (beam or greedy) over a
 * `MarianStepDecoder` -> token ids -> tokenizer.batch_decode. No console output.
 */
import type { SentenceResult } from './beam-search.js';
import { decodeBatch } from './decode-batch.js';
import type { EncoderInput } from './marian-decoder.js';
import { searchConfigFor, type DecodeOptions, type SearchConfig } from './options.js';
import { sessionsOfModel, type Seq2SeqModelLike } from './transformers-model.js';

export type { DecodeOptions, EarlyStopping, SearchConfig } from './options.js';
export { resolveDecodeOptions, searchConfigFor } from './options.js';
export type { Hypothesis, SentenceResult } from './beam-search.js';
export type { StepDecoder } from './candidates.js';
export { beamSearch, greedySearch, lengthNormalized, search } from './beam-search.js';
export { MarianStepDecoder, type EncoderInput, type MarianSessions } from './marian-decoder.js';
export { decodeBatch } from './decode-batch.js';
export type { CandidateSource, StepCandidates } from './candidates.js';

/** The model as `AutoModelForSeq2SeqLM.from_pretrained` (or a translation pipeline's `.model`) returns it. */
export interface TranslationModel extends Seq2SeqModelLike {
  readonly generation_config?: object | null;
}

interface TokenTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
}

/** The tokenizer as `AutoTokenizer.from_pretrained` (or a pipeline's `.tokenizer`) returns it. */
export interface TranslationTokenizer {
  (texts: string[], options: { padding: boolean; truncation: boolean }): { input_ids: TokenTensor; attention_mask: TokenTensor };
  batch_decode(batch: number[][], options: { skip_special_tokens: boolean }): string[];
}

export interface DecodedSentence extends SentenceResult {
  readonly text: string;
  /** Source length in tokens (EOS included, padding not). */
  readonly sourceTokens: number;
}

/**
 * Translates `texts` as one batch: all beams of all sentences go through the decoder together.
 * Returns, per text, the best hypothesis' tokens, score and decoded text.
 */
export async function translateBatch(
  model: TranslationModel,
  tokenizer: TranslationTokenizer,
  texts: readonly string[],
  options?: DecodeOptions | SearchConfig,
): Promise<DecodedSentence[]> {
  const config = isSearchConfig(options) ? options : searchConfigFor(model, options);
  if (texts.length === 0) return [];
  const results = await decodeBatch(sessionsOfModel(model), tokenize(tokenizer, texts), config);
  const decoded = detokenize(tokenizer, results.map((r) => r.tokens));
  return results.map((r, i) => ({ ...r, text: decoded[i] }));
}

/** A padded batch, as the encoder takes it. No truncation: a silent cut would drop words; callers keep sentences under the model limit. */
export function tokenize(tokenizer: TranslationTokenizer, texts: readonly string[]): EncoderInput {
  const { input_ids, attention_mask } = tokenizer([...texts], { padding: true, truncation: false });
  const [batchSize, length] = input_ids.dims;
  return { inputIds: input_ids.data as BigInt64Array, attentionMask: attention_mask.data as BigInt64Array, batchSize, length };
}

/** Target token ids -> text, special tokens dropped. */
export function detokenize(tokenizer: TranslationTokenizer, tokens: readonly (readonly number[])[]): string[] {
  return tokenizer.batch_decode(
    tokens.map((ids) => [...ids]),
    { skip_special_tokens: true },
  );
}

function isSearchConfig(options: DecodeOptions | SearchConfig | undefined): options is SearchConfig {
  return options !== undefined && 'eosTokenIds' in options && 'decoderStartTokenId' in options;
}
