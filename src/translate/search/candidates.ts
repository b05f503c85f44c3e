/**
 * What a decoding step hands the search: for each row, its k best tokens once the processors'
 * rules are applied, with the scores the search needs. Two sources produce it:
 *
 * - a decoder graph that picks the tokens itself (marian-decoder.ts, on a prepared model): a few
 *   numbers per row come back from ONNX Runtime;
 * - any decoder returning whole rows of logits or log-probabilities (`rowCandidates`): the
 *   rules and repetition_penalty are applied here, in JavaScript.
 *
 * Scores are log-probabilities under the model's own normalization: `scores` after the processors
 * (bans removed, repetition_penalty applied), `modelLogprobs` before them. `processedLogSumExp`
 * gives what a renormalization (the Python library's `renormalize_logits`) subtracts.
 */
import type { LogitsProcessors, ProcessorContext, RowRule } from './logits-processors.js';
import { argmax, logSumExp, offerRow, TopK } from './top-k.js';

/** Beam search scores log-probabilities; greedy search penalizes raw logits, as the Python library does. */
export type SearchKind = 'greedy' | 'beam';

export interface StepCandidates {
  /** Candidates per row. */
  readonly k: number;
  /** Row r's candidates, best first, at [r * k, r * k + k): token ids (-1 past the row's last allowed token). */
  readonly ids: Int32Array;
  /** The candidates' log-probabilities after the processors. */
  readonly scores: Float64Array;
  /** The candidates' log-probabilities under the model, before any processor. */
  readonly modelLogprobs: Float64Array;
  /** The model's own log-probability of `token` in row `row`; valid for the row's forced token. */
  modelLogprobOf(row: number, token: number): number;
  /** log of the probability mass the processors left in row `row` (0 when they removed none). */
  processedLogSumExp(row: number): number;
}

/** One step's question: feed `tokens[r]` to row r, return each row's `k` best tokens under `rules[r]`. */
export interface CandidateRequest {
  readonly tokens: Int32Array;
  readonly rules: readonly RowRule[];
  /** Row r's context, for `processors.penalize` (repetition_penalty, which needs whole rows). */
  readonly contexts: readonly ProcessorContext[];
  readonly k: number;
  readonly kind: SearchKind;
  readonly processors: LogitsProcessors;
}

/** A decoder that returns candidates (a prepared Marian decoder; `rowCandidates` for any other). */
export interface CandidateSource {
  readonly vocabSize: number;
  candidates(request: CandidateRequest): Promise<StepCandidates>;
  /** Re-forms the rows: new row r continues old row `sourceRows[r]`. */
  select(sourceRows: Int32Array): void;
}

/**
 * A decoder that advances rows one token at a time, keeping its own cache, and returns whole rows
 * of logits. Rows start as one per sentence, in sentence order.
 */
export interface StepDecoder {
  readonly vocabSize: number;
  /** Feeds `tokens[r]` as the next input of row r; resolves to logits `[rows * vocabSize]`. */
  step(tokens: Int32Array): Promise<Float32Array>;
  /**
   * Re-forms the rows: new row r continues old row `sourceRows[r]` (its cache and encoder
   * context). Rows may be duplicated or dropped.
   */
  select(sourceRows: Int32Array): void;
}

/** Candidates from whole rows: the processors' rules and penalty applied here. */
export function rowCandidates(decoder: StepDecoder): CandidateSource {
  return {
    vocabSize: decoder.vocabSize,
    select: (sourceRows) => decoder.select(sourceRows),
    candidates: async (request) => candidatesFromRows(await decoder.step(request.tokens), decoder.vocabSize, request),
  };
}

/**
 * The candidates of `rows` (rows x vocab, changed in place): repetition_penalty, then the bans,
 * then the k best.
 */
export function candidatesFromRows(rows: Float32Array, vocab: number, { rules, contexts, k, kind, processors }: CandidateRequest): StepCandidates {
  const count = rules.length;
  const ids = new Int32Array(count * k).fill(-1);
  const scores = new Float64Array(count * k).fill(-Infinity);
  const modelLogprobs = new Float64Array(count * k).fill(-Infinity);
  const lse = new Float64Array(count);
  const originals: Map<number, number>[] = [];
  const heap = k > 1 ? new TopK(k) : undefined;
  for (let r = 0; r < count; r++) {
    const from = r * vocab;
    const zero = logSumExp(rows, from, vocab);
    lse[r] = zero;
    // Greedy penalizes raw scores (zero 0); beam search log-probabilities (zero = the row's lse).
    const changed = processors.penalize(rows, from, kind === 'beam' ? zero : 0, contexts[r]);
    for (const token of rules[r].bans) {
      if (!changed.has(token)) changed.set(token, rows[from + token]);
      rows[from + token] = -Infinity;
    }
    originals.push(changed);
    const own = (token: number) => (changed.get(token) ?? rows[from + token]) - zero;
    if (heap === undefined) {
      const token = argmax(rows, from, vocab);
      ids[r] = token;
      scores[r] = rows[from + token] - zero;
      modelLogprobs[r] = own(token);
      continue;
    }
    heap.clear();
    offerRow(heap, rows, from, vocab, -zero, 0);
    heap.sorted().forEach(({ score, index }, j) => {
      ids[r * k + j] = index;
      scores[r * k + j] = score;
      modelLogprobs[r * k + j] = own(index);
    });
  }
  return {
    k,
    ids,
    scores,
    modelLogprobs,
    modelLogprobOf: (row, token) => (originals[row].get(token) ?? rows[row * vocab + token]) - lse[row],
    processedLogSumExp: (row) => logSumExp(rows, row * vocab, vocab) - lse[row],
  };
}
