/**
 * Lines up the versions being compared, pair by pair, with their French and the reference.
 *
 * - Files that carry the French (fr2en's JSONL, TSV, TMX, XLIFF) are aligned by pair id with the
 *   first of them, the base: the same ids, and the same French for each id, or an error that
 *   names the file, the id and both French sentences. Files whose ids share none with the base's
 *   (a TSV's line numbers against JSONL ids) are aligned by position instead, French checked all
 *   the same.
 * - Plain text (one sentence per line) has no French: it is aligned by position, and needs the
 *   same number of lines. With `source` (`--source FR.txt`), the French comes from that file and
 *   every version is aligned with it by position.
 * - The reference follows the same rules as a version.
 *
 * Every problem is a UsageError (exit 2): nothing can be compared from inputs that do not line up.
 */
import { UsageError } from '../errors.js';
import type { PairRecord } from '../read/pairs.js';

/** A file's records, with the name to use in messages. */
export interface CompareFile {
  readonly file: string;
  readonly records: readonly PairRecord[];
  /** What a record is called in messages; default: `pairs` for files with French, else `lines`. */
  readonly unit?: 'pairs' | 'lines';
}

/** One pair across every input: French, each version's English, the reference's. */
export interface AlignedRow {
  readonly id: string;
  readonly source: string;
  readonly texts: readonly string[];
  readonly reference?: string;
}

export interface AlignInputs {
  readonly versions: readonly CompareFile[];
  /** The French, one sentence per line (`--source`); required when no version carries it. */
  readonly source?: CompareFile;
  readonly reference?: CompareFile;
}

type SourcedRecord = PairRecord & { source: string };

const hasSources = (file: CompareFile): boolean => file.records.length > 0 && file.records.every((record) => record.source !== undefined);

export interface Aligned {
  readonly rows: AlignedRow[];
  /** The file the French was taken from: `source`, or the first version that carries it. */
  readonly sourceFile: string;
}

export function alignInputs(inputs: AlignInputs): Aligned {
  const { versions, source, reference } = inputs;
  const base = source ? frenchLines(source, versions.find(hasSources)) : versions.find(hasSources);
  if (!base) {
    throw new UsageError(`${versions[0].file}: plain text has no French to align on; pass --source with the French, one sentence per line`);
  }
  if (base.records.length === 0) throw new UsageError(`${base.file} has no pairs to compare`);
  const baseRecords = base.records as readonly SourcedRecord[];
  const baseIndex = indexById(base);
  const line = (file: CompareFile) => lineUp(file, base, baseIndex);
  const texts = versions.map(line);
  const references = reference ? line(reference) : undefined;
  const rows = baseRecords.map((record, i) => ({
    id: record.id,
    source: record.source,
    texts: texts.map((version) => version[i]),
    ...(references ? { reference: references[i] } : {}),
  }));
  return { rows, sourceFile: base.file };
}

/**
 * `--source`'s lines as the base. Their ids are those of the first version that has ids of its own
 * (fr2en's `p0.s0`), so that messages and outputs name pairs as the versions do; else line numbers.
 */
function frenchLines(source: CompareFile, sourced: CompareFile | undefined): CompareFile {
  const sameLength = sourced !== undefined && sourced.records.length === source.records.length;
  return {
    file: source.file,
    unit: 'lines',
    records: source.records.map((record, i) => ({ id: sameLength ? sourced.records[i].id : record.id, source: record.target, target: '' })),
  };
}

function indexById(file: CompareFile): Map<string, number> {
  const index = new Map<string, number>();
  file.records.forEach((record, i) => {
    if (index.has(record.id)) throw new UsageError(`${file.file}: pair ${record.id} appears more than once; ids must be unique to align on them`);
    index.set(record.id, i);
  });
  return index;
}

/** A file's English, one text per base record, in the base's order. */
function lineUp(file: CompareFile, base: CompareFile, baseIndex: ReadonlyMap<string, number>): string[] {
  if (file === base) return file.records.map((record) => record.target);
  const byId = hasSources(file) && file.records.some((record) => baseIndex.has(record.id));
  return byId ? lineUpById(file, base, baseIndex) : lineUpByPosition(file, base);
}

function lineUpById(file: CompareFile, base: CompareFile, baseIndex: ReadonlyMap<string, number>): string[] {
  const texts = new Array<string | undefined>(base.records.length);
  const index = indexById(file);
  for (const record of file.records) {
    const at = baseIndex.get(record.id);
    if (at === undefined) throw new UsageError(`${file.file}: pair ${record.id} is not in ${base.file}; compare versions of the same text`);
    checkFrench(file, record, base, base.records[at]);
    texts[at] = record.target;
  }
  const missing = base.records.find((record) => !index.has(record.id));
  if (missing) throw new UsageError(`${file.file} has no pair ${missing.id}, which ${base.file} has; compare versions of the same text`);
  return texts as string[];
}

function lineUpByPosition(file: CompareFile, base: CompareFile): string[] {
  if (file.records.length !== base.records.length) {
    throw new UsageError(`${file.file} has ${size(file)} but ${base.file} has ${size(base)}; versions must have one line per pair`);
  }
  return file.records.map((record, i) => {
    if (record.source !== undefined) checkFrench(file, record, base, base.records[i]);
    return record.target;
  });
}

function checkFrench(file: CompareFile, record: PairRecord, base: CompareFile, baseRecord: PairRecord): void {
  if (record.source === baseRecord.source) return;
  const where = record.id === baseRecord.id ? `pair ${record.id}` : `pair ${record.id} (${baseRecord.id} in ${base.file})`;
  throw new UsageError(
    `${file.file}: the French of ${where} differs: ${JSON.stringify(record.source)} here, ${JSON.stringify(baseRecord.source)} in ${base.file}`,
  );
}

function size(file: CompareFile): string {
  const n = file.records.length;
  const unit = file.unit ?? (hasSources(file) ? 'pairs' : 'lines');
  return `${n} ${n === 1 ? unit.slice(0, -1) : unit}`;
}
