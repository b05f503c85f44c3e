/**
 * Batched beam search (and greedy search) over a step-wise decoder, with the semantics of the
 * Python transformers library's `generate` for an encoder-decoder model (its vectorized
 * `_beam_search`, v4.50+).
 *
 * Lengths: a row's decoder input starts with the decoder start token, which is the whole decoder
 * prompt (decoder_prompt_len = 1). "Generated length" is the number of tokens after it, the EOS
 * included when the hypothesis ends with one.
 *
 * Per sentence, at each step (g tokens generated so far by the running beams):
 * 1. log-probs = processors(log_softmax(logits)) for every running beam; a candidate is (beam,
 *    token) with score beam.sum_logprobs + log-prob. The best K = max(2, 1 + #eos) * numBeams
 *    candidates are kept, best first (ties: lower beam, then lower token id).
 * 2. A candidate "hits a stop" when its token is an EOS or it reaches the maximum length
 *    (g + 1 = maxNewTokens).
 * 3. Running beams for the next step: the best numBeams candidates that did not hit a stop.
 * 4. Finished hypotheses: among the best numBeams candidates (rank < numBeams) those that hit a
 *    stop, with score = sum_logprobs / (generated_len ** lengthPenalty), generated_len = g + 1
 *    (EOS counted, decoder start not). They enter the sentence's numBeams best finished
 *    hypotheses unless (earlyStopping === true and numBeams are already finished) or the sentence
 *    was already found unable to improve (step 6).
 * 5. g += 1.
 * 6. Can a running beam still improve? best_possible = best running sum_logprobs / L ** lengthPenalty
 *    with L = maxNewTokens if earlyStopping === 'never' and lengthPenalty > 0 (the longest it
 *    could get), else L = g (the current generated length; a heuristic for earlyStopping false).
 *    The sentence cannot improve once numBeams hypotheses are finished and
 *    best_possible <= the worst finished score.
 * A sentence is done when it cannot improve, or earlyStopping === true and numBeams hypotheses
 * are finished, or it reached its maximum length. In the Python library the batch runs until all
 * sentences are done but a done sentence accepts no more hypotheses; here a done sentence's rows
 * leave the decoder batch at once, which gives the same results with less work.
 *
 * Deliberate difference: the Python library starts with numBeams copies of each sentence scored
 * (0, -1e9, -1e9, ...) and may keep such -1e9 beams when fewer than numBeams real continuations
 * exist (only with tiny vocabularies or heavy bans). Here the first step runs one row per
 * sentence and a missing beam is a dead row (score -Infinity) that never yields a candidate.
 */
import { rowCandidates, type CandidateSource, type StepCandidates, type StepDecoder } from './candidates.js';
import { LogitsProcessors, type ProcessorContext, type RowRule } from './logits-processors.js';
import { maxNewTokensOf, type SearchConfig } from './options.js';
import { TopK } from './top-k.js';

/** What the searches take: a decoder of whole rows, or one that returns candidates (candidates.ts). */
export type SearchDecoder = StepDecoder | CandidateSource;

function candidateSource(decoder: SearchDecoder): CandidateSource {
  return 'candidates' in decoder ? decoder : rowCandidates(decoder);
}

export interface Hypothesis {
  /** Generated tokens, decoder start token excluded, EOS included when the output ended with it. */
  readonly tokens: readonly number[];
  /** sum_logprobs / tokens.length ** lengthPenalty (greedy search: the same, or NaN without `outputScores`). */
  readonly score: number;
  /** Sum of the (processed) log-probabilities of `tokens`. */
  readonly sumLogprobs: number;
  /**
   * Sum of the model's own log-probabilities of `tokens` (log-softmax of the raw logits, before
   * any logits processor): what a teacher-forced pass over `tokens` would give. Its mean per
   * token is fr2en's confidence.
   */
  readonly modelLogprob: number;
  /** The hypothesis reached its maximum length without the model choosing end-of-sentence. */
  readonly truncated: boolean;
}

export interface SentenceResult extends Hypothesis {
  /** The finished hypotheses, best first (just the result for greedy search). */
  readonly hypotheses: readonly Hypothesis[];
}

