/**
 * N-gram counting for BLEU and chrF without string keys. sacreBLEU counts n-grams in Python
 * Counters keyed by tuples or substrings; here the units of one segment group (a hypothesis and
 * its references) get small integer ids, an n-gram becomes one number (its ids as digits in base
 * `vocabulary size + 1`), and a table is the sorted distinct n-grams of one order with their
 * counts. Matching two tables is a merge walk. One sort per side gives every order (see
 * `prefixTables`), and the tables of one side share two typed arrays: allocation, not
 * arithmetic, was what made the first versions slow.
 */

/**
 * The distinct n-grams of one order in one segment, sorted, with their counts: entries
 * `start` to `end` (excluded) of `keys` and `counts`, which the other orders of the side share.
 */
export interface NgramTable {
  readonly keys: Float64Array;
  readonly counts: Int32Array;
  readonly start: number;
  readonly end: number;
  /** The number of n-grams, repeats included (the sum of the counts). */
  readonly total: number;
}

/** Above this, keys would lose precision in a double. */
const MAX_EXACT_KEY = 2 ** 53;

/**
 * Gives the units (words or characters) of one segment group small ids, then turns sequences of
 * ids into n-gram tables. Give it every unit of the group (`ids`) before building any table
 * (`tables`): keys are written in base `size + 1`, so the size must not change in between.
 */
export class SegmentNgrams {
  /** Words, or characters as code points: one instance counts one kind of unit. */
  readonly #units = new Map<string | number, number>();
  /** Long n-grams over a large vocabulary do not fit in a double: they are interned instead. */
  readonly #interned = new Map<string, number>();

  ids(units: Iterable<string>): Int32Array {
    const ids: number[] = [];
    for (const unit of units) {
      let id = this.#units.get(unit);
      if (id === undefined) {
        id = this.#units.size;
        this.#units.set(unit, id);
      }
      ids.push(id);
    }
    return Int32Array.from(ids);
  }

  /** Ids of the code points of `text` (Python's characters), with numbers as keys: faster than strings. */
  codePointIds(text: string): Int32Array {
    const ids = new Int32Array(text.length);
    let length = 0;
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          i++;
        }
      }
      let id = this.#units.get(code);
      if (id === undefined) {
        id = this.#units.size;
        this.#units.set(code, id);
      }
      ids[length++] = id;
    }
    return ids.subarray(0, length);
  }

  /** The tables of orders 1..maxOrder (element n - 1 holds order n). */
  tables(ids: Int32Array, maxOrder: number): NgramTable[] {
    const base = this.#units.size + 1;
    if (base ** maxOrder < MAX_EXACT_KEY) return prefixTables(ids, base, maxOrder);
    return this.#internedTables(ids, maxOrder);
  }

  /** The slow path, for a vocabulary too large for numeric keys (a very long segment). */
  #internedTables(ids: Int32Array, maxOrder: number): NgramTable[] {
    const sides: NgramTable[] = [];
    for (let n = 1; n <= maxOrder; n++) {
      const count = Math.max(ids.length - n + 1, 0);
      const keys = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const name = `${n}:${ids.subarray(i, i + n).join(',')}`;
        let key = this.#interned.get(name);
        if (key === undefined) {
          key = this.#interned.size;
          this.#interned.set(name, key);
        }
        keys[i] = key;
      }
      keys.sort();
      const counts = new Int32Array(count);
      const end = runLengths(keys, counts);
      sides.push({ keys, counts, start: 0, end, total: count });
    }
    return sides;
  }
}

/** Collapses sorted `keys` (in place) to distinct keys with their counts; returns how many. */
function runLengths(keys: Float64Array, counts: Int32Array): number {
  let distinct = 0;
  for (let i = 0; i < keys.length; i++) {
    if (distinct > 0 && keys[distinct - 1] === keys[i]) {
      counts[distinct - 1]++;
    } else {
      keys[distinct] = keys[i];
      counts[distinct] = 1;
      distinct++;
    }
  }
  return distinct;
}

/**
 * All orders from one sort. Position i gets the key of the `maxOrder` units starting there, as
 * digits in base `base` (unit id + 1, and 0 past the end). Sorting those keys sorts every prefix
 * too, so the n-grams of each order come out grouped and in order: the n-gram at i is the key's
 * first n digits, `floor(key / base^(maxOrder - n))` (exact, every key being below 2^53), and it
 * exists when its last digit is not 0.
 */
function prefixTables(ids: Int32Array, base: number, maxOrder: number): NgramTable[] {
  const length = ids.length;
  const sorted = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    let key = 0;
    for (let k = 0; k < maxOrder; k++) key = key * base + (i + k < length ? ids[i + k] + 1 : 0);
    sorted[i] = key;
  }
  sorted.sort();
  const keys = new Float64Array(length * maxOrder);
  const counts = new Int32Array(length * maxOrder);
  const tables: NgramTable[] = [];
  let start = 0;
  for (let n = 1; n <= maxOrder; n++) {
    const scale = base ** (maxOrder - n);
    let end = start;
    for (let i = 0; i < length; i++) {
      const prefix = Math.floor(sorted[i] / scale);
      if (prefix - Math.floor(prefix / base) * base === 0) continue; // runs past the end
      if (end > start && keys[end - 1] === prefix) {
        counts[end - 1]++;
      } else {
        keys[end] = prefix;
        counts[end] = 1;
        end++;
      }
    }
    tables.push({ keys, counts, start, end, total: Math.max(length - n + 1, 0) });
    start = end;
  }
  return tables;
}

/** The sum over n-grams of min(count in `a`, count in `b`): the clipped matches. */
export function matchCount(a: NgramTable, b: NgramTable): number {
  let matches = 0;
  let i = a.start;
  let j = b.start;
  while (i < a.end && j < b.end) {
    const ka = a.keys[i];
    const kb = b.keys[j];
    if (ka === kb) {
      matches += Math.min(a.counts[i], b.counts[j]);
      i++;
      j++;
    } else if (ka < kb) {
      i++;
    } else {
      j++;
    }
  }
  return matches;
}

/**
 * For BLEU's clipping over several references: raises `best[k]` to the count in `b` of `a`'s
 * k-th distinct n-gram where that is higher, so that after every reference `best` holds each
 * hypothesis n-gram's highest count in any one of them.
 */
export function raiseToCountsIn(a: NgramTable, b: NgramTable, best: Int32Array): void {
  let i = a.start;
  let j = b.start;
  while (i < a.end && j < b.end) {
    const ka = a.keys[i];
    const kb = b.keys[j];
    if (ka === kb) {
      if (b.counts[j] > best[i - a.start]) best[i - a.start] = b.counts[j];
      i++;
      j++;
    } else if (ka < kb) {
      i++;
    } else {
      j++;
    }
  }
}

/** Sum over `a`'s n-grams of min(its count, `clip[k]`). */
export function clippedMatches(a: NgramTable, clip: Int32Array): number {
  let matched = 0;
  for (let i = a.start; i < a.end; i++) matched += Math.min(a.counts[i], clip[i - a.start]);
  return matched;
}
