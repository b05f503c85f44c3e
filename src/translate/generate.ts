import type { PreTrainedModel, PreTrainedTokenizer, Tensor } from '@huggingface/transformers';
import type { DecodeSettings } from './protocol.js';

export interface GeneratedBatch {
  translations: string[];
  /** Target tokens produced, not counting padding or the decoder start token. */
  generatedTokens: number;
}

/** The token limit for a batch whose longest source has `sourceTokens` tokens. */
export function maxNewTokensFor(sourceTokens: number, decode: DecodeSettings): number {
  return Math.min(512, Math.ceil(sourceTokens * decode.maxNewTokensFactor) + decode.maxNewTokensMargin);
}

/**
 * Translates one batch with transformers.js' own `generate` (greedy decoding).
 * The tokenizer pads the batch; Marian's attention masks make each row's output independent
 * of its neighbours, so batching changes speed, not results.
 */
export async function generateBatch(
  model: PreTrainedModel,
  tokenizer: PreTrainedTokenizer,
  texts: string[],
  maxNewTokens: number,
  decode: DecodeSettings,
): Promise<GeneratedBatch> {
  // Truncation stays off: the token-budget stage already cut every text below the model's limit,
  // and a silent cut here would drop words.
  const inputs = tokenizer(texts, { padding: true, truncation: false });
  const output = (await model.generate({
    ...inputs,
    max_new_tokens: maxNewTokens,
    ...(decode.forceLength ? { min_new_tokens: maxNewTokens } : {}),
    num_beams: 1,
    do_sample: false,
    no_repeat_ngram_size: decode.noRepeatNgramSize,
    repetition_penalty: decode.repetitionPenalty,
  })) as Tensor;
  const padId = (model.config as unknown as { pad_token_id: number }).pad_token_id;
  const ids = output.tolist() as bigint[][];
  // Column 0 is the decoder start token (= pad for Marian); count the rest that are not padding.
  let generatedTokens = 0;
  for (const row of ids) for (let i = 1; i < row.length; i++) if (Number(row[i]) !== padId) generatedTokens++;
  const translations = tokenizer.batch_decode(output, { skip_special_tokens: true });
  return { translations, generatedTokens };
}
