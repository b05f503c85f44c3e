/**
 * Decoding options: what the caller may set (`DecodeOptions`), what the search runs with
 * (`SearchConfig`), and the one place that fills the second from the first plus the model's
 * `config.json` / `generation_config.json` (`resolveDecodeOptions`). Each field is checked once,
 * here; the search code trusts `SearchConfig`.
 */

/**
 * When beam search stops, with the meaning of the Python transformers library's `early_stopping`:
 * - `true`: a sentence stops as soon as `numBeams` finished hypotheses exist.
 * - `false`: it stops when `numBeams` hypotheses are finished and the best running beam, scored as
 *   if it ended at the current length, cannot beat the worst of them (a heuristic).
 * - `'never'`: like `false`, but with a positive length penalty the best running beam is scored as
 *   if it ended at the maximum length (the canonical, exhaustive criterion).
 */
export type EarlyStopping = boolean | 'never';

export interface DecodeOptions {
  /**
   * Beams per sentence. 1 decodes greedily (as the Python library does for `num_beams: 1`).
   * @default generation_config.num_beams, else 1
   */
  readonly numBeams?: number;
  /**
   * Most target tokens per sentence, not counting the decoder start token (an EOS counts).
   * A function receives the sentence's source length in tokens (EOS included, padding not).
   * @default generation_config.max_length - 1 (the decoder start token counts in `max_length`)
   */
  readonly maxNewTokens?: number | ((sourceTokens: number) => number);
  /**
   * Fewest tokens generated before EOS may be chosen; EOS is banned while fewer exist.
   * `minNewTokens = maxNewTokens` forces every sentence to the full length (benchmarks).
   * @default generation_config.min_new_tokens, else max(0, min_length - 1), else 0
   */
  readonly minNewTokens?: number;
  /**
   * Generate exactly `maxNewTokens` tokens for every sentence: EOS is banned until the last one
   * (benchmarks, where every configuration must do the same work). @default false
   */
  readonly forceLength?: boolean;
  /**
   * Exponent on the generated length: score = sum_logprobs / generated_len ** lengthPenalty.
   * > 0 favours longer output, < 0 shorter. Beam search only.
   * @default generation_config.length_penalty, else 1
   */
  readonly lengthPenalty?: number;
  /** @default generation_config.early_stopping, else false */
  readonly earlyStopping?: EarlyStopping;
  /** n-grams of this size may occur only once per output (0 = off). @default 0 */
  readonly noRepeatNgramSize?: number;
  /**
   * Penalty on tokens already in the output (1 = off): a negative score is multiplied by it,
   * a positive one divided (CTRL paper; the Python library's definition).
   * @default 1
   */
  readonly repetitionPenalty?: number;
  /**
   * Token sequences that must not appear. A one-token entry is never generated; for a longer one,
   * its last token is banned after the rest. Entries equal to an EOS id are ignored.
   * @default generation_config.bad_words_ids (opus-mt: [[pad]]), else []
   */
  readonly badWordsIds?: readonly (readonly number[])[];
  /**
   * EOS id forced as the last token when the maximum length is reached (null = off).
   * @default generation_config.forced_eos_token_id, else null
   */
  readonly forcedEosTokenId?: number | null;
  /**
   * Renormalize log-probabilities after the processors (bans, penalties) changed them.
   * @default generation_config.renormalize_logits, else false
   */
  readonly renormalizeLogits?: boolean;
  /**
   * Compute scores for greedy search (a log_softmax over the vocabulary per token: on the
   * full-size model about a quarter of greedy decoding's time). Without it greedy results carry
   * NaN scores. Beam search always scores.
   * @default false
   */
  readonly outputScores?: boolean;
}

/** Everything the search needs, filled and checked. */
export interface SearchConfig {
  readonly numBeams: number;
  readonly maxNewTokens: number | ((sourceTokens: number) => number);
  readonly minNewTokens: number;
  readonly forceLength: boolean;
  readonly lengthPenalty: number;
  readonly earlyStopping: EarlyStopping;
  readonly noRepeatNgramSize: number;
  readonly repetitionPenalty: number;
  readonly badWordsIds: readonly (readonly number[])[];
  readonly forcedEosTokenId: number | null;
  readonly renormalizeLogits: boolean;
  readonly outputScores: boolean;
  readonly eosTokenIds: readonly number[];
  readonly padTokenId: number;
  readonly decoderStartTokenId: number;
}

/** The fields of `config.json` / `generation_config.json` this module reads (snake_case as on disk). */
export interface GenerationDefaults {
  num_beams?: number | null;
  max_length?: number | null;
  max_new_tokens?: number | null;
  min_length?: number | null;
  min_new_tokens?: number | null;
  length_penalty?: number | null;
  early_stopping?: boolean | 'never' | null;
  no_repeat_ngram_size?: number | null;
  repetition_penalty?: number | null;
  bad_words_ids?: number[][] | null;
  forced_eos_token_id?: number | number[] | null;
  renormalize_logits?: boolean | null;
  eos_token_id?: number | number[] | null;
  pad_token_id?: number | null;
  decoder_start_token_id?: number | null;
  bos_token_id?: number | null;
  max_position_embeddings?: number | null;
}

function fail(name: string, expected: string, got: unknown): never {
  throw new TypeError(`Expected \`${name}\` to be ${expected}, got ${typeof got === 'function' ? 'a function' : JSON.stringify(got)}`);
}

