/**
 * Beam search against hand-made step decoders: a table of next-token distributions (hand-computed
 * cases for the length penalty and early stopping) and a seeded pseudo-random "language model"
 * (brute-force optimality, batching). Both implement `StepDecoder` and track each row's prefix,
 * so `select` is exercised exactly as the real Marian adapter is.
 */
import { describe, expect, it } from 'vitest';
import { beamSearch, bestPossibleScore, greedySearch, lengthNormalized } from '../src/translate/search/beam-search.js';
import type { StepDecoder } from '../src/translate/search/candidates.js';
import { resolveDecodeOptions, type DecodeOptions, type SearchConfig } from '../src/translate/search/options.js';
import { argmax } from '../src/translate/search/top-k.js';

const EOS = 0;

/** Decoder whose logits for a row depend only on (sentence, generated prefix). */
class FunctionDecoder implements StepDecoder {
  rows: { sentence: number; prefix: number[] }[];
  /** Rows fed to each step (to check that finished sentences leave the batch). */
  readonly rowsPerStep: number[] = [];
  constructor(
    readonly vocabSize: number,
    batch: number,
    private readonly logitsOf: (sentence: number, prefix: readonly number[]) => ArrayLike<number>,
  ) {
    this.rows = Array.from({ length: batch }, (_, sentence) => ({ sentence, prefix: [] }));
  }
  #started = false;
  async step(tokens: Int32Array): Promise<Float32Array> {
    expect(tokens.length).toBe(this.rows.length);
    this.rowsPerStep.push(tokens.length);
    const out = new Float32Array(this.rows.length * this.vocabSize);
    this.rows.forEach((row, r) => {
      // The first token fed is the decoder start token; later ones extend the prefix.
      if (this.#started) row.prefix = [...row.prefix, tokens[r]];
      out.set(Array.from(this.logitsOf(row.sentence, row.prefix)), r * this.vocabSize);
    });
    this.#started = true;
    return out;
  }
  select(sourceRows: Int32Array): void {
    this.rows = Array.from(sourceRows, (s) => ({ ...this.rows[s] }));
  }
}

/** Table model: `dist[prefix.join(',')]` gives token probabilities; unlisted prefixes end at once. */
function tableLogits(vocab: number, dist: Record<string, Record<number, number>>) {
  return (_sentence: number, prefix: readonly number[]) => {
    const row = new Array<number>(vocab).fill(-Infinity);
    for (const [token, p] of Object.entries(dist[prefix.join(',')] ?? { [EOS]: 1 })) row[Number(token)] = Math.log(p);
    return row;
  };
}

/** Deterministic pseudo-random logits from (seed, sentence, prefix). */
function randomLogits(vocab: number, seed: number, scale = 3) {
  return (sentence: number, prefix: readonly number[]) => {
    let h = (seed * 2654435761 + sentence * 40503) >>> 0;
    for (const t of prefix) h = Math.imul(h ^ (t + 0x9e3779b9), 2246822519) >>> 0;
    const row: number[] = [];
    for (let v = 0; v < vocab; v++) {
      h = Math.imul(h ^ (h >>> 15), 2246822519) >>> 0;
      h = Math.imul(h ^ (h >>> 13), 3266489917) >>> 0;
      row.push(((h >>> 8) / 2 ** 24 - 0.5) * 2 * scale);
    }
    return row;
  };
}

function config(options: DecodeOptions, vocab: number): SearchConfig {
  return resolveDecodeOptions(
    { eos_token_id: EOS, pad_token_id: vocab - 1, decoder_start_token_id: vocab - 1, bad_words_ids: [[vocab - 1]] },
    null,
    options,
  );
}

function logSoftmax(row: ArrayLike<number>): number[] {
  const max = Math.max(...Array.from(row));
  const lse = max + Math.log(Array.from(row).reduce((s, x) => s + Math.exp(x - max), 0));
  return Array.from(row, (x) => x - lse);
}

/**
 * Every output a search may return for a sentence: sequences ending in EOS (length <= max) and
 * sequences of exactly `max` tokens without EOS; bad tokens (`banned`) excluded. Returns the best
 * by sum_logprobs / len ** lengthPenalty.
 */
function bruteForce(
  logitsOf: (prefix: readonly number[]) => ArrayLike<number>,
  vocab: number,
  max: number,
  lengthPenalty: number,
  banned: ReadonlySet<number>,
) {
  let best = { tokens: [] as number[], score: -Infinity };
  const visit = (prefix: number[], sum: number) => {
    const lp = logSoftmax(Array.from(logitsOf(prefix), Math.fround)); // the decoder hands out float32
    for (let t = 0; t < vocab; t++) {
      if (banned.has(t)) continue;
      const s = sum + lp[t];
      const seq = [...prefix, t];
      if (t === EOS || seq.length === max) {
        const score = s / seq.length ** lengthPenalty;
        if (score > best.score) best = { tokens: seq, score };
      } else visit(seq, s);
    }
  };
  visit([], 0);
  return best;
}

describe('length penalty and early stopping (the Python library definitions, hand-computed)', () => {
  it('score = sum_logprobs / generated_len ** length_penalty, EOS counted, decoder start not', () => {
    expect(lengthNormalized(-3, 3, 1)).toBeCloseTo(-1, 12);
    expect(lengthNormalized(-3, 3, 0)).toBeCloseTo(-3, 12);
    expect(lengthNormalized(-8, 4, 2)).toBeCloseTo(-0.5, 12);
    expect(lengthNormalized(-2, 4, -1)).toBeCloseTo(-8, 12);
  });

  it("best possible running score: current length for false/true, max length for 'never' with a positive penalty", () => {
    // running beam: sum -6 after 3 generated tokens; max 10 new tokens
    expect(bestPossibleScore(-6, 3, 10, 1, false)).toBeCloseTo(-2, 12);
    expect(bestPossibleScore(-6, 3, 10, 1, true)).toBeCloseTo(-2, 12);
    expect(bestPossibleScore(-6, 3, 10, 1, 'never')).toBeCloseTo(-0.6, 12);
    expect(bestPossibleScore(-6, 3, 10, 2, 'never')).toBeCloseTo(-0.06, 12);
    // 'never' with length_penalty <= 0 falls back to the current length
    expect(bestPossibleScore(-6, 3, 10, 0, 'never')).toBeCloseTo(-6, 12);
    expect(bestPossibleScore(-6, 3, 10, -1, 'never')).toBeCloseTo(-18, 12);
  });

  // Vocabulary: 0 EOS, 1 A, 2 B, 3 C, 4 D, 5 start/pad (banned). numBeams 2, max 5 new tokens.
  //   []      -> EOS .4, A .35, B .25
  //   [A]     -> EOS .9, C .1
  //   [B]     -> EOS .5, C .5
  //   [B,C]   -> D 1
  //   [B,C,D] -> EOS 1
  //   others  -> EOS 1
  // Step 1: candidates EOS -0.9163 (rank 0: finished, len 1 -> -0.9163), A -1.0498, B -1.3863 (running).
  // Step 2: A.EOS -1.1552 (rank 0: finished, len 2, lp 1 -> -0.5776), B.EOS -2.0794 (rank 1:
  //   finished -> -1.0397, below both kept ones, dropped), B.C -2.0794, A.C -3.3524 (running).
  //   Finished (best first): [A EOS] -0.5776, [EOS] -0.9163; both slots full.
  //   early_stopping true: done. false: best possible = -2.0794 / 2 = -1.0397 <= -0.9163: done.
  //   'never' (lp 1 > 0): -2.0794 / 5 = -0.4159 > -0.9163: go on.
  // Step 3 ('never'): B.C.D -2.0794 running; A.C.EOS -3.3524 / 3 = -1.1175, dropped.
  // Step 4: B.C.D.EOS -2.0794 / 4 = -0.5199 > -0.5776: the best.
  // With lp 0 (false): step 2 finished [EOS] -0.9163, [A EOS] -1.1552; best possible -2.0794: done.
  const dist = {
    '': { 0: 0.4, 1: 0.35, 2: 0.25 },
    '1': { 0: 0.9, 3: 0.1 },
    '2': { 0: 0.5, 3: 0.5 },
    '2,3': { 4: 1 },
    '2,3,4': { 0: 1 },
  };
  const run = async (options: DecodeOptions) => {
    const decoder = new FunctionDecoder(6, 1, tableLogits(6, dist));
    const [result] = await beamSearch(decoder, [3], config({ numBeams: 2, maxNewTokens: 5, ...options }, 6));
    return { result, steps: decoder.rowsPerStep.length };
  };

  it('early_stopping true stops as soon as num_beams hypotheses are finished', async () => {
    const { result, steps } = await run({ earlyStopping: true, lengthPenalty: 1 });
    expect(result.tokens).toEqual([1, EOS]);
    expect(result.score).toBeCloseTo((Math.log(0.35) + Math.log(0.9)) / 2, 6); // float32 logits
    expect(result.hypotheses.map((h) => h.tokens)).toEqual([[1, EOS], [EOS]]);
    expect(steps).toBe(2);
  });

  it('early_stopping false stops when the best running beam, at its current length, cannot win', async () => {
    const { result, steps } = await run({ earlyStopping: false, lengthPenalty: 1 });
    expect(result.tokens).toEqual([1, EOS]);
    expect(steps).toBe(2);
  });

  it("early_stopping 'never' with a positive length penalty looks as far as the maximum length", async () => {
    const { result, steps } = await run({ earlyStopping: 'never', lengthPenalty: 1 });
    expect(result.tokens).toEqual([2, 3, 4, EOS]);
    expect(result.score).toBeCloseTo((Math.log(0.25) + Math.log(0.5)) / 4, 6); // float32 logits
    expect(result.sumLogprobs).toBeCloseTo(Math.log(0.25) + Math.log(0.5), 6); // float32 logits
    expect(result.hypotheses.map((h) => h.tokens)).toEqual([[2, 3, 4, EOS], [1, EOS]]);
    expect(steps).toBe(4);
  });

  it('length_penalty 0 ranks by the raw sum: the empty output wins', async () => {
    const { result } = await run({ earlyStopping: false, lengthPenalty: 0 });
    expect(result.tokens).toEqual([EOS]);
    expect(result.score).toBeCloseTo(Math.log(0.4), 6); // float32 logits
  });

  it('a candidate finishing outside the top num_beams is not kept (the Python rule)', async () => {
    //   [] -> A .5, B .3, EOS .2 ; [A] -> C .5, D .5 ; [B] -> C .5, D .5 ; [A,C] -> EOS 1 ;
    //   [A,D] -> EOS .5, C .5 ; others EOS 1. numBeams 2, lp 0.
    // Step 1: A -0.693, B -1.204, EOS -1.609 ranks third: not kept, although it would end up
    // second best. Step 3: [A C EOS] -1.386 and [A D EOS] -2.079 fill both slots; the running
    // [A D C] (-2.079) cannot beat them: done.
    const table = { '': { 1: 0.5, 2: 0.3, 0: 0.2 }, '1': { 3: 0.5, 4: 0.5 }, '2': { 3: 0.5, 4: 0.5 }, '1,3': { 0: 1 }, '1,4': { 0: 0.5, 3: 0.5 } };
    const decoder = new FunctionDecoder(6, 1, tableLogits(6, table));
    const [result] = await beamSearch(decoder, [3], config({ numBeams: 2, maxNewTokens: 5, lengthPenalty: 0, earlyStopping: false }, 6));
    expect(result.hypotheses.map((h) => h.tokens)).toEqual([[1, 3, EOS], [1, 4, EOS]]);
    expect(result.hypotheses[1].score).toBeCloseTo(Math.log(0.5 * 0.5 * 0.5), 6); // float32 logits
  });
});

describe('beam search on a pseudo-random model', () => {
  const vocab = 6; // 0 EOS, 1..4 words, 5 start/pad (banned)
  const banned = new Set([vocab - 1]);

  for (const [lengthPenalty, max] of [
    [1, 4],
    [0, 4],
    [2, 3],
    [-0.5, 4],
  ] as const) {
    it(`with a beam wide enough for every prefix returns the brute-force best (lp ${lengthPenalty}, max ${max})`, async () => {
      for (let seed = 1; seed <= 5; seed++) {
        const logitsOf = randomLogits(vocab, seed);
        const expected = bruteForce((p) => logitsOf(0, p), vocab, max, lengthPenalty, banned);
        const decoder = new FunctionDecoder(vocab, 1, logitsOf);
        const [result] = await beamSearch(
          decoder,
          [1],
          config({ numBeams: 5 ** max, maxNewTokens: max, lengthPenalty, earlyStopping: false }, vocab),
        );
        expect(result.tokens).toEqual(expected.tokens);
        expect(Math.abs(result.score - expected.score)).toBeLessThan(1e-9);
      }
    });
  }

  it('batched search equals one sentence at a time, and finished sentences leave the batch', async () => {
    const maxFor = (len: number) => 2 + (len % 5);
    const lengths = [1, 2, 3, 4, 5, 6, 7];
    const logitsOf = randomLogits(12, 7, 2);
    for (const options of [
      { numBeams: 4, lengthPenalty: 1, earlyStopping: false },
      { numBeams: 3, lengthPenalty: 0.6, earlyStopping: true, noRepeatNgramSize: 2 },
      { numBeams: 5, lengthPenalty: 1.2, earlyStopping: 'never', repetitionPenalty: 1.3 },
      { numBeams: 1 },
    ] satisfies DecodeOptions[]) {
      const cfg = config({ ...options, outputScores: true, maxNewTokens: maxFor }, 12);
      const decoder = new FunctionDecoder(12, lengths.length, logitsOf);
      const batched = await (cfg.numBeams === 1 ? greedySearch : beamSearch)(decoder, lengths, cfg);
      for (let i = 0; i < lengths.length; i++) {
        const single = new FunctionDecoder(12, 1, (_s, p) => logitsOf(i, p));
        const [one] = await (cfg.numBeams === 1 ? greedySearch : beamSearch)(single, [lengths[i]], cfg);
        expect(batched[i].tokens).toEqual(one.tokens);
        expect(batched[i].score).toBeCloseTo(one.score, 9);
        expect(one.tokens.length).toBeLessThanOrEqual(maxFor(lengths[i]));
      }
      // Work shrinks: never more rows than before, and the last step holds fewer rows than the peak.
      const peak = Math.max(...decoder.rowsPerStep);
      expect(decoder.rowsPerStep.at(-1)!).toBeLessThan(peak);
    }
  });

  it('greedy search picks the first largest processed logit and stops at EOS', async () => {
    const logitsOf = randomLogits(8, 3);
    const decoder = new FunctionDecoder(8, 1, logitsOf);
    const [result] = await greedySearch(decoder, [1], config({ numBeams: 1, maxNewTokens: 6 }, 8));
    const expected: number[] = [];
    while (expected.length < 6) {
      const row = Array.from(logitsOf(0, expected));
      row[7] = -Infinity; // bad word: start/pad
      const t = row.indexOf(Math.max(...row));
      expected.push(t);
      if (t === EOS) break;
    }
    expect(result.tokens).toEqual(expected);
  });
});

describe('logits processors inside the search', () => {
  const vocab = 6;
  it('min_new_tokens bans EOS until that many tokens precede it; forced EOS ends at the maximum', async () => {
    const logitsOf = tableLogits(vocab, { '': { 0: 0.9, 1: 0.1 }, '1': { 0: 0.9, 2: 0.1 }, '1,2': { 0: 0.9, 3: 0.1 }, '1,2,3': { 4: 1 } });
    const [min2] = await beamSearch(new FunctionDecoder(vocab, 1, logitsOf), [1], config({ numBeams: 2, maxNewTokens: 5, minNewTokens: 2, lengthPenalty: 0 }, vocab));
    expect(min2.tokens).toEqual([1, 2, EOS]);
    const [greedyMin2] = await greedySearch(new FunctionDecoder(vocab, 1, logitsOf), [1], config({ numBeams: 1, maxNewTokens: 5, minNewTokens: 2 }, vocab));
    expect(greedyMin2.tokens).toEqual([1, 2, EOS]);
    // Forced EOS at the last position: [1,2,3] would continue with 4; max 4 forces EOS instead.
    const [forced] = await beamSearch(
      new FunctionDecoder(vocab, 1, logitsOf),
      [1],
      config({ numBeams: 2, maxNewTokens: 4, minNewTokens: 3, forcedEosTokenId: EOS }, vocab),
    );
    expect(forced.tokens).toEqual([1, 2, 3, EOS]);
    // min = max: the length is forced, no EOS at all.
    const [full] = await beamSearch(new FunctionDecoder(vocab, 1, randomLogits(vocab, 2)), [1], config({ numBeams: 3, maxNewTokens: 5, minNewTokens: 5 }, vocab));
    expect(full.tokens).toHaveLength(5);
    expect(full.tokens).not.toContain(EOS);
  });

  it('no_repeat_ngram_size, bad_words_ids and repetition_penalty shape the output', async () => {
    // A model that always prefers token 1, then 2.
    const sticky = () => [-5, 3, 2, 1, 0, -9];
    const greedy = async (options: DecodeOptions) =>
      (await greedySearch(new FunctionDecoder(vocab, 1, sticky), [1], config({ numBeams: 1, maxNewTokens: 5, ...options }, vocab)))[0].tokens;
    expect(await greedy({})).toEqual([1, 1, 1, 1, 1]);
    expect(await greedy({ noRepeatNgramSize: 1 })).toEqual([1, 2, 3, 4, EOS]);
    expect(await greedy({ noRepeatNgramSize: 2 })).toEqual([1, 1, 2, 1, 3]);
    expect(await greedy({ badWordsIds: [[5], [1, 1]] })).toEqual([1, 2, 1, 2, 1]);
    // On logits (greedy): after a 1, 3 / 2 = 1.5 < 2 so token 2 wins; then 1 scores 1.5 and 2 scores 1.
    expect(await greedy({ repetitionPenalty: 2 })).toEqual([1, 2, 1, 1, 1]);
  });

  it('rejects invalid options with a TypeError naming the option', () => {
    expect(() => config({ numBeams: 0 }, vocab)).toThrow(/`numBeams`/);
    expect(() => config({ lengthPenalty: Number.NaN }, vocab)).toThrow(/`lengthPenalty`/);
    expect(() => config({ earlyStopping: 'sometimes' as never }, vocab)).toThrow(/`earlyStopping`/);
    expect(() => config({ maxNewTokens: -1 }, vocab)).toThrow(/`maxNewTokens`/);
  });
});

describe('argmax', () => {
  const scan = (values: Float32Array, from: number, length: number): number => {
    let best = 0;
    for (let j = 1; j < length; j++) if (values[from + j] > values[from + best]) best = j;
    return best;
  };

  it('matches a left-to-right scan, first index on ties, at every length and offset', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let length = 1; length <= 23; length++) {
      for (let trial = 0; trial < 40; trial++) {
        // Few distinct values, so ties across the four lanes are common.
        const values = Float32Array.from({ length: length + 5 }, () => (next() % 4) - 2);
        expect(argmax(values, 3, length)).toBe(scan(values, 3, length));
      }
    }
    expect(argmax(new Float32Array(9).fill(-Infinity), 0, 9)).toBe(0);
  });
});
