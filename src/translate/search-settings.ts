/**
 * fr2en's decoding settings mapped onto the decode module's search config (greedy or beam search
 * over transformers.js' sessions). Limits are per sentence, so a sentence's translation does not
 * depend on which sentences share its batch.
 */
import { searchConfigFor, type ModelConfigs, type SearchConfig } from './search/options.js';
import type { DecodeSettings } from './protocol.js';

export type { ModelConfigs } from './search/options.js';

/** Most new tokens for a sentence of `sourceTokens` tokens: tied to the source, so a loop stops. */
export function maxNewTokensFor(sourceTokens: number, decode: DecodeSettings, modelLimit: number): number {
  return Math.max(1, Math.min(modelLimit, Math.ceil(sourceTokens * decode.maxNewTokensFactor) + decode.maxNewTokensMargin));
}

export function searchConfig(model: ModelConfigs, decode: DecodeSettings): SearchConfig {
  // The model's own limit (max_length - 1 new tokens) stays the ceiling.
  const modelLimit = searchConfigFor(model, { numBeams: 1 }).maxNewTokens as number;
  return searchConfigFor(model, {
    numBeams: decode.beams,
    // The decode module counts the source's </s>; fr2en's limits (and the benchmark) do not.
    maxNewTokens: (sourceTokens) => maxNewTokensFor(sourceTokens - 1, decode, modelLimit),
    noRepeatNgramSize: decode.noRepeatNgramSize,
    repetitionPenalty: decode.repetitionPenalty,
    forceLength: decode.forceLength ?? false,
  });
}