interface Beam {
  /** Decoder input: decoder start token, then generated tokens. */
  readonly sequence: number[];
  /** Sum of log-probs; -Infinity for a dead filler row. */
  readonly sumLogprobs: number;
  /** Sum of the model's own log-probs of the generated tokens (see Hypothesis.modelLogprob). */
  readonly modelLogprob: number;
}

interface SentenceState {
  readonly index: number;
  readonly maxNewTokens: number;
  beams: Beam[];
  /** Best first, at most numBeams. */
  readonly finished: Hypothesis[];
}

/**
 * Runs beam search (numBeams > 1) or greedy search (numBeams = 1) for `sourceLengths.length`
 * sentences. `sourceLengths[i]` feeds a per-sentence `maxNewTokens` function.
 */
export async function search(
  decoder: SearchDecoder,
  sourceLengths: readonly number[],
  config: SearchConfig,
): Promise<SentenceResult[]> {
  return config.numBeams === 1
    ? greedySearch(decoder, sourceLengths, config)
    : beamSearch(decoder, sourceLengths, config);
}

/** Python's `sum / len ** penalty`; an empty output scores its sum (0). */
export function lengthNormalized(sumLogprobs: number, generatedLength: number, lengthPenalty: number): number {
  return generatedLength === 0 ? sumLogprobs : sumLogprobs / generatedLength ** lengthPenalty;
}

/**
 * The best score the best running beam (sum of log-probs `bestRunningSum`, `generatedLength`
 * tokens) is assumed to reach, as the Python library's early-stopping heuristic:
 * - earlyStopping 'never' with lengthPenalty > 0: sum / maxNewTokens ** lengthPenalty (log-probs
 *   only fall, but a longer length divides by more, so the longest length bounds the score);
 * - otherwise (false, true, or 'never' with lengthPenalty <= 0): sum / generatedLength ** lengthPenalty.
 * A sentence with numBeams finished hypotheses stops improving once this is <= the worst of them.
 */
export function bestPossibleScore(
  bestRunningSum: number,
  generatedLength: number,
  maxNewTokens: number,
  lengthPenalty: number,
  earlyStopping: SearchConfig['earlyStopping'],
): number {
  const length = earlyStopping === 'never' && lengthPenalty > 0 ? maxNewTokens : generatedLength;
  return bestRunningSum / length ** lengthPenalty;
}

