/**
 * Logits processors with the Python transformers library's meaning, split in two so that most of
 * the work needs no vocabulary-sized row:
 *
 * - `rule(ctx)`: what a row may not do at this step: the tokens it must not choose (bad words,
 *   no_repeat_ngram_size, min_new_tokens / forceLength's end-of-sentence ban) and the token it
 *   must choose (forced_eos_token_id at its last step). A decoder that picks tokens inside the
 *   model graph (marian-decoder.ts) applies these rules without returning the row.
 * - `penalize(row, ...)`: repetition_penalty, which changes values rather than banning, so it
 *   needs the whole row (`needsFullRow`).
 *
 * The row is in one of two spaces, told by `zero`, the value that stands for a log-probability
 * of 0: greedy search penalizes raw logits (`zero = 0`), as transformers.js' and the Python
 * library's greedy search do; beam search works on log-probabilities (the Python library applies
 * the processors after log_softmax), and a row of logits stands for log-probabilities through its
 * log-sum-exp (`zero`).
 *
 * `sequence` is the row's decoder input so far, decoder start token included (the Python library's
 * `input_ids` for an encoder-decoder model), and `generated` the number of tokens after it.
 */
import type { SearchConfig } from './options.js';

export interface ProcessorContext {
  /** Decoder input so far, decoder start token first. */
  readonly sequence: readonly number[];
  /** Tokens generated so far (sequence.length - 1). */
  readonly generated: number;
  /** The sentence's maximum number of new tokens. */
  readonly maxNewTokens: number;
}

export interface RowRule {
  /** Tokens the row must not choose at this step (may repeat). */
  readonly bans: readonly number[];
  /** The token the row must choose (forced end-of-sentence at its last step), or null. */
  readonly forced: number | null;
}

export class LogitsProcessors {
  readonly #config: SearchConfig;
  /** One-token bad words: always banned. */
  readonly #staticBans: readonly number[];
  /** Longer bad words: the last token is banned right after the others. */
  readonly #sequenceBans: readonly (readonly number[])[];

  constructor(config: SearchConfig) {
    this.#config = config;
    const eos = new Set(config.eosTokenIds);
    // As the Python library's NoBadWordsLogitsProcessor: a bad word that is just EOS is dropped,
    // so that banning it can never make a sentence endless.
    const bad = config.badWordsIds.filter((seq) => !(seq.length === 1 && eos.has(seq[0])));
    this.#staticBans = bad.filter((seq) => seq.length === 1).map((seq) => seq[0]);
    this.#sequenceBans = bad.filter((seq) => seq.length > 1);
  }

  /** repetition_penalty changes values, so it needs the whole row (see `penalize`). */
  get needsFullRow(): boolean {
    return this.#config.repetitionPenalty !== 1;
  }

  /** The row's bans and forced token at this step, in the Python library's order of processors. */
  rule(ctx: ProcessorContext): RowRule {
    const c = this.#config;
    const bans: number[] = [];
    if (c.noRepeatNgramSize > 0) this.#noRepeatNgram(bans, ctx);
    this.#badWords(bans, ctx);
    // min_new_tokens: EOS is banned while fewer than `minNewTokens` tokens precede it;
    // forceLength bans it until the last allowed token.
    if (ctx.generated < c.minNewTokens || (c.forceLength && ctx.generated < ctx.maxNewTokens - 1)) bans.push(...c.eosTokenIds);
    // forced_eos_token_id: the last allowed token must be EOS (all else banned, EOS log-prob 0).
    const forced = c.forcedEosTokenId !== null && ctx.generated === ctx.maxNewTokens - 1 ? c.forcedEosTokenId : null;
    return { bans, forced };
  }

  /**
   * repetition_penalty (CTRL): each distinct token of `sequence` gets score * p if its score is
   * negative, score / p otherwise; the score is the logit (greedy) or the log-probability (beam).
   * Returns the changed entries (token -> value before), for the model's own scores.
   */
  penalize(row: Float32Array, from: number, zero: number, ctx: ProcessorContext): Map<number, number> {
    const changed = new Map<number, number>();
    const p = this.#config.repetitionPenalty;
    if (p === 1) return changed;
    for (const token of new Set(ctx.sequence)) {
      const i = from + token;
      const score = row[i] - zero;
      changed.set(token, row[i]);
      row[i] = (score < 0 ? score * p : score / p) + zero;
    }
    return changed;
  }

  /**
   * no_repeat_ngram_size n: a token that would complete an n-gram already present in `sequence`
   * is banned. As in the Python library, nothing is banned while sequence.length + 1 < n, and
   * n-grams may include the decoder start token.
   */
  #noRepeatNgram(bans: number[], ctx: ProcessorContext): void {
    const n = this.#config.noRepeatNgramSize;
    const seq = ctx.sequence;
    const len = seq.length;
    if (len + 1 < n) return;
    const prefixStart = len - n + 1; // the last n - 1 tokens
    for (let j = 0; j + n <= len; j++) {
      let match = true;
      for (let k = 0; k < n - 1; k++) {
        if (seq[j + k] !== seq[prefixStart + k]) {
          match = false;
          break;
        }
      }
      if (match) bans.push(seq[j + n - 1]);
    }
  }

  /** bad_words_ids: see `DecodeOptions.badWordsIds`. */
  #badWords(bans: number[], ctx: ProcessorContext): void {
    bans.push(...this.#staticBans);
    const seq = ctx.sequence;
    for (const bad of this.#sequenceBans) {
      const prefix = bad.length - 1;
      if (seq.length < prefix) continue;
      let match = true;
      for (let k = 0; k < prefix; k++) {
        if (seq[seq.length - prefix + k] !== bad[k]) {
          match = false;
          break;
        }
      }
      if (match) bans.push(bad[prefix]);
    }
  }
}
