/**
 * The names of what fr2en adds to a decoder graph (decoder-outputs.ts writes them, the search's
 * MarianStepDecoder reads them). Kept apart so that a worker reads them without the graph editor.
 */
export const DECODER_NAMES = {
  logits: 'logits',
  logProbs: 'logprobs',
  banIds: 'fr2en_ban_ids',
  topK: 'fr2en_top_k',
  topLogProbs: 'top_logprobs',
  topIds: 'top_ids',
  banLogProbs: 'ban_logprobs',
  presentNewPrefix: 'present_new.',
  /** The first dimension of cross-attention cache inputs that take one row per sentence (shared-cross.ts). */
  sentenceDim: 'fr2en_sentences',
} as const;
