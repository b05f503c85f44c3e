import type { AlignedParagraph } from '../../document.js';
import type { DocumentTotals } from '../review.js';

/** What every writer receives besides the paragraphs, resolved once by `resolveWriteMeta`. */
export interface WriteMeta {
  /** The input path as the user gave it (`-` for stdin); shown in titles and stored in records. */
  readonly file: string;
  /** Model id or folder that produced the translations. */
  readonly model: string;
  /** fr2en's version, for TMX `creationtoolversion` and page footers. */
  readonly toolVersion: string;
  /** Total line width of `sbs` output, in terminal columns. */
  readonly width: number;
  /** Whether `sbs` output may contain ANSI colour (the CLI decides from NO_COLOR and isTTY). */
  readonly color: boolean;
}

interface WriterBase {
  /** The format's name, as in `--format`. */
  readonly name: string;
  /** Appended to the input's base name (without its extension) to name the output file. */
  readonly extension: string;
  /** One line for `--help` and the docs. */
  readonly description: string;
  paragraph(paragraph: AlignedParagraph, meta: WriteMeta): string;
  footer(meta: WriteMeta): string;
}

/** A writer whose header depends on the metadata only: the file is written front to back. */
export interface StreamingWriter extends WriterBase {
  readonly headerNeedsTotals: false;
  header(meta: WriteMeta): string;
}

/**
 * A writer whose header states document totals (a count of left-out pairs, a review summary).
 * The header is rendered after the last paragraph: `openDocumentOutput` keeps the body in a
 * temporary file meanwhile, and `renderChunks` counts the in-memory document first.
 */
export interface TotalsWriter extends WriterBase {
  readonly headerNeedsTotals: true;
  header(meta: WriteMeta, totals: DocumentTotals): string;
}

/**
 * One output format. A writer is pure and stateless: the file is `header + paragraph(p) for each
 * paragraph in order + footer`, so a large document can be written paragraph by paragraph with
 * flat memory. Paragraphs must be passed in document order, starting with index 0.
 */
export type Writer = StreamingWriter | TotalsWriter;

/** Ids shared by every format that names pairs: 0-based, as the indexes in AlignedDocument. */
export function paragraphId(paragraph: AlignedParagraph): string {
  return `p${paragraph.index}`;
}

export function pairId(paragraph: AlignedParagraph, pairIndex: number): string {
  return `p${paragraph.index}.s${pairIndex}`;
}
