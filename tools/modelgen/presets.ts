/**
 * Model sizes. `opus-mt-fr-en` copies the real model's architecture; `tiny` is what the test
 * suite loads; `micro` has a vocabulary small enough to enumerate every short output.
 */

/** The architecture numbers a generated MarianMT model is built from. */
export interface MarianDims {
  /** Vocabulary size, specials included: `</s>` = 0, `<unk>` = 1, `<pad>` = vocabSize - 1. */
  readonly vocabSize: number;
  readonly dModel: number;
  readonly encoderLayers: number;
  readonly decoderLayers: number;
  /** Attention heads (encoder and decoder alike, as in opus-mt); must divide dModel. */
  readonly heads: number;
  /** Inner size of the feed-forward blocks. */
  readonly ffnDim: number;
  /** Rows of the sinusoidal position tables: the longest input or output, in tokens. */
  readonly maxPositions: number;
  /**
   * `max_length` in the generation config: the longest output, start token included, when the
   * caller sets no limit. 512 in the real model. Random weights rarely choose EOS, so a small
   * model's greedy output usually runs to this length; the tiny preset keeps it short so tests
   * that translate many sentences with default settings stay fast.
   */
  readonly maxLength: number;
  /**
   * Added to EOS's `final_logits_bias` (0 in the real model). With random weights, EOS is
   * otherwise about as likely as any other token (1 in vocabSize per step), so outputs would
   * almost always run to `max_length`; a positive value makes EOS likelier, giving
   * shorter outputs (too large a value and EOS comes first every time). Ignored when
   * `eosUnreachable` is set.
   * @default 0
   */
  readonly eosBias: number;
}

export const PRESETS = {
  'opus-mt-fr-en': {
    vocabSize: 59514,
    dModel: 512,
    encoderLayers: 6,
    decoderLayers: 6,
    heads: 8,
    ffnDim: 2048,
    maxPositions: 512,
    maxLength: 512,
    eosBias: 0,
  },
  tiny: {
    vocabSize: 2000,
    dModel: 32,
    encoderLayers: 2,
    decoderLayers: 2,
    heads: 4,
    ffnDim: 64,
    maxPositions: 512,
    maxLength: 64,
    eosBias: 0,
  },
  // 8 tokens: </s>, <unk>, ▁, e, a, s, t, <pad>; 8^4 = 4096 outputs of length 4.
  micro: {
    vocabSize: 8,
    dModel: 16,
    encoderLayers: 1,
    decoderLayers: 1,
    heads: 2,
    ffnDim: 32,
    maxPositions: 64,
    maxLength: 16,
    // Measured: with 1.5, greedy outputs end after 0 to 4 tokens on some inputs and run to
    // the limit on others, so short finished hypotheses exist for beam-search tests.
    eosBias: 1.5,
  },
} as const satisfies Record<string, MarianDims>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** Smallest vocabulary: the three specials plus the word boundary `▁` and one character. */
export const MIN_VOCAB_SIZE = 5;

/** Merges a preset with overrides and checks the result once. */
export function resolveDims(preset: PresetName, overrides: Partial<MarianDims> = {}): MarianDims {
  const base: MarianDims | undefined = PRESETS[preset];
  if (base === undefined) {
    throw new TypeError(`Expected \`preset\` to be one of ${PRESET_NAMES.join(', ')}, got ${JSON.stringify(preset)}`);
  }
  const dims: MarianDims = { ...base, ...stripUndefined(overrides) };
  const positive = (key: keyof MarianDims, min = 1): void => {
    const v = dims[key];
    if (!Number.isInteger(v) || v < min) {
      throw new TypeError(`Expected \`${key}\` to be an integer >= ${min}, got ${v}`);
    }
  };
  positive('vocabSize', MIN_VOCAB_SIZE);
  positive('dModel', 2);
  positive('encoderLayers');
  positive('decoderLayers');
  positive('heads');
  positive('ffnDim');
  positive('maxPositions', 2);
  positive('maxLength', 2);
  // Decoder positions index the position table: the start token plus maxLength - 1 outputs.
  if (dims.maxLength > dims.maxPositions) {
    throw new TypeError(`Expected \`maxLength\` (${dims.maxLength}) to be at most \`maxPositions\` (${dims.maxPositions})`);
  }
  if (dims.dModel % dims.heads !== 0) {
    throw new TypeError(`Expected \`dModel\` (${dims.dModel}) to be divisible by \`heads\` (${dims.heads})`);
  }
  // Marian's sinusoidal layout splits d_model into a sin half and a cos half.
  if (dims.dModel % 2 !== 0) throw new TypeError(`Expected \`dModel\` to be even, got ${dims.dModel}`);
  if (!Number.isFinite(dims.eosBias)) throw new TypeError(`Expected \`eosBias\` to be finite, got ${dims.eosBias}`);
  return Object.freeze(dims);
}

function stripUndefined<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}