export async function beamSearch(
  decoder: SearchDecoder,
  sourceLengths: readonly number[],
  config: SearchConfig,
): Promise<SentenceResult[]> {
  const { numBeams, lengthPenalty, earlyStopping } = config;
  const vocab = decoder.vocabSize;
  const eos = new Set(config.eosTokenIds);
  const keep = Math.max(2, 1 + eos.size) * numBeams;
  const processors = new LogitsProcessors(config);
  const source = candidateSource(decoder);
  const heap = new TopK(keep);
  const results: SentenceResult[] = new Array(sourceLengths.length);

  let active = startSentences(source, sourceLengths, config, (s) => (results[s.index] = finalize(s)));

  let generated = 0;
  while (active.length > 0) {
    const tokens: number[] = [];
    const rules: RowRule[] = [];
    const contexts: ProcessorContext[] = [];
    for (const s of active) {
      for (const b of s.beams) {
        const ctx = { sequence: b.sequence, generated, maxNewTokens: s.maxNewTokens };
        tokens.push(b.sequence[b.sequence.length - 1]);
        contexts.push(ctx);
        rules.push(processors.rule(ctx));
      }
    }
    const step = await source.candidates({ tokens: Int32Array.from(tokens), rules, contexts, k: keep, kind: 'beam', processors });

    const nextActive: SentenceState[] = [];
    const sourceRows: number[] = [];
    let rowBase = 0;
    for (const s of active) {
      const rows = s.beams.length;
      // 1. The best `keep` candidates over all beams of the sentence: each row's own best `keep`
      // hold them all. Scores are renormalized when the model asks for it (LogitNormalization).
      heap.clear();
      for (let b = 0; b < rows; b++) {
        const beam = s.beams[b];
        if (beam.sumLogprobs === -Infinity) continue;
        const row = rowBase + b;
        const forced = rules[row].forced;
        // forced_eos_token_id: the row's only candidate, with log-prob 0 after renormalization.
        if (forced !== null) heap.push(beam.sumLogprobs, b * vocab + forced);
        else {
          const zero = config.renormalizeLogits ? step.processedLogSumExp(row) : 0;
          for (let j = 0; j < step.k; j++) {
            const token = step.ids[row * step.k + j];
            if (token < 0) break;
            heap.push(beam.sumLogprobs + step.scores[row * step.k + j] - zero, b * vocab + token);
          }
        }
      }
      const candidates = heap.sorted();

      // 2-4. Split candidates into running beams and finished hypotheses.
      // (A sentence still here could improve on its finished hypotheses: it would have stopped.)
      const atMax = generated + 1 >= s.maxNewTokens;
      const running: { beam: Beam; row: number }[] = [];
      for (let rank = 0; rank < candidates.length; rank++) {
        const { score, index } = candidates[rank];
        const b = Math.floor(index / vocab);
        const token = index - b * vocab;
        const parent = s.beams[b];
        const modelLogprob = parent.modelLogprob + modelLogprobOf(step, rowBase + b, token);
        if (eos.has(token) || atMax) {
          if (rank < numBeams) {
            const tokens = [...parent.sequence.slice(1), token];
            insertFinished(s.finished, numBeams, {
              tokens,
              sumLogprobs: score,
              score: lengthNormalized(score, generated + 1, lengthPenalty),
              modelLogprob,
              truncated: atMax && (!eos.has(token) || rules[rowBase + b].forced !== null),
            });
          }
        } else if (running.length < numBeams) {
          running.push({ beam: { sequence: [...parent.sequence, token], sumLogprobs: score, modelLogprob }, row: rowBase + b });
        }
      }

      // 6. Early-stopping heuristic (with the length after this step: generated + 1).
      let canImprove = true;
      if (s.finished.length === numBeams && running.length > 0) {
        const best = bestPossibleScore(running[0].beam.sumLogprobs, generated + 1, s.maxNewTokens, lengthPenalty, earlyStopping);
        canImprove = best > s.finished[s.finished.length - 1].score;
      }

      const done =
        atMax ||
        running.length === 0 ||
        !canImprove ||
        (earlyStopping === true && s.finished.length === numBeams);
      if (done) {
        results[s.index] = finalize(s);
      } else {
        // Keep numBeams rows per sentence; missing beams are dead copies of the best one, so the
        // row-to-sentence layout (and the encoder side of the cache) stays put between steps.
        const beams: Beam[] = [];
        for (let i = 0; i < numBeams; i++) {
          const r = running[i] ?? { beam: { ...running[0].beam, sumLogprobs: -Infinity }, row: running[0].row };
          beams.push(r.beam);
          sourceRows.push(r.row);
        }
        s.beams = beams;
        nextActive.push(s);
      }
      rowBase += rows;
    }
    generated++;
    active = nextActive;
    if (active.length > 0) source.select(Int32Array.from(sourceRows));
  }
  return results;
}

/** The model's log-probability of a chosen token (found among the row's candidates, or asked for: a forced token). */
function modelLogprobOf(step: StepCandidates, row: number, token: number): number {
  for (let j = 0; j < step.k; j++) if (step.ids[row * step.k + j] === token) return step.modelLogprobs[row * step.k + j];
  return step.modelLogprobOf(row, token);
}

/**
 * One state per sentence, holding the decoder start token. Sentences allowed no token at all go
 * to `finishEmpty` at once, and their rows leave the decoder before it runs.
 */
function startSentences(
  decoder: CandidateSource,
  sourceLengths: readonly number[],
  config: SearchConfig,
  finishEmpty: (s: SentenceState) => void,
): SentenceState[] {
  const keepRows: number[] = [];
  const active = sourceLengths
    .map((len, index): SentenceState => ({
      index,
      maxNewTokens: maxNewTokensOf(config, len),
      beams: [{ sequence: [config.decoderStartTokenId], sumLogprobs: 0, modelLogprob: 0 }],
      finished: [],
    }))
    .filter((s, row) => {
      if (s.maxNewTokens > 0) keepRows.push(row);
      else finishEmpty(s);
      return s.maxNewTokens > 0;
    });
  if (keepRows.length !== sourceLengths.length && keepRows.length > 0) decoder.select(Int32Array.from(keepRows));
  return active;
}

