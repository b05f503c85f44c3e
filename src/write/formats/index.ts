import type { AlignedDocument } from '../../document.js';
import { documentTotals } from '../review.js';
import { html } from './html.js';
import { jsonl } from './jsonl.js';
import { md } from './md.js';
import { MIN_SBS_WIDTH, sbs } from './sbs.js';
import { tmx } from './tmx.js';
import { tsv } from './tsv.js';
import { txt } from './txt.js';
import type { WriteMeta, Writer } from './types.js';
import { xliff } from './xliff.js';

export type { StreamingWriter, TotalsWriter, WriteMeta, Writer } from './types.js';
export { MIN_SBS_WIDTH } from './sbs.js';

/** Every output format by name. A new format is one file in this folder plus one line here. */
export const writers = { txt, sbs, md, html, jsonl, tsv, tmx, xliff } as const satisfies Record<string, Writer>;

export type OutputFormat = keyof typeof writers;

export const OUTPUT_FORMATS = Object.keys(writers) as OutputFormat[];

export function isOutputFormat(name: string): name is OutputFormat {
  return Object.hasOwn(writers, name);
}

/** Options for the writers; all optional. */
export interface WriteOptions {
  /**
   * Line width of `sbs` output in terminal columns, at least MIN_SBS_WIDTH (30). The CLI passes
   * `--width` or the terminal's width.
   * @default 100
   */
  readonly width?: number;
  /**
   * ANSI colour in `sbs` output. The library never looks at the environment: the CLI decides
   * (off with NO_COLOR or when stdout is not a TTY).
   * @default false
   */
  readonly color?: boolean;
  /**
   * fr2en's version for TMX headers and page footers. `writeDocument` fills it from package.json.
   * @default 'unknown'
   */
  readonly toolVersion?: string;
}

export const DEFAULT_WIDTH = 100;

/** Merges options with defaults and checks them, once; writers read the result unchecked. */
export function resolveWriteMeta(doc: Pick<AlignedDocument, 'file' | 'model'>, options: WriteOptions = {}): WriteMeta {
  const width = options.width ?? DEFAULT_WIDTH;
  if (!Number.isInteger(width) || width < MIN_SBS_WIDTH) {
    throw new TypeError(`Expected \`width\` to be an integer >= ${MIN_SBS_WIDTH}, got ${String(width)}`);
  }
  return Object.freeze({
    file: doc.file,
    model: doc.model,
    toolVersion: options.toolVersion ?? 'unknown',
    width,
    color: options.color ?? false,
  });
}

/**
 * Yields a document's output in chunks: the header, one chunk per paragraph, the footer. The
 * document is in memory, so a header that needs totals gets them from a first pass.
 */
export function* renderChunks(doc: AlignedDocument, format: OutputFormat, options: WriteOptions = {}): Generator<string> {
  const writer: Writer = writers[format];
  const meta = resolveWriteMeta(doc, options);
  yield writer.headerNeedsTotals ? writer.header(meta, documentTotals(doc.paragraphs)) : writer.header(meta);
  for (const paragraph of doc.paragraphs) yield writer.paragraph(paragraph, meta);
  yield writer.footer(meta);
}

/** A whole document in one format, as one string. */
export function renderDocument(doc: AlignedDocument, format: OutputFormat, options: WriteOptions = {}): string {
  let out = '';
  for (const chunk of renderChunks(doc, format, options)) out += chunk;
  return out;
}
