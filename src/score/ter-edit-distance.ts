/**
 * The word-level edit distance behind TER, ported from sacreBLEU 2.6.0's `BeamEditDistance`
 * (`sacrebleu/metrics/lib_ter.py`): Levenshtein distance restricted to a beam around the
 * length-scaled diagonal, with the trace of operations, and a prefix cache of matrix rows. TER
 * calls it for every shift it tries, and the shifted hypotheses share long prefixes, so the cache
 * saves most of the work. Words are integer ids here (see ter.ts).
 */

export const COST_INSERT = 1;
export const COST_DELETE = 1;
export const COST_SUBSTITUTE = 1;
/** Half-width of the beam, in reference words (Tercom's value). */
const BEAM_WIDTH = 25;
/** Rows kept in the prefix cache at most (sacreBLEU's limit; it bounds memory, not results). */
const MAX_CACHE_SIZE = 10000;
/** Cells outside the beam. Any value far above a real cost works: +1 must stay above it. */
const UNREACHABLE = 2 ** 30;

/** Trace operations, as sacreBLEU writes them. */
export const OP_INSERT = 'i';
export const OP_DELETE = 'd';
export const OP_MATCH = ' ';
export const OP_SUBSTITUTE = 's';
/** Operations as stored in a row; 0 is a cell the beam never reached. */
const CODE = { [OP_INSERT]: 1, [OP_DELETE]: 2, [OP_MATCH]: 3, [OP_SUBSTITUTE]: 4 } as const;
const OP_OF_CODE = ['', OP_INSERT, OP_DELETE, OP_MATCH, OP_SUBSTITUTE];

/** One row of the distance matrix: a cost and the operation that reached it, per reference position. */
interface Row {
  readonly cost: Int32Array;
  readonly op: Uint8Array;
}

interface CacheNode {
  readonly children: Map<number, { node: CacheNode; row: Row }>;
}

export interface EditDistance {
  distance: number;
  /** One operation per step, rewriting the hypothesis into the reference (`''` when not asked for). */
  trace: string;
}

export class BeamEditDistance {
  readonly #ref: Int32Array;
  readonly #initialRow: Row;
  readonly #cache: CacheNode = { children: new Map() };
  #cacheSize = 0;

  constructor(ref: Int32Array) {
    this.#ref = ref;
    const width = ref.length + 1;
    // The first row inserts the reference word by word.
    const cost = new Int32Array(width);
    for (let j = 0; j < width; j++) cost[j] = j * COST_INSERT;
    this.#initialRow = { cost, op: new Uint8Array(width).fill(CODE[OP_INSERT]) };
  }

  /** Distance from `hyp` to the reference, and (with `withTrace`) the operations. */
  compute(hyp: Int32Array, withTrace = true): EditDistance {
    const rows = this.#findCached(hyp);
    const start = rows.length - 1;
    this.#fillRows(hyp, rows);
    this.#addToCache(hyp, rows, start);
    const last = rows[hyp.length];
    return { distance: last.cost[this.#ref.length], trace: withTrace ? this.#trace(rows, hyp.length) : '' };
  }

  /** The cached rows for the longest cached prefix of `hyp`, after the initial row. */
  #findCached(hyp: Int32Array): Row[] {
    const rows: Row[] = [this.#initialRow];
    let node = this.#cache;
    for (const word of hyp) {
      const entry = node.children.get(word);
      if (entry === undefined) break;
      rows.push(entry.row);
      node = entry.node;
    }
    return rows;
  }

  /** Computes the rows after the cached ones, inside the beam (the last row in full). */
  #fillRows(hyp: Int32Array, rows: Row[]): void {
    const nRef = this.#ref.length;
    const nHyp = hyp.length;
    const lengthRatio = nHyp > 0 ? nRef / nHyp : 1;
    // With very different lengths, consecutive beams could stop overlapping: widen.
    const beamWidth = BEAM_WIDTH < lengthRatio / 2 ? Math.ceil(lengthRatio / 2 + BEAM_WIDTH) : BEAM_WIDTH;
    for (let i = rows.length; i <= nHyp; i++) {
      const previous = rows[i - 1];
      const cost = new Int32Array(nRef + 1).fill(UNREACHABLE);
      const op = new Uint8Array(nRef + 1);
      const pseudoDiagonal = Math.floor(i * lengthRatio);
      const minJ = Math.max(0, pseudoDiagonal - beamWidth);
      const maxJ = i === nHyp ? nRef + 1 : Math.min(nRef + 1, pseudoDiagonal + beamWidth);
      const word = hyp[i - 1];
      for (let j = minJ; j < maxJ; j++) {
        if (j === 0) {
          cost[0] = previous.cost[0] + COST_DELETE;
          op[0] = CODE[OP_DELETE];
          continue;
        }
        // Tercom prefers match/substitution, then insertion, then deletion; the trace is
        // flipped later, hence deletion before insertion here. Strict `<` keeps the first best.
        const same = word === this.#ref[j - 1];
        const diagonal = previous.cost[j - 1] + (same ? 0 : COST_SUBSTITUTE);
        if (diagonal < cost[j]) {
          cost[j] = diagonal;
          op[j] = same ? CODE[OP_MATCH] : CODE[OP_SUBSTITUTE];
        }
        const deletion = previous.cost[j] + COST_DELETE;
        if (deletion < cost[j]) {
          cost[j] = deletion;
          op[j] = CODE[OP_DELETE];
        }
        const insertion = cost[j - 1] + COST_INSERT;
        if (insertion < cost[j]) {
          cost[j] = insertion;
          op[j] = CODE[OP_INSERT];
        }
      }
      rows.push({ cost, op });
    }
  }

  #trace(rows: Row[], nHyp: number): string {
    const ops: string[] = [];
    let i = nHyp;
    let j = this.#ref.length;
    while (i > 0 || j > 0) {
      const code = rows[i].op[j];
      const op = OP_OF_CODE[code];
      ops.push(op);
      if (op === OP_SUBSTITUTE || op === OP_MATCH) {
        i--;
        j--;
      } else if (op === OP_INSERT) {
        j--;
      } else if (op === OP_DELETE) {
        i--;
      } else {
        // The last row is complete and every row's beam overlaps the next: unreachable.
        throw new Error(`TER: the edit trace reached a cell outside the beam (row ${i}, column ${j})`);
      }
    }
    return ops.reverse().join('');
  }

  /** Stores the rows computed for `hyp` beyond its cached prefix of `start` words. */
  #addToCache(hyp: Int32Array, rows: Row[], start: number): void {
    if (this.#cacheSize >= MAX_CACHE_SIZE) return;
    let node = this.#cache;
    for (let i = 0; i < start; i++) node = node.children.get(hyp[i])!.node;
    for (let i = start; i < hyp.length; i++) {
      let entry = node.children.get(hyp[i]);
      if (entry === undefined) {
        entry = { node: { children: new Map() }, row: rows[i + 1] };
        node.children.set(hyp[i], entry);
        this.#cacheSize++;
      }
      node = entry.node;
    }
  }
}
