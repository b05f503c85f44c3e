/**
 * Beam and greedy search through the real transformers.js sessions of generated Marian models:
 * - micro (8-token vocabulary): every possible output is scored through the decoder (one
 *   uncached forward pass over all prefixes) and the beam search result must be the best, with
 *   the same score to 1e-5;
 * - tiny: greedy equals transformers.js' own `generate`; batched equals one at a time.
 * The models are generated here (seeded), so the file does not depend on the suite's fixtures.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AutoModelForSeq2SeqLM, AutoTokenizer, env, Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateModel } from '../tools/modelgen/index.js';
import {
  translateBatch,
  searchConfigFor,
  type DecodeOptions,
} from '../src/translate/search/index.js';

const EOS = 0;
let dir: string;
let micro: { model: PreTrainedModel; tokenizer: PreTrainedTokenizer };
let tiny: { model: PreTrainedModel; tokenizer: PreTrainedTokenizer };

async function load(folder: string) {
  const [model, tokenizer] = await Promise.all([
    AutoModelForSeq2SeqLM.from_pretrained(folder, { local_files_only: true, session_options: { intraOpNumThreads: 1 } }),
    AutoTokenizer.from_pretrained(folder, { local_files_only: true }),
  ]);
  return { model, tokenizer };
}


beforeAll(async () => {
  env.allowRemoteModels = false;
  dir = await mkdtemp(path.join(tmpdir(), 'fr2en-decode-'));
  // eosBias makes EOS a plausible choice for random weights, so outputs have varied lengths.
  await generateModel({ preset: 'tiny', outDir: path.join(dir, 'tiny'), seed: 3, overrides: { eosBias: 2.5 } });
  await generateModel({ preset: 'micro', outDir: path.join(dir, 'micro'), seed: 5 });
  micro = await load(path.join(dir, 'micro'));
  tiny = await load(path.join(dir, 'tiny'));
});

afterAll(async () => {
  await Promise.all([micro?.model.dispose(), tiny?.model.dispose()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Every sequence over `alphabet` of length `n`. */
function sequences(alphabet: number[], n: number): number[][] {
  let out: number[][] = [[]];
  for (let i = 0; i < n; i++) out = out.flatMap((s) => alphabet.map((t) => [...s, t]));
  return out;
}

/**
 * Scores every output of at most `max` tokens for `text` by brute force: one uncached decoder pass
 * over all (max - 1)-token prefixes gives the next-token logits after every shorter prefix too.
 * Applies what the search applies with the options used: pad banned (bad_words_ids), EOS forced
 * as the last token (forced_eos_token_id) or not, renormalization or not.
 */
