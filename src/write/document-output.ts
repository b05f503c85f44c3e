/**
 * One document written in one format while its paragraphs arrive (the batch job's path; for a
 * document already in memory, `renderChunks` is simpler).
 *
 * Most writers stream: header first, then each paragraph, then the footer. A `TotalsWriter`'s
 * header states document totals (TMX: how many pairs were left out; HTML: the review summary),
 * known only after the last paragraph. For those the body goes to a spool (a temporary file
 * beside the output, removed from the folder as soon as it is open) and `commit()` writes header,
 * spooled body and footer into the output. Memory stays flat; the price is one more write and
 * read of the body, on the same disk (measured in test/write-document-output.test.ts).
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { AlignedParagraph } from '../document.js';
import { writers, type OutputFormat, type WriteMeta, type Writer } from './formats/index.js';
import { openOutput, type OutputFile } from './output-file.js';
import { TotalsCounter } from './review.js';
import { openSpool } from './spool.js';

export interface DocumentOutput {
  /** The output file, or `-` for a stream. */
  readonly path: string;
  /** Renders and writes one paragraph. Call in document order; await for backpressure. */
  paragraph(paragraph: AlignedParagraph): Promise<void>;
  /** Writes what is left (footer; for totals writers the header and the body) and makes the file appear. */
  commit(): Promise<void>;
  /** Drops what was written; an existing file at the path is left as it was. Never throws. */
  abort(): Promise<void>;
}

/** Opens `filePath` for `format`, atomically (see `openOutput`). */
export async function openDocumentOutput(filePath: string, format: OutputFormat, meta: WriteMeta): Promise<DocumentOutput> {
  return documentOutput(writers[format], meta, await openOutput(filePath), filePath);
}

/**
 * Writes `format` to a stream (standard output). A stream is not atomic: what is written stays
 * written. A totals writer's body is spooled in `spoolDir` and reaches the stream at `commit()`.
 */
export async function openDocumentStream(
  stream: { write(chunk: string): unknown },
  format: OutputFormat,
  meta: WriteMeta,
  spoolDir: string = tmpdir(),
): Promise<DocumentOutput> {
  // Spooled blocks are cut at arbitrary bytes; the decoder carries a split character over.
  const decoder = new StringDecoder('utf8');
  const target: OutputFile = {
    path: '-',
    write: async (chunk) => void stream.write(typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk))),
    commit: async () => {
      const rest = decoder.end();
      if (rest) stream.write(rest);
    },
    abort: async () => undefined,
  };
  return documentOutput(writers[format], meta, target, path.join(spoolDir, `fr2en-stdout${writers[format].extension}`));
}

async function documentOutput(writer: Writer, meta: WriteMeta, target: OutputFile, spoolFor: string): Promise<DocumentOutput> {
  if (!writer.headerNeedsTotals) {
    try {
      await target.write(writer.header(meta));
    } catch (error) {
      await target.abort();
      throw error;
    }
    return {
      path: target.path,
      paragraph: async (paragraph) => target.write(writer.paragraph(paragraph, meta)),
      async commit() {
        try {
          await target.write(writer.footer(meta));
          await target.commit();
        } catch (error) {
          await target.abort();
          throw error;
        }
      },
      abort: () => target.abort(),
    };
  }

  const spool = await openSpool(spoolFor).catch(async (error: unknown) => {
    await target.abort();
    throw error;
  });
  const counter = new TotalsCounter();
  return {
    path: target.path,
    async paragraph(paragraph) {
      counter.add(paragraph);
      return spool.write(writer.paragraph(paragraph, meta));
    },
    async commit() {
      try {
        await target.write(writer.header(meta, counter.totals()));
        for await (const block of spool.blocks()) await target.write(block);
        await target.write(writer.footer(meta));
        await target.commit();
      } catch (error) {
        await target.abort();
        throw error;
      } finally {
        await spool.discard();
      }
    },
    async abort() {
      await spool.discard();
      await target.abort();
    },
  };
}
