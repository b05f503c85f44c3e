/**
 * The decoder's self-attention cache, kept in JavaScript when the decoder graph returns only the
 * positions each step adds (`present_new.*`, see src/models/onnx/decoder-outputs.ts).
 *
 * Each cache tensor is `[rows, heads, length, headDim]`, contiguous at the start of one buffer
 * sized once for the batch's longest output. A step grows it in place once ONNX Runtime is done
 * reading it: the (row, head) blocks move up, last first, to their new stride, and the new
 * position goes at the end of each. Re-forming the rows (finished sentences leaving, beams
 * reordered or repeated) also happens in place (`select`). The buffers come from a pool that
 * outlives the batch, so decoding allocates no cache memory once the first batches have run, and
 * a worker holds one cache of the largest batch instead of a trail of garbage buffers.
 */

/** Buffers kept between batches (one worker decodes one batch at a time). */
const pool: Float32Array[] = [];

/** A buffer of at least `size` floats: the pool's smallest that fits, else a new one. */
function take(size: number): Float32Array {
  let best = -1;
  for (let i = 0; i < pool.length; i++) if (pool[i].length >= size && (best < 0 || pool[i].length < pool[best].length)) best = i;
  if (best >= 0) return pool.splice(best, 1)[0];
  // None fits: the smallest is dropped, so the pool holds what the largest batch needs, not more.
  if (pool.length > 0) pool.splice(pool.indexOf(pool.reduce((a, b) => (a.length < b.length ? a : b))), 1);
  return new Float32Array(size);
}

export interface CacheTensor {
  readonly data: Float32Array;
  readonly dims: readonly [number, number, number, number];
}

export class SelfAttentionCache {
  readonly #names: readonly string[];
  readonly #heads: number;
  readonly #headDim: number;
  readonly #capacity: number;
  #buffers: Float32Array[];
  #rows: number;
  #length = 0;

  /** `capacity`: the most positions the batch will need (its longest output). */
  constructor(names: readonly string[], rows: number, heads: number, headDim: number, capacity: number) {
    this.#names = names;
    this.#rows = rows;
    this.#heads = heads;
    this.#headDim = headDim;
    this.#capacity = capacity;
    this.#buffers = names.map(() => take(rows * heads * capacity * headDim));
  }

  get length(): number {
    return this.#length;
  }

  /** Gives the buffers back for the next batch. */
  release(): void {
    pool.push(...this.#buffers);
    this.#buffers = [];
  }

  /** The cache as decoder inputs: name -> `[rows, heads, length, headDim]` data. */
  tensors(): Map<string, CacheTensor> {
    const size = this.#rows * this.#heads * this.#length * this.#headDim;
    const dims = [this.#rows, this.#heads, this.#length, this.#headDim] as const;
    return new Map(this.#names.map((name, i) => [name, { data: this.#buffers[i].subarray(0, size), dims }]));
  }

  /** Appends one position per row: `added(name)` is `[rows, heads, 1, headDim]`. */
  append(added: (name: string) => Float32Array): void {
    const block = this.#headDim;
    const from = this.#length * block;
    const to = from + block;
    const pairs = this.#rows * this.#heads;
    this.#names.forEach((name, i) => {
      const source = added(name);
      if (source.length !== pairs * block) throw new Error(`${name}: expected ${pairs * block} new values, got ${source.length}`);
      const buffer = this.#room(i, pairs * to, 1.25);
      for (let p = pairs - 1; p >= 0; p--) {
        if (from > 0 && p > 0) buffer.copyWithin(p * to, p * from, p * from + from);
        buffer.set(source.subarray(p * block, p * block + block), p * to + from);
      }
    });
    this.#length++;
  }

  /**
   * Row r continues old row `sourceRows[r]`, gathered in place: rows are written in order, and an
   * old row is put aside only when it is about to be overwritten while a later row still needs it.
   * A beam step reorders rows within each sentence's block, so at most a block's worth of rows is
   * put aside, instead of the whole cache going through a second buffer (which doubled a worker's
   * cache memory with beams).
   */
  select(sourceRows: Int32Array): void {
    const rows = sourceRows.length;
    const rowSize = this.#heads * this.#length * this.#headDim;
    // How many rows after r still read old row s: an old row must be kept while this is > 0.
    const readersLeft = new Int32Array(this.#rows);
    for (const s of sourceRows) readersLeft[s]++;
    this.#buffers.forEach((_, i) => {
      // Sized for the batch's whole output: the appends that follow need no larger buffer.
      const buffer = this.#room(i, rows * this.#heads * this.#capacity * this.#headDim);
      const aside = new Map<number, Float32Array>();
      const pending = readersLeft.slice();
      for (let r = 0; r < rows; r++) {
        const s = sourceRows[r];
        pending[s]--;
        if (s === r) continue;
        // Old row r is overwritten now: keep it if a later row reads it.
        if (r < this.#rows && pending[r] > 0 && !aside.has(r)) aside.set(r, buffer.slice(r * rowSize, (r + 1) * rowSize));
        const kept = aside.get(s);
        if (kept) buffer.set(kept, r * rowSize);
        else buffer.copyWithin(r * rowSize, s * rowSize, (s + 1) * rowSize);
        if (kept && pending[s] === 0) aside.delete(s);
      }
    });
    this.#rows = rows;
  }

  /**
   * Tensor i's buffer, with room for `size` floats: replaced by a larger one (with `slack` to spare)
   * when the batch outgrows it, as beams do when they are expanded.
   */
  #room(i: number, size: number, slack = 1): Float32Array {
    const buffer = this.#buffers[i];
    if (buffer.length >= size) return buffer;
    const larger = take(Math.ceil(size * slack));
    larger.set(buffer.subarray(0, this.#rows * this.#heads * this.#length * this.#headDim));
    this.#buffers[i] = larger;
    return larger;
  }
}
