/**
 * Keeps every piece sent to the model under a token budget without losing a character.
 * opus-mt-fr-en was trained on sentences and accepts at most 512 tokens; quality drops well
 * before that, so a sentence over the budget (about 200 tokens) is cut at clause boundaries
 * first (`;` `:`), then at commas and dashes, then between words, then inside a word.
 * The pieces are translated separately and their translations joined with a space.
 */
import type { TokenCounter } from './token-counter.js';

export interface Piece {
  /** Offsets into the text that was split. */
  start: number;
  end: number;
  text: string;
  tokens: number;
}

/**
 * Cut points, strongest first. Each regex matches only the whitespace where a piece may end,
 * so punctuation stays with its clause: after `;` `:`, after a comma, before a spaced dash.
 */
const CUT_LEVELS: readonly RegExp[] = [/(?<=[;:])\s+/g, /(?<=,)\s+|\s+(?=[–—-]\s)/g, /\s+/g];

export function splitByBudget(text: string, budget: number, counter: TokenCounter): Piece[] {
  if (budget < 1) throw new RangeError(`token budget must be >= 1, got ${budget}`);
  const trimmedStart = text.length - text.trimStart().length;
  const trimmedEnd = text.trimEnd().length;
  if (trimmedEnd <= trimmedStart) return [];
  return splitSpan(text, trimmedStart, trimmedEnd, 0, budget, counter);
}

function splitSpan(text: string, start: number, end: number, level: number, budget: number, counter: TokenCounter): Piece[] {
  const slice = text.slice(start, end);
  const tokens = counter.count(slice);
  if (tokens <= budget) return [{ start, end, text: slice, tokens }];
  if (level >= CUT_LEVELS.length) return splitInsideWord(text, start, end, budget, counter);

  const segments: Array<[number, number]> = [];
  let segStart = start;
  for (const match of slice.matchAll(CUT_LEVELS[level])) {
    const gapStart = start + match.index;
    if (gapStart > segStart) segments.push([segStart, gapStart]);
    segStart = gapStart + match[0].length;
  }
  if (segStart < end) segments.push([segStart, end]);
  if (segments.length < 2) return splitSpan(text, start, end, level + 1, budget, counter);

  // Greedy packing: extend the current piece while it fits, else close it.
  const pieces: Piece[] = [];
  let pieceStart = segments[0][0];
  let pieceEnd = segments[0][1];
  const flush = () => pieces.push(...splitSpan(text, pieceStart, pieceEnd, level + 1, budget, counter));
  for (let i = 1; i < segments.length; i++) {
    const [s, e] = segments[i];
    if (counter.count(text.slice(pieceStart, e)) <= budget) {
      pieceEnd = e;
    } else {
      flush();
      pieceStart = s;
      pieceEnd = e;
    }
  }
  flush();
  return pieces;
}

/** Last resort for a "word" longer than the budget (a URL, a run of letters): cut by length. */
function splitInsideWord(text: string, start: number, end: number, budget: number, counter: TokenCounter): Piece[] {
  const pieces: Piece[] = [];
  let pos = start;
  while (pos < end) {
    // Start from an estimate of 2 characters a token and halve until the piece fits.
    let len = Math.min(end - pos, budget * 2);
    let slice = text.slice(pos, pos + len);
    while (len > 1 && counter.count(slice) > budget) {
      len = Math.ceil(len / 2);
      slice = text.slice(pos, pos + len);
    }
    // Never cut a surrogate pair in half.
    if (len > 1 && isHighSurrogate(text.charCodeAt(pos + len - 1))) {
      len -= 1;
      slice = text.slice(pos, pos + len);
    }
    pieces.push({ start: pos, end: pos + len, text: slice, tokens: counter.count(slice) });
    pos += len;
  }
  return pieces;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