/** Inserts `hyp` into `finished` (best first, at most `limit`), after equal scores already there. */
function insertFinished(finished: Hypothesis[], limit: number, hyp: Hypothesis): void {
  let i = finished.length;
  while (i > 0 && finished[i - 1].score < hyp.score) i--;
  if (i >= limit) return;
  finished.splice(i, 0, hyp);
  if (finished.length > limit) finished.pop();
}

function finalize(s: SentenceState): SentenceResult {
  const best = s.finished[0] ?? { tokens: [], score: -Infinity, sumLogprobs: -Infinity, modelLogprob: -Infinity, truncated: true };
  if (s.maxNewTokens === 0 && s.finished.length === 0) {
    const empty = { tokens: [], score: 0, sumLogprobs: 0, modelLogprob: 0, truncated: true };
    return { ...empty, hypotheses: [empty] };
  }
  return { ...best, hypotheses: [...s.finished] };
}

/**
 * Greedy search, as transformers.js' and the Python library's: processors on the raw logits,
 * then the first largest. A sentence leaves the batch at its first EOS or at its maximum length.
 * With `outputScores`, its score is the sum of the log-probabilities of the chosen tokens after
 * the processors, normalized with the length penalty like a beam hypothesis; otherwise NaN.
 */
export async function greedySearch(
  decoder: SearchDecoder,
  sourceLengths: readonly number[],
  config: SearchConfig,
): Promise<SentenceResult[]> {
  const eos = new Set(config.eosTokenIds);
  const processors = new LogitsProcessors(config);
  const source = candidateSource(decoder);
  const results: SentenceResult[] = new Array(sourceLengths.length);
  const finish = (s: SentenceState, truncated: boolean) => {
    const beam = s.beams[0];
    const tokens = beam.sequence.slice(1);
    const hyp = {
      tokens,
      sumLogprobs: beam.sumLogprobs,
      score: lengthNormalized(beam.sumLogprobs, tokens.length, config.lengthPenalty),
      modelLogprob: beam.modelLogprob,
      truncated,
    };
    results[s.index] = { ...hyp, hypotheses: [hyp] };
  };
  let active = startSentences(source, sourceLengths, config, (s) => finish(s, true));

  let generated = 0;
  while (active.length > 0) {
    const tokens = Int32Array.from(active, (s) => s.beams[0].sequence[s.beams[0].sequence.length - 1]);
    const contexts = active.map((s) => ({ sequence: s.beams[0].sequence, generated, maxNewTokens: s.maxNewTokens }));
    const rules = contexts.map((ctx) => processors.rule(ctx));
    const step = await source.candidates({ tokens, rules, contexts, k: 1, kind: 'greedy', processors });
    const nextActive: SentenceState[] = [];
    const sourceRows: number[] = [];
    active.forEach((s, row) => {
      const beam = s.beams[0];
      const forced = rules[row].forced;
      // No allowed token at all: 0, as an argmax over a row of -Infinity gives.
      const token = forced ?? Math.max(0, step.ids[row * step.k]);
      const modelLogprob = beam.modelLogprob + modelLogprobOf(step, row, token);
      // The chosen token's log-probability after the processors, renormalized (a forced token's is 0).
      const logprob = !config.outputScores ? Number.NaN : forced !== null ? 0 : step.scores[row * step.k] - step.processedLogSumExp(row);
      s.beams = [{ sequence: [...beam.sequence, token], sumLogprobs: beam.sumLogprobs + logprob, modelLogprob }];
      const atMax = generated + 1 >= s.maxNewTokens;
      if (eos.has(token) || atMax) finish(s, atMax && (!eos.has(token) || forced !== null));
      else {
        nextActive.push(s);
        sourceRows.push(row);
      }
    });
    generated++;
    if (nextActive.length > 0 && nextActive.length !== active.length) source.select(Int32Array.from(sourceRows));
    active = nextActive;
  }
  return results;
}
