import { describe, expect, it } from 'vitest';
import type { SourceParagraph } from '../src/document.js';
import { PoolError } from '../src/errors.js';
import type { TranslationBackend } from '../src/translate/backend.js';
import type { ProgressEvent, Scheduler, SentenceMemory, StoredTranslation } from '../src/translate/scheduler.js';
import { schedulerOver, type SchedulerSettings } from './helpers/scheduling.js';

function paragraph(index: number, sentences: string[]): SourceParagraph {
  let offset = 0;
  const units = sentences.map((text) => {
    const start = offset;
    offset += text.length + 1;
    return { start, end: start + text.length, text, translate: true };
  });
  return { index, start: index * 1000, text: sentences.join(' '), kind: 'prose', sentences: units };
}

/** A fake pool: "translates" by upper-casing after a random delay, with injectable faults. */
class FakePool implements TranslationBackend {
  readonly capacity = 2;
  calls: string[][] = [];
  constructor(private readonly fault: (texts: string[], call: number) => Error | undefined = () => undefined) {}
  async translate({ texts }: { texts: string[] }) {
    const call = this.calls.push(texts);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    const error = this.fault(texts, call);
    if (error) throw error;
    return { translations: texts.map((t) => ({ text: t.toUpperCase(), tokens: 2, logprob: -1, truncated: false })) };
  }
  async close() {}
}

async function collect(scheduler: Scheduler, input: SourceParagraph[]) {
  const out = [];
  for await (const p of scheduler.translate(input)) out.push(p);
  return out;
}

const base = { batchSize: 4, tokenBudget: 50, maxAttempts: 3 };
const scheduler = (pool: TranslationBackend, settings: Partial<SchedulerSettings> = {}) => schedulerOver(pool, { ...base, ...settings });

describe('Scheduler', () => {
  it('keeps paragraph order and alignment across windows under random delays', async () => {
    const input = Array.from({ length: 120 }, (_, i) => paragraph(i, [`Phrase ${i} a.`, `Phrase ${i} b.`]));
    const pool = new FakePool();
    const out = await collect(scheduler(pool, { windowPieces: 16 }), input);
    expect(out.map((p) => p.index)).toEqual(input.map((p) => p.index));
    out.forEach((p, i) => {
      expect(p.pairs.map((pair) => pair.source)).toEqual(input[i].sentences.map((s) => s.text));
      expect(p.pairs.map((pair) => pair.target)).toEqual(input[i].sentences.map((s) => s.text.toUpperCase()));
      expect(p.target).toBe(p.pairs.map((pair) => pair.target).join(' '));
    });
    expect(Math.max(...pool.calls.map((c) => c.length))).toBeLessThanOrEqual(4);
  });

  it('retries a crashed batch and translates everything', async () => {
    const pool = new FakePool((_texts, call) => (call === 1 ? new PoolError('crashed', 'worker died') : undefined));
    const input = [paragraph(0, ['Un.', 'Deux.', 'Trois.'])];
    const [out] = await collect(scheduler(pool), input);
    expect(out.pairs.map((p) => p.target)).toEqual(['UN.', 'DEUX.', 'TROIS.']);
    expect(out.pairs.every((p) => p.flags.length === 0)).toBe(true);
    expect(pool.calls.length).toBe(2);
  });

  it('isolates a poisonous sentence on the last try and flags it failed, keeping its source', async () => {
    const pool = new FakePool((texts) => (texts.some((t) => t.includes('poison')) ? new PoolError('timeout', 'hung') : undefined));
    const events: ProgressEvent[] = [];
    const input = [paragraph(0, ['Avant.', 'Du poison ici.', 'Après.'])];
    const [out] = await collect(scheduler(pool, { maxAttempts: 3, onProgress: (e) => events.push(e) }), input);
    expect(out.pairs.map((p) => p.target)).toEqual(['AVANT.', 'Du poison ici.', 'APRÈS.']);
    expect(out.pairs[1].flags).toEqual(['failed']);
    // Two whole-batch tries, then three single-sentence calls.
    expect(pool.calls.map((c) => c.length)).toEqual([3, 3, 1, 1, 1]);
    expect(events.reduce((n, e) => n + e.failed, 0)).toBe(1);
  });

  it('stops the run on a model load failure instead of retrying', async () => {
    const pool = new FakePool(() => new PoolError('load', 'no such model'));
    await expect(collect(scheduler(pool), [paragraph(0, ['Un.'])])).rejects.toThrow(/no such model/);
    expect(pool.calls.length).toBe(1);
  });

  it('answers from the translation memory and records new translations', async () => {
    const store = new Map<string, StoredTranslation>([['Connu.', { target: 'KNOWN.' }]]);
    const memory: SentenceMemory = {
      getMany: (sources) => new Map(sources.filter((s) => store.has(s)).map((s) => [s, store.get(s)!])),
      putMany: (entries) => entries.forEach(([s, t]) => store.set(s, t)),
    };
    const pool = new FakePool();
    const [out] = await collect(scheduler(pool, { memory }), [paragraph(0, ['Connu.', 'Nouveau.', 'Nouveau.'])]);
    expect(out.pairs.map((p) => p.target)).toEqual(['KNOWN.', 'NOUVEAU.', 'NOUVEAU.']);
    expect(pool.calls).toEqual([['Nouveau.']]); // once, though it occurs twice
    expect(store.get('Nouveau.')).toEqual({ target: 'NOUVEAU.', tokens: 2, logprob: -1, truncated: false });
    // A pair from the model carries its confidence (mean log-probability per token); an old
    // memory entry without decoder figures has none.
    expect(out.pairs[1].confidence).toBe(-0.5);
    expect(out.pairs[0].confidence).toBeUndefined();
  });

  it('copies verbatim units, flags non-French paragraphs and skips them on request', async () => {
    const header = paragraph(0, ['date 2023-03', 'Un titre']);
    header.sentences[0].translate = false;
    header.kind = 'header';
    const english = paragraph(1, ['This is English.']);
    const isFrench = (text: string) => !text.startsWith('This');
    const pool = new FakePool();
    const flagged = await collect(scheduler(pool, { isFrench }), [header, english]);
    expect(flagged[0].pairs.map((p) => [p.target, p.flags])).toEqual([['date 2023-03', ['verbatim']], ['UN TITRE', []]]);
    expect(flagged[1].pairs[0]).toMatchObject({ target: 'THIS IS ENGLISH.', flags: ['not-french'] });
    const skipped = await collect(scheduler(pool, { isFrench, skipNonFrench: true }), [english]);
    expect(skipped[0].pairs[0]).toMatchObject({ target: 'This is English.', flags: ['not-french', 'skipped'] });
  });

  it('stops scheduling when aborted', async () => {
    const controller = new AbortController();
    const pool = new FakePool((_t, call) => {
      if (call === 1) controller.abort();
      return undefined;
    });
    const input = Array.from({ length: 50 }, (_, i) => paragraph(i, [`Phrase ${i}.`]));
    await expect(collect(scheduler(pool, { signal: controller.signal, windowPieces: 8 }), input)).rejects.toThrow();
    expect(pool.calls.length).toBeLessThan(13);
  });
});