function integer(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) fail(name, `an integer >= ${min}`, value);
  return value;
}

function finite(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(name, 'a finite number', value);
  return value;
}

function ids(value: number | readonly number[] | null | undefined): number[] {
  if (value === null || value === undefined) return [];
  return typeof value === 'number' ? [value] : [...value];
}

/**
 * Fills `options` from the model's configs (`generation` over `model`, the caller over both) and
 * checks every field, throwing a TypeError that names it.
 */
export function resolveDecodeOptions(
  model: GenerationDefaults,
  generation: GenerationDefaults | null | undefined,
  options: DecodeOptions = {},
): SearchConfig {
  const g: GenerationDefaults = { ...model, ...stripNulls(generation ?? {}) };

  const eosTokenIds = ids(g.eos_token_id);
  if (eosTokenIds.length === 0) fail('eos_token_id', 'set in the model config', g.eos_token_id);
  for (const id of eosTokenIds) integer('eos_token_id', id, 0);
  const padTokenId = integer('pad_token_id', g.pad_token_id ?? eosTokenIds[0], 0);
  const decoderStartTokenId = integer('decoder_start_token_id', g.decoder_start_token_id ?? g.bos_token_id, 0);

  const numBeams = integer('numBeams', options.numBeams ?? g.num_beams ?? 1, 1);

  // The decoder start token counts in `max_length` (the Python library's convention for
  // encoder-decoder models), so the number of new tokens is one less.
  const positions = g.max_position_embeddings ?? Infinity;
  const defaultMax = g.max_new_tokens ?? Math.max(0, Math.min(g.max_length ?? 512, positions) - 1);
  const maxNewTokens = options.maxNewTokens ?? defaultMax;
  if (typeof maxNewTokens !== 'function') integer('maxNewTokens', maxNewTokens, 0);

  const defaultMin = g.min_new_tokens ?? Math.max(0, (g.min_length ?? 0) - 1);
  const minNewTokens = integer('minNewTokens', options.minNewTokens ?? defaultMin, 0);

  const forceLength = options.forceLength ?? false;
  if (typeof forceLength !== 'boolean') fail('forceLength', 'a boolean', forceLength);
  const lengthPenalty = finite('lengthPenalty', options.lengthPenalty ?? g.length_penalty ?? 1);
  const earlyStopping = options.earlyStopping ?? g.early_stopping ?? false;
  if (earlyStopping !== true && earlyStopping !== false && earlyStopping !== 'never') {
    fail('earlyStopping', "true, false or 'never'", earlyStopping);
  }
  const noRepeatNgramSize = integer('noRepeatNgramSize', options.noRepeatNgramSize ?? g.no_repeat_ngram_size ?? 0, 0);
  const repetitionPenalty = finite('repetitionPenalty', options.repetitionPenalty ?? g.repetition_penalty ?? 1);
  if (repetitionPenalty <= 0) fail('repetitionPenalty', 'a number > 0', repetitionPenalty);

  const badWordsIds = options.badWordsIds ?? g.bad_words_ids ?? [];
  if (!Array.isArray(badWordsIds)) fail('badWordsIds', 'an array of token-id arrays', badWordsIds);
  for (const seq of badWordsIds) {
    if (!Array.isArray(seq) || seq.length === 0) fail('badWordsIds', 'non-empty arrays of token ids', seq);
    for (const id of seq) integer('badWordsIds', id, 0);
  }

  let forcedEosTokenId: number | null;
  if (options.forcedEosTokenId !== undefined) forcedEosTokenId = options.forcedEosTokenId;
  else {
    const forced = ids(g.forced_eos_token_id);
    forcedEosTokenId = forced.length > 0 ? forced[0] : null;
  }
  if (forcedEosTokenId !== null) integer('forcedEosTokenId', forcedEosTokenId, 0);
  const renormalizeLogits = options.renormalizeLogits ?? g.renormalize_logits ?? false;
  if (typeof renormalizeLogits !== 'boolean') fail('renormalizeLogits', 'a boolean', renormalizeLogits);
  const outputScores = options.outputScores ?? false;
  if (typeof outputScores !== 'boolean') fail('outputScores', 'a boolean', outputScores);

  return Object.freeze({
    numBeams,
    maxNewTokens,
    minNewTokens,
    forceLength,
    lengthPenalty,
    earlyStopping,
    noRepeatNgramSize,
    repetitionPenalty,
    badWordsIds,
    forcedEosTokenId,
    renormalizeLogits,
    outputScores,
    eosTokenIds,
    padTokenId,
    decoderStartTokenId,
  });
}

function stripNulls(config: GenerationDefaults): GenerationDefaults {
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== null && v !== undefined));
}

/** The token limit for one sentence, checked. */
export function maxNewTokensOf(config: SearchConfig, sourceTokens: number): number {
  const { maxNewTokens } = config;
  const value = typeof maxNewTokens === 'function' ? maxNewTokens(sourceTokens) : maxNewTokens;
  return integer('maxNewTokens', value, 0);
}

/** A model's config.json and generation_config.json (a transformers.js model has both as fields). */
export interface ModelConfigs {
  readonly config: object;
  readonly generation_config?: object | null;
}

/** Resolves options against the model's config.json and generation_config.json. */
export function searchConfigFor(model: ModelConfigs, options?: DecodeOptions): SearchConfig {
  return resolveDecodeOptions(model.config as GenerationDefaults, (model.generation_config ?? null) as GenerationDefaults | null, options);
}
