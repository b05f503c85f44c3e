/**
 * Logits processors with the Python transformers library's meaning, applied in place to one row
 * of the vocabulary.
 *
 * The row is in one of two spaces, told by `zero`, the value that stands for a log-probability
 * of 0:
 * - greedy search works on raw logits (`zero = 0`), as transformers.js' and the Python library's
 *   greedy search do;
 * - beam search works on log-probabilities (the Python library applies the processors after
 *   log_softmax). To avoid rewriting the whole row, the row keeps its logits and `zero` is its
 *   log-sum-exp: log_prob = value - zero. Bans only write -Infinity and the repetition penalty
 *   touches a few entries, so converting those entries is enough.
 *
 * `sequence` is the row's decoder input so far, decoder start token included (the Python library's
 * `input_ids` for an encoder-decoder model), and `generated` the number of tokens after it.
 */
import type { SearchConfig } from './options.js';
import { logSumExp } from './top-k.js';

export interface ProcessorContext {
  /** Decoder input so far, decoder start token first. */
  readonly sequence: readonly number[];
  /** Tokens generated so far (sequence.length - 1). */
  readonly generated: number;
  /** The sentence's maximum number of new tokens. */
  readonly maxNewTokens: number;
}

export class LogitsProcessors {
  readonly #config: SearchConfig;
  /** One-token bad words: always banned. */
  readonly #staticBans: readonly number[];
  /** Longer bad words: the last token is banned right after the others. */
  readonly #sequenceBans: readonly (readonly number[])[];
  /** Entries changed by the last `apply` (token -> value before), for `renormalizer`. */
  readonly #changed = new Map<number, number>();
  /** The last `apply` rewrote the whole row (forced EOS). */
  #rewritten = false;

  constructor(config: SearchConfig) {
    this.#config = config;
    const eos = new Set(config.eosTokenIds);
    // As the Python library's NoBadWordsLogitsProcessor: a bad word that is just EOS is dropped,
    // so that banning it can never make a sentence endless.
    const bad = config.badWordsIds.filter((seq) => !(seq.length === 1 && eos.has(seq[0])));
    this.#staticBans = bad.filter((seq) => seq.length === 1).map((seq) => seq[0]);
    this.#sequenceBans = bad.filter((seq) => seq.length > 1);
  }

  /** Applies every enabled processor to `row[from .. from + vocab)`, in the Python library's order. */
  apply(row: Float32Array, from: number, vocab: number, zero: number, ctx: ProcessorContext): void {
    const c = this.#config;
    this.#changed.clear();
    this.#rewritten = false;
    if (c.repetitionPenalty !== 1) this.#repetitionPenalty(row, from, zero, ctx);
    if (c.noRepeatNgramSize > 0) this.#noRepeatNgram(row, from, ctx);
    this.#badWords(row, from, ctx);
    // min_new_tokens: EOS is banned while fewer than `minNewTokens` tokens precede it;
    // forceLength bans it until the last allowed token.
    if (ctx.generated < c.minNewTokens || (c.forceLength && ctx.generated < ctx.maxNewTokens - 1)) for (const eos of c.eosTokenIds) this.#set(row, from, eos, -Infinity);
    // forced_eos_token_id: the last allowed token must be EOS (all else banned, EOS log-prob 0).
    if (c.forcedEosTokenId !== null && ctx.generated === ctx.maxNewTokens - 1) {
      this.#set(row, from, c.forcedEosTokenId, zero); // remembers the model's own value
      row.fill(-Infinity, from, from + vocab);
      row[from + c.forcedEosTokenId] = zero;
      this.#rewritten = true;
    }
  }

  /** Whether the last `apply` forced the end-of-sentence token (the sentence hit its limit). */
  get forcedEos(): boolean {
    return this.#rewritten;
  }

  /**
   * The value `row[from + token]` had before the last `apply`: the model's own score of a token
   * the processors may have changed (a forced EOS, a penalised repeat).
   */
  original(row: Float32Array, from: number, token: number): number {
    return this.#changed.get(token) ?? row[from + token];
  }

  /** The entries the last `apply` changed (token -> value before), kept past the next `apply`. */
  changedEntries(): ReadonlyMap<number, number> {
    return new Map(this.#changed);
  }

  /**
   * The log-sum-exp of the row after the last `apply`, given `zero`, its value before: the
   * renormalizer of the Python library's LogitNormalization (log_softmax after the processors).
   * The processors touch a few entries, so the sum is corrected for those instead of recomputed:
   * lse' = lse + log(1 - sum p_before + sum p_after) over the changed entries. When the
   * correction removes most of the mass (precision) or the row was rewritten, it is recomputed.
   */
  renormalizer(row: Float32Array, from: number, vocab: number, zero: number): number {
    if (this.#rewritten) return logSumExp(row, from, vocab);
    if (this.#changed.size === 0) return zero;
    let delta = 0;
    for (const [token, before] of this.#changed) delta += Math.exp(row[from + token] - zero) - Math.exp(before - zero);
    return delta > -0.5 ? zero + Math.log1p(delta) : logSumExp(row, from, vocab);
  }

  /** Writes one entry, remembering its first value. */
  #set(row: Float32Array, from: number, token: number, value: number): void {
    if (!this.#changed.has(token)) this.#changed.set(token, row[from + token]);
    row[from + token] = value;
  }

  /** Whether `apply` may change anything at this context (lets callers skip renormalization). */
  get active(): boolean {
    const c = this.#config;
    return (
      c.repetitionPenalty !== 1 ||
      c.noRepeatNgramSize > 0 ||
      this.#staticBans.length > 0 ||
      this.#sequenceBans.length > 0 ||
      c.minNewTokens > 0 ||
      c.forceLength ||
      c.forcedEosTokenId !== null
    );
  }

  /**
   * repetition_penalty (CTRL): each distinct token of `sequence` gets score * p if its score is
   * negative, score / p otherwise; the score is the logit (greedy) or the log-probability (beam).
   */
  #repetitionPenalty(row: Float32Array, from: number, zero: number, ctx: ProcessorContext): void {
    const p = this.#config.repetitionPenalty;
    for (const token of new Set(ctx.sequence)) {
      const i = from + token;
      const score = row[i] - zero;
      this.#set(row, from, token, (score < 0 ? score * p : score / p) + zero);
    }
  }

  /**
   * no_repeat_ngram_size n: a token that would complete an n-gram already present in `sequence`
   * is banned. As in the Python library, nothing is banned while sequence.length + 1 < n, and
   * n-grams may include the decoder start token.
   */
  #noRepeatNgram(row: Float32Array, from: number, ctx: ProcessorContext): void {
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
      if (match) this.#set(row, from, seq[j + n - 1], -Infinity);
    }
  }

  /** bad_words_ids: see `DecodeOptions.badWordsIds`. */
  #badWords(row: Float32Array, from: number, ctx: ProcessorContext): void {
    for (const token of this.#staticBans) this.#set(row, from, token, -Infinity);
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
      if (match) this.#set(row, from, bad[prefix], -Infinity);
    }
  }
}
