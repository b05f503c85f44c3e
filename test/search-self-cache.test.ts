/**
 * The self-attention cache's in-place row gather (`select`) against a plain gather into a new
 * array, on the row patterns the searches produce (rows leaving, beams expanded, beams reordered
 * within their sentence) and on arbitrary ones.
 */
import { describe, expect, it } from 'vitest';
import { SelfAttentionCache } from '../src/translate/search/self-cache.js';

const HEADS = 2;
const HEAD_DIM = 3;
const NAMES = ['past_key_values.0.decoder.key', 'past_key_values.0.decoder.value'];

/** A cache of `rows` rows and `length` positions whose every value says where it came from. */
function filledCache(rows: number, length: number, capacity: number): { cache: SelfAttentionCache; step: (tag: number) => void } {
  const cache = new SelfAttentionCache(NAMES, rows, HEADS, HEAD_DIM, capacity);
  let currentRows = rows;
  const step = (tag: number) => {
    cache.append((name) => Float32Array.from({ length: currentRows * HEADS * HEAD_DIM }, (_, i) => tag * 1000 + NAMES.indexOf(name) * 100000 + i));
  };
  for (let t = 0; t < length; t++) step(t + 1);
  return {
    cache,
    step: (tag) => {
      currentRows = cache.tensors().get(NAMES[0])!.dims[0];
      step(tag);
    },
  };
}

function rowsOf(cache: SelfAttentionCache, name: string): Float32Array[] {
  const { data, dims } = cache.tensors().get(name)!;
  const rowSize = dims[1] * dims[2] * dims[3];
  return Array.from({ length: dims[0] }, (_, r) => data.slice(r * rowSize, (r + 1) * rowSize));
}

function expectGather(rows: number, length: number, sourceRows: number[], capacity = length + 2): void {
  const { cache, step } = filledCache(rows, length, capacity);
  const before = NAMES.map((name) => rowsOf(cache, name));
  cache.select(Int32Array.from(sourceRows));
  NAMES.forEach((name, i) => {
    expect(rowsOf(cache, name)).toEqual(sourceRows.map((s) => before[i][s]));
  });
  // The cache keeps growing correctly after the gather.
  step(99);
  const { dims } = cache.tensors().get(NAMES[0])!;
  expect(dims).toEqual([sourceRows.length, HEADS, length + 1, HEAD_DIM]);
  NAMES.forEach((name, i) => {
    const grown = rowsOf(cache, name);
    sourceRows.forEach((s, r) => {
      for (let h = 0; h < HEADS; h++) {
        const old = before[i][s].subarray(h * length * HEAD_DIM, (h + 1) * length * HEAD_DIM);
        expect(grown[r].subarray(h * (length + 1) * HEAD_DIM, h * (length + 1) * HEAD_DIM + length * HEAD_DIM)).toEqual(old);
      }
    });
  });
}

describe('SelfAttentionCache.select', () => {
  it('keeps rows that stay (identity)', () => expectGather(4, 3, [0, 1, 2, 3]));
  it('moves rows down when sentences finish (greedy)', () => expectGather(6, 4, [0, 2, 3, 5]));
  it('expands one row per sentence into beams', () => expectGather(3, 1, [0, 0, 0, 1, 1, 1, 2, 2, 2], 4));
  it('reorders and repeats beams within each sentence', () => expectGather(8, 5, [1, 1, 0, 3, 4, 4, 7, 5]));
  it('drops a finished sentence while the others reorder', () => expectGather(9, 3, [3, 5, 5, 8, 6, 6]));
  it('gathers arbitrary row patterns, including rows read after they were overwritten', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let trial = 0; trial < 200; trial++) {
      const rows = 1 + random(7);
      const count = 1 + random(9);
      expectGather(rows, 1 + random(4), Array.from({ length: count }, () => random(rows)), 6);
    }
  });
});
