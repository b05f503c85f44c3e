/**
 * config.json and generation_config.json with opus-mt-fr-en's field names and token-id layout
 * (eos = bos = 0, unk = 1, pad = decoder start = last id). transformers.js reads the layer,
 * head and d_model fields to name and shape the cache; the rest documents the architecture
 * (activation, scaling and positions are baked into the graph, not read at run time).
 */
import type { MarianDims } from './presets.js';

export const EOS_TOKEN_ID = 0;
export const UNK_TOKEN_ID = 1;
export const padTokenId = (dims: MarianDims): number => dims.vocabSize - 1;

/** Marian's generation defaults, shared by both files as in the real model. */
function generationDefaults(dims: MarianDims): Record<string, unknown> {
  const pad = padTokenId(dims);
  return {
    bad_words_ids: [[pad]],
    bos_token_id: EOS_TOKEN_ID,
    decoder_start_token_id: pad,
    eos_token_id: EOS_TOKEN_ID,
    forced_eos_token_id: EOS_TOKEN_ID,
    max_length: dims.maxLength,
    num_beams: 4,
    pad_token_id: pad,
  };
}

export interface ModelCardInfo {
  readonly preset: string;
  readonly seed: number;
  readonly eosUnreachable: boolean;
}

/** Bumped when the generated graphs change, so that cached models are regenerated. */
export const GRAPH_LAYOUT = 2; // 2: Optimum's merged-decoder layout

export function modelConfig(dims: MarianDims, info: ModelCardInfo): Record<string, unknown> {
  return {
    _name_or_path: `fr2en-generated/${info.preset}`,
    // Not read by transformers.js; records how the random model was made.
    fr2en_generated: { graph_layout: GRAPH_LAYOUT, preset: info.preset, seed: info.seed, eos_unreachable: info.eosUnreachable, eos_bias: dims.eosBias },
    activation_dropout: 0,
    activation_function: 'swish',
    add_bias_logits: false,
    add_final_layer_norm: false,
    architectures: ['MarianMTModel'],
    attention_dropout: 0,
    classif_dropout: 0,
    classifier_dropout: 0,
    d_model: dims.dModel,
    decoder_attention_heads: dims.heads,
    decoder_ffn_dim: dims.ffnDim,
    decoder_layerdrop: 0,
    decoder_layers: dims.decoderLayers,
    decoder_vocab_size: dims.vocabSize,
    dropout: 0.1,
    encoder_attention_heads: dims.heads,
    encoder_ffn_dim: dims.ffnDim,
    encoder_layerdrop: 0,
    encoder_layers: dims.encoderLayers,
    init_std: 0.02,
    is_encoder_decoder: true,
    max_position_embeddings: dims.maxPositions,
    model_type: 'marian',
    normalize_before: false,
    normalize_embedding: false,
    num_hidden_layers: dims.encoderLayers,
    scale_embedding: true,
    share_encoder_decoder_embeddings: true,
    static_position_embeddings: true,
    tie_word_embeddings: true,
    use_cache: true,
    vocab_size: dims.vocabSize,
    ...generationDefaults(dims),
  };
}

export function generationConfig(dims: MarianDims): Record<string, unknown> {
  return { ...generationDefaults(dims), renormalize_logits: true };
}
