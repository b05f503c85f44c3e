/**
 * Top-k selection without sorting: a binary min-heap of at most k entries whose root is the
 * worst kept candidate. Scanning n values costs O(n) comparisons against the root plus
 * O(log k) per replacement; with k = 2 * numBeams and a 59,514-token vocabulary almost every
 * value fails the first comparison.
 *
 * Order: higher score first; equal scores keep the lower index (the one seen first when
 * indices are scanned in increasing order), so results are deterministic.
 */
export interface Candidate {
  readonly score: number;
  readonly index: number;
}

export class TopK {
  readonly #k: number;
  readonly #scores: Float64Array;
  readonly #indices: Float64Array;
  #size = 0;

  constructor(k: number) {
    if (!Number.isInteger(k) || k < 1) throw new TypeError(`Expected \`k\` to be an integer >= 1, got ${k}`);
    this.#k = k;
    this.#scores = new Float64Array(k);
    this.#indices = new Float64Array(k);
  }

  get size(): number {
    return this.#size;
  }

  clear(): void {
    this.#size = 0;
  }

  /**
   * The score a new value must exceed to enter (strictly: on a tie the earlier, lower index wins),
   * -Infinity while fewer than k are kept. -Infinity and NaN never enter.
   */
  get threshold(): number {
    return this.#size < this.#k ? -Infinity : this.#scores[0];
  }

  /** `a` is worse than `b`. */
  #worse(a: number, b: number): boolean {
    const sa = this.#scores[a];
    const sb = this.#scores[b];
    return sa < sb || (sa === sb && this.#indices[a] > this.#indices[b]);
  }

  #swap(a: number, b: number): void {
    const s = this.#scores[a];
    this.#scores[a] = this.#scores[b];
    this.#scores[b] = s;
    const i = this.#indices[a];
    this.#indices[a] = this.#indices[b];
    this.#indices[b] = i;
  }

  /** Offers one candidate (in any order: on equal scores the lower index is kept). */
  push(score: number, index: number): void {
    if (!(score > -Infinity)) return; // -Infinity (banned) and NaN never enter
    if (this.#size < this.#k) {
      let i = this.#size++;
      this.#scores[i] = score;
      this.#indices[i] = index;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.#worse(i, parent)) break;
        this.#swap(i, parent);
        i = parent;
      }
      return;
    }
    if (score < this.#scores[0] || (score === this.#scores[0] && index > this.#indices[0])) return;
    this.#scores[0] = score;
    this.#indices[0] = index;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < this.#size && this.#worse(l, worst)) worst = l;
      if (r < this.#size && this.#worse(r, worst)) worst = r;
      if (worst === i) break;
      this.#swap(i, worst);
      i = worst;
    }
  }

  /** The kept candidates, best first. */
  sorted(): Candidate[] {
    const out: Candidate[] = [];
    for (let i = 0; i < this.#size; i++) out.push({ score: this.#scores[i], index: this.#indices[i] });
    return out.sort((a, b) => b.score - a.score || a.index - b.index);
  }
}

/**
 * Offers `values[from .. from + length)` shifted by `offset` to `heap`, with index `indexBase + j`
 * for `values[from + j]`. The hot loop compares each value with one precomputed bound and touches
 * the heap only for values that may enter it.
 */
export function offerRow(
  heap: TopK,
  values: Float32Array,
  from: number,
  length: number,
  offset: number,
  indexBase: number,
): void {
  if (!(offset > -Infinity)) return;
  // `threshold - offset` is rounded: widen it a little and let push() decide exactly.
  const slack = 1e-9 * (1 + Math.abs(offset));
  let bound = heap.threshold - offset - slack;
  for (let j = 0; j < length; j++) {
    const x = values[from + j];
    if (x > bound) {
      heap.push(x + offset, indexBase + j);
      bound = heap.threshold - offset - slack;
    }
  }
}

/**
 * Index of the largest value in `values[from .. from + length)`, the first on ties, 0 when all
 * are -Infinity (as transformers.js' greedy sampler, so greedy output matches it exactly).
 */
export function argmax(values: Float32Array, from: number, length: number): number {
  // Four independent running maxima (lane k sees indices = k mod 4): the comparisons no longer
  // wait on each other, about 1.5x faster on a 59,514-token row, which is read every step.
  const lanes = length - (length % 4);
  if (lanes === 0) return argmaxFrom(values, from, length, 0, 0, values[from]);
  let [b0, b1, b2, b3] = [0, 1, 2, 3];
  let [v0, v1, v2, v3] = [values[from], values[from + 1], values[from + 2], values[from + 3]];
  for (let j = 4; j < lanes; j += 4) {
    const i = from + j;
    const x0 = values[i];
    const x1 = values[i + 1];
    const x2 = values[i + 2];
    const x3 = values[i + 3];
    if (x0 > v0) {
      v0 = x0;
      b0 = j;
    }
    if (x1 > v1) {
      v1 = x1;
      b1 = j + 1;
    }
    if (x2 > v2) {
      v2 = x2;
      b2 = j + 2;
    }
    if (x3 > v3) {
      v3 = x3;
      b3 = j + 3;
    }
  }
  // Equal maxima: the lowest index wins, as in a single left-to-right scan.
  const better = (b: number, v: number, best: number, bestValue: number) => v > bestValue || (v === bestValue && b < best);
  if (better(b1, v1, b0, v0)) {
    b0 = b1;
    v0 = v1;
  }
  if (better(b2, v2, b0, v0)) {
    b0 = b2;
    v0 = v2;
  }
  if (better(b3, v3, b0, v0)) {
    b0 = b3;
    v0 = v3;
  }
  return argmaxFrom(values, from, length, lanes, b0, v0);
}

/** Continues a left-to-right argmax scan at `start`, with the best so far. */
function argmaxFrom(values: Float32Array, from: number, length: number, start: number, best: number, bestValue: number): number {
  for (let j = start; j < length; j++) {
    const x = values[from + j];
    if (x > bestValue) {
      bestValue = x;
      best = j;
    }
  }
  return best;
}

/** log(sum(exp(values))) over a row, computed in float64 and stable against large values. */
export function logSumExp(values: Float32Array, from: number, length: number): number {
  let max = -Infinity;
  for (let j = 0; j < length; j++) {
    const x = values[from + j];
    if (x > max) max = x;
  }
  if (max === -Infinity || max === Infinity) return max;
  let sum = 0;
  for (let j = 0; j < length; j++) sum += Math.exp(values[from + j] - max);
  return max + Math.log(sum);
}
