/**
 * One batch through the model, as the worker runs it: fr2en's decoding settings mapped onto the
 * decode module (greedy or beam search over transformers.js' sessions). Limits are per sentence,
 * so a sentence's translation does not depend on which sentences share its batch.
 */
import type { PreTrainedModel, PreTrainedTokenizer } from '@huggingface/transformers';
import { decodeBatch, searchConfigFor, type DecodedSentence, type SearchConfig } from './decode/index.js';
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
    // The decode module counts the source's </s>; fr2en's limits (and the benchmark) do not.
    maxNewTokens: (sourceTokens) => maxNewTokensFor(sourceTokens - 1, decode, modelLimit),
    noRepeatNgramSize: decode.noRepeatNgramSize,
    repetitionPenalty: decode.repetitionPenalty,
    forceLength: decode.forceLength ?? false,
  });
}

/**
 * Decodes `texts` in `streams` concurrent lanes on the same sessions. ONNX Runtime runs each call
 * off the JavaScript thread, so while one lane's decoder step computes, this thread does the
 * other's argmax and cache bookkeeping: both cores stay busy with one copy of the weights (two
 * workers would need two). The batch is cut into twice as many sub-batches as lanes, taken in
 * turn, so a lane that finishes early picks up work instead of idling. The texts arrive sorted
 * by length, so each contiguous sub-batch holds similar lengths.
 */
export async function generateBatch(
  model: PreTrainedModel,
  tokenizer: PreTrainedTokenizer,
  texts: string[],
  config: SearchConfig,
  streams = 1,
): Promise<GeneratedBatch> {
  const size = streams > 1 ? Math.ceil(texts.length / (streams * 2)) : texts.length;
  const parts = Array.from({ length: Math.ceil(texts.length / size) }, (_, i) => texts.slice(i * size, (i + 1) * size));
  const done: DecodedSentence[][] = [];
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < parts.length; i = next++) done[i] = await decodeBatch(model, tokenizer, parts[i], config);
  };
  await Promise.all(Array.from({ length: Math.min(streams, parts.length) }, lane));
  const results = done.flat();
  return {
    translations: results.map((result) => result.text.trim()),
    generatedTokens: results.reduce((sum, result) => sum + result.tokens.length, 0),
  };
}
