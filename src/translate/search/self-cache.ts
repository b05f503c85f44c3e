/**
 * The decoder's self-attention cache, kept in JavaScript when the decoder graph returns only the
 * positions each step adds (`present_new.*`, see src/models/onnx/decoder-outputs.ts).
 *
 * Each cache tensor is `[rows, heads, length, headDim]`, contiguous at the start of one buffer
 * sized once for the batch's longest output. A step grows it in place once ONNX Runtime is done
 * reading it: the (row, head) blocks move up, last first, to their new stride, and the new
 * position goes at the end of each. Re-forming the rows copies the chosen rows; rows that only
 * leave (greedy search) move down in place, and reordered or repeated rows (beam search) go
 * through a second buffer. The buffers come from a pool that outlives the batch, so decoding
 * allocates no cache memory once the first batches have run, and a worker holds one cache of the
 * largest batch instead of a trail of garbage buffers.
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
  #buffers: Float32Array[];
  #rows: number;
  #length = 0;

  /** `capacity`: the most positions the batch will need (its longest output). */
  constructor(names: readonly string[], rows: number, heads: number, headDim: number, capacity: number) {
    this.#names = names;
    this.#rows = rows;
    this.#heads = heads;
    this.#headDim = headDim;
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
      const buffer = this.#room(i, pairs * to);
      for (let p = pairs - 1; p >= 0; p--) {
        if (from > 0 && p > 0) buffer.copyWithin(p * to, p * from, p * from + from);
        buffer.set(source.subarray(p * block, p * block + block), p * to + from);
      }
    });
    this.#length++;
  }

  /** Row r continues old row `sourceRows[r]`. */
  select(sourceRows: Int32Array): void {
    const rowSize = this.#heads * this.#length * this.#headDim;
    // Rows that only leave, in order: each moves down (or stays), which copyWithin does in place.
    let inPlace = true;
    for (let r = 0; r < sourceRows.length; r++) if (sourceRows[r] < r || (r > 0 && sourceRows[r] <= sourceRows[r - 1])) inPlace = false;
    this.#names.forEach((_, i) => {
      const current = this.#buffers[i];
      if (inPlace) {
        for (let r = 0; r < sourceRows.length; r++) {
          const s = sourceRows[r];
          if (s !== r) current.copyWithin(r * rowSize, s * rowSize, s * rowSize + rowSize);
        }
        return;
      }
      const next = take(Math.max(current.length, sourceRows.length * rowSize));
      for (let r = 0; r < sourceRows.length; r++) {
        const s = sourceRows[r];
        next.set(current.subarray(s * rowSize, s * rowSize + rowSize), r * rowSize);
      }
      pool.push(current);
      this.#buffers[i] = next;
    });
    this.#rows = sourceRows.length;
  }

  /** Tensor i's buffer, with room for `size` floats (replaced by a larger one if the batch outgrows it). */
  #room(i: number, size: number): Float32Array {
    const buffer = this.#buffers[i];
    if (buffer.length >= size) return buffer;
    const larger = new Float32Array(Math.ceil(size * 1.25));
    larger.set(buffer.subarray(0, this.#rows * this.#heads * this.#length * this.#headDim));
    this.#buffers[i] = larger;
    return larger;
  }
}