async function bruteForceBest(text: string, max: number, lengthPenalty: number, forcedEos: boolean, renormalize: boolean) {
  const { model, tokenizer } = micro;
  const config = searchConfigFor(model, {});
  const vocab = 8;
  const pad = config.padTokenId;
  const words = Array.from({ length: vocab }, (_, t) => t).filter((t) => t !== EOS && t !== pad);
  const prefixes = sequences(words, max - 1);
  const enc = tokenizer([text], { padding: true, truncation: false });
  const srcLen = enc.input_ids.dims[1];
  const repeat = (t: Tensor) =>
    new Tensor('int64', BigInt64Array.from({ length: prefixes.length * srcLen }, (_, i) => (t.data as BigInt64Array)[i % srcLen]), [prefixes.length, srcLen]);
  const decoderIds = new Tensor('int64', BigInt64Array.from(prefixes.flatMap((p) => [pad, ...p]).map(BigInt)), [prefixes.length, max]);
  const out = (await model.forward({
    input_ids: repeat(enc.input_ids),
    attention_mask: repeat(enc.attention_mask),
    decoder_input_ids: decoderIds,
  })) as { logits: Tensor };
  const logits = out.logits.data as Float32Array;
  expect(out.logits.dims).toEqual([prefixes.length, max, vocab]);

  /** Log-probs after prefix p (as the search computes them). */
  const logprobs = (p: number[]): number[] => {
    const row = prefixes.findIndex((q) => p.every((t, i) => q[i] === t));
    const raw = Array.from(logits.subarray((row * max + p.length) * vocab, (row * max + p.length + 1) * vocab));
    const lse = (xs: number[]) => {
      const m = Math.max(...xs);
      return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
    };
    let lp = raw.map((x) => x - lse(raw));
    lp[pad] = -Infinity;
    if (forcedEos && p.length === max - 1) lp = lp.map((_, t) => (t === EOS ? 0 : -Infinity));
    if (renormalize) {
      const z = lse(lp.filter((x) => x > -Infinity));
      lp = lp.map((x) => x - z);
    }
    return lp;
  };

  let best = { tokens: [] as number[], score: -Infinity };
  let count = 0;
  const all: { key: string; score: number }[] = [];
  const visit = (p: number[], sum: number) => {
    const lp = logprobs(p);
    for (let t = 0; t < vocab; t++) {
      if (lp[t] === -Infinity) continue;
      const seq = [...p, t];
      const s = sum + lp[t];
      if (t === EOS || seq.length === max) {
        count++;
        const score = s / seq.length ** lengthPenalty;
        all.push({ key: seq.join(','), score });
        if (score > best.score) best = { tokens: seq, score };
      } else visit(seq, s);
    }
  };
  visit([], 0);
  all.sort((a, b) => b.score - a.score);
  return { ...best, count, all };
}

describe('beam search on the micro model (every output enumerated)', () => {
  const texts = ['est', 'tasse se tait'];
  const max = 4;
  // 6 word tokens: 6^3 = 216 prefixes of length 3. With EOS forced at the 4th token there are
  // 259 outputs and 300 beams keep them all; without, 1555 (6^4 more of length 4): 1600 beams.
  for (const [name, options, forcedEos, renormalize] of [
    ["the model's generation_config (forced EOS, renormalized, length penalty 1)", { lengthPenalty: 1 }, true, true],
    ['length penalty 0, no forced EOS, raw log-probs', { numBeams: 1600, lengthPenalty: 0, forcedEosTokenId: null, renormalizeLogits: false }, false, false],
    ['length penalty 2', { lengthPenalty: 2, earlyStopping: 'never' }, true, true],
  ] as [string, DecodeOptions, boolean, boolean][]) {
    it(`finds the highest-scoring sequence with its brute-force score: ${name}`, async () => {
      const results = await translateBatch(micro.model, micro.tokenizer, texts, {
        numBeams: 300,
        maxNewTokens: max,
        ...options,
      });
      for (let i = 0; i < texts.length; i++) {
        const expected = await bruteForceBest(texts[i], max, options.lengthPenalty ?? 1, forcedEos, renormalize);
        expect(expected.count).toBeGreaterThan(200);
        expect(results[i].tokens).toEqual(expected.tokens);
        expect(Math.abs(results[i].score - expected.score)).toBeLessThan(1e-5);
        // Every finished hypothesis, not just the best, was scored through a correctly reordered
        // cache: the whole ranking matches the enumeration.
        const hyps = results[i].hypotheses;
        expect(hyps).toHaveLength(expected.count);
        hyps.forEach((h, rank) => {
          expect(h.tokens.join(',')).toBe(expected.all[rank].key);
          expect(Math.abs(h.score - expected.all[rank].score)).toBeLessThan(1e-5);
        });
      }
    });
  }

  it('a narrow beam still returns a valid hypothesis, no better than the exhaustive one', async () => {
    const wide = await translateBatch(micro.model, micro.tokenizer, texts, { numBeams: 300, maxNewTokens: max });
    const narrow = await translateBatch(micro.model, micro.tokenizer, texts, { numBeams: 2, maxNewTokens: max });
    for (let i = 0; i < texts.length; i++) {
      expect(narrow[i].score).toBeLessThanOrEqual(wide[i].score + 1e-9);
      expect(narrow[i].tokens.at(-1)).toBe(EOS); // forced EOS at the limit
    }
  });
});

