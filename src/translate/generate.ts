/**
 * One batch through the model, as the worker runs it: fr2en's decoding settings mapped onto the
 * decode module (greedy or beam search over transformers.js' sessions). Limits are per sentence,
 * so a sentence's translation does not depend on which sentences share its batch.
 */
import type { PreTrainedModel, PreTrainedTokenizer } from '@huggingface/transformers';
import { decodeBatch, searchConfigFor, type SearchConfig } from './decode/index.js';
import type { DecodeSettings } from './protocol.js';

export interface GeneratedBatch {
  translations: string[];
  /** Target tokens produced, not counting the decoder start token. */
  generatedTokens: number;
}

/** Most new tokens for a sentence of `sourceTokens` tokens: tied to the source, so a loop stops. */
export function maxNewTokensFor(sourceTokens: number, decode: DecodeSettings, modelLimit: number): number {
  return Math.max(1, Math.min(modelLimit, Math.ceil(sourceTokens * decode.maxNewTokensFactor) + decode.maxNewTokensMargin));
}

export function searchConfig(model: PreTrainedModel, decode: DecodeSettings): SearchConfig {
  // The model's own limit (max_length - 1 new tokens) stays the ceiling.
  const modelLimit = searchConfigFor(model, { numBeams: 1 }).maxNewTokens as number;
  return searchConfigFor(model, {
    numBeams: decode.beams,
    maxNewTokens: (sourceTokens) => maxNewTokensFor(sourceTokens, decode, modelLimit),
    noRepeatNgramSize: decode.noRepeatNgramSize,
    repetitionPenalty: decode.repetitionPenalty,
    forceLength: decode.forceLength ?? false,
  });
}

export async function generateBatch(
  model: PreTrainedModel,
  tokenizer: PreTrainedTokenizer,
  texts: string[],
  config: SearchConfig,
): Promise<GeneratedBatch> {
  const results = await decodeBatch(model, tokenizer, texts, config);
  return {
    translations: results.map((result) => result.text.trim()),
    generatedTokens: results.reduce((sum, result) => sum + result.tokens.length, 0),
  };
}
