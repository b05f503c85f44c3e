/**
 * One batch of token ids through a Marian model's sessions: the encoder once, then beam or greedy
 * search. No tokenizer and no transformers.js here, so a worker process can load only ONNX Runtime.
 */
import { search, type SentenceResult } from './beam-search.js';
import { MarianStepDecoder, type EncoderInput, type MarianSessions } from './marian-decoder.js';
import { maxNewTokensOf, type SearchConfig } from './options.js';

export type BatchResult = SentenceResult & { readonly sourceTokens: number };

export async function decodeBatch(sessions: MarianSessions, input: EncoderInput, config: SearchConfig): Promise<BatchResult[]> {
  const { batchSize, length, attentionMask } = input;
  if (batchSize === 0) return [];
  const sourceLengths = Array.from({ length: batchSize }, (_, b) => {
    let n = 0;
    for (let j = 0; j < length; j++) n += Number(attentionMask[b * length + j]);
    return n;
  });
  const capacity = Math.max(...sourceLengths.map((n) => maxNewTokensOf(config, n)));
  const decoder = await MarianStepDecoder.start(sessions, input, capacity);
  try {
    const results = await search(decoder, sourceLengths, config);
    return results.map((r, i) => ({ ...r, sourceTokens: sourceLengths[i] }));
  } finally {
    decoder.release();
  }
}
