/**
 * `repetition`: the target loops on a word or n-gram (`of the year of the year of the year`,
 * `the the the`) and the source does not, a known failure of greedy decoding on headlines and
 * fragments (Helsinki-NLP/Opus-MT#89).
 */
import type { QaLanguage } from '../lang/types.js';

/**
 * Lowercase words and numbers. Digit groups are split at spaces (`310 310 310` is a loop, not a
 * number in thousands), so this does not use the shared tokenizer.
 */
function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Longest n-gram looked at; loops of longer phrases are caught as soon as they repeat once. */
const MAX_GRAM = 12;

export interface Loop {
  /** The repeated words, lowercase. */
  gram: string[];
  /** How many times in a row it occurs (2 or more). */
  repeats: number;
}

/**
 * Whether a run is a loop rather than normal writing: a word three times (`very, very, very` in
 * the target is a loop unless the source has one too), a word that is never doubled twice
 * (`the the`, `of of`), or any phrase of two words or more twice (`in the park in the park`).
 */
function isLoop(loop: Loop, neverDoubled: ReadonlySet<string>): boolean {
  if (loop.gram.length === 1) return loop.repeats >= 3 || neverDoubled.has(loop.gram[0]);
  return true;
}

/** Every maximal run of a repeated n-gram in `words`, longest coverage first. */
function loopsOf(words: readonly string[]): Loop[] {
  const loops: Loop[] = [];
  for (let n = 1; n <= Math.min(MAX_GRAM, Math.floor(words.length / 2)); n++) {
    // `run` counts positions i with words[i] === words[i + n]; n of them in a row make one more copy.
    let run = 0;
    for (let i = 0; i + n <= words.length; i++) {
      if (i + n < words.length && words[i] === words[i + n]) {
        run++;
        continue;
      }
      if (run >= n) {
        const start = i - run;
        loops.push({ gram: words.slice(start, start + n), repeats: Math.floor(run / n) + 1 });
      }
      run = 0;
    }
  }
  return loops.sort((a, b) => b.repeats * b.gram.length - a.repeats * a.gram.length || a.gram.length - b.gram.length);
}

/** Words looked at together when counting a word repeated with little in between. */
const NEAR_WINDOW = 4;

/**
 * How much the source repeats itself: its longest run of an n-gram, or a word said three times
 * within four words (`Non, non et non`), so that its translation may repeat as much.
 */
function sourceRepetition(words: readonly string[]): number {
  let most = Math.max(1, ...loopsOf(words).map((loop) => loop.repeats));
  for (let i = 0; i < words.length; i++) {
    let count = 0;
    for (let j = i; j < Math.min(words.length, i + NEAR_WINDOW); j++) if (words[j] === words[i]) count++;
    if (count >= 3) most = Math.max(most, count);
  }
  return most;
}

/** The loop of the target worth reporting: one that repeats more than anything in the source. */
export function targetLoop(source: string, target: string, targetLanguage: QaLanguage): Loop | undefined {
  const loops = loopsOf(wordsOf(target)).filter((loop) => isLoop(loop, targetLanguage.neverDoubled));
  if (loops.length === 0) return undefined;
  const allowed = sourceRepetition(wordsOf(source));
  return loops.find((loop) => loop.repeats > allowed);
}

export function repetitionMessage(source: string, target: string, targetLanguage: QaLanguage): string | undefined {
  const loop = targetLoop(source, target, targetLanguage);
  if (loop === undefined) return undefined;
  const what = loop.gram.length === 1 ? 'word' : `${loop.gram.length}-word phrase`;
  return `${what} "${loop.gram.join(' ')}" repeated ${loop.repeats} times in a row`;
}