describe('tiny model', () => {
  const texts = [
    'Bonjour le monde.',
    'Le chat dort sur la table depuis ce matin, et personne ne le dérange.',
    'Oui.',
    "L'économie française a progressé de 0,3 % au troisième trimestre.",
    'Il pleut.',
    'Les enfants jouent dans le jardin pendant que leurs parents préparent le repas du soir.',
  ];

  it("beam 1 gives exactly transformers.js' greedy generate output", async () => {
    const { model, tokenizer } = tiny;
    const maxNewTokens = 24;
    // transformers.js' forced-EOS processor only sets EOS's logit to 0 without banning the rest,
    // unlike the Python library (which this module follows), so it is off on both sides here.
    const ours = await translateBatch(model, tokenizer, texts, { numBeams: 1, maxNewTokens, forcedEosTokenId: null });
    let endedEarly = 0;
    for (let i = 0; i < texts.length; i++) {
      // One at a time: in a batch, transformers.js keeps generating after a row's EOS.
      const output = (await model.generate({ ...tokenizer(texts[i]), max_new_tokens: maxNewTokens, forced_eos_token_id: null } as never)) as Tensor;
      const theirs = (output.tolist() as bigint[][])[0].slice(1).map(Number);
      expect(ours[i].tokens).toEqual(theirs);
      if (theirs.length < maxNewTokens) endedEarly++;
    }
    expect(endedEarly).toBeGreaterThan(0); // EOS handling was exercised
    expect(endedEarly).toBeLessThan(texts.length); // and so was the length limit
  });

  for (const options of [
    { numBeams: 4 },
    { numBeams: 3, lengthPenalty: 0.6, earlyStopping: true, noRepeatNgramSize: 2, repetitionPenalty: 1.2 },
    { numBeams: 5, earlyStopping: 'never', badWordsIds: [[5], [7, 8]] },
    { numBeams: 1 },
  ] satisfies DecodeOptions[]) {
    it(`batched search equals one sentence at a time (${JSON.stringify(options)})`, async () => {
      const { model, tokenizer } = tiny;
      const all = { ...options, outputScores: true, maxNewTokens: (src: number) => Math.min(30, 4 + src) };
      const batched = await translateBatch(model, tokenizer, texts, all);
      for (let i = 0; i < texts.length; i++) {
        const [single] = await translateBatch(model, tokenizer, [texts[i]], all);
        expect(batched[i].tokens).toEqual(single.tokens);
        expect(batched[i].score).toBeCloseTo(single.score, 4);
        expect(batched[i].text).toBe(single.text);
        expect(batched[i].tokens.length).toBeLessThanOrEqual(Math.min(30, 4 + batched[i].sourceTokens));
      }
    });
  }

  it("defaults come from the model's generation_config (4 beams, forced EOS, pad banned)", () => {
    const config = searchConfigFor(tiny.model);
    expect(config.numBeams).toBe(4);
    expect(config.maxNewTokens).toBe(63); // max_length 64, decoder start token included
    expect(config.forcedEosTokenId).toBe(EOS);
    expect(config.badWordsIds).toEqual([[config.padTokenId]]);
    expect(config.decoderStartTokenId).toBe(config.padTokenId);
    expect(config.renormalizeLogits).toBe(true);
  });

  it('beam search scores at least as well as greedy (same scoring, lp 1)', async () => {
    const { model, tokenizer } = tiny;
    const greedy = await translateBatch(model, tokenizer, texts, { numBeams: 1, maxNewTokens: 20, outputScores: true });
    const beam = await translateBatch(model, tokenizer, texts, { numBeams: 8, maxNewTokens: 20, earlyStopping: 'never' });
    let better = 0;
    for (let i = 0; i < texts.length; i++) {
      expect(beam[i].hypotheses.length).toBe(8);
      if (beam[i].score > greedy[i].score + 1e-6) better++;
    }
    expect(better).toBeGreaterThan(0);
  });
});
