/**
 * Documents written as their paragraphs arrive (the batch job's path), including the formats whose
 * header needs document totals and so spool their body: same bytes as renderDocument, nothing
 * left behind, flat memory.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlignedDocument, AlignedParagraph } from '../src/document.js';
import {
  openDocumentOutput,
  openDocumentStream,
  OUTPUT_FORMATS,
  renderDocument,
  resolveWriteMeta,
  TEMPORARY_NAME,
  writers,
  type DocumentOutput,
} from '../src/write/index.js';
import { alignedDocument, sampleDocument } from './helpers/aligned-fixtures.js';

// A forced collection, so that the memory test measures what is retained, not garbage.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fr2en-write-document-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const options = { toolVersion: '0.1.0', width: 72 };

async function writeAll(output: DocumentOutput, doc: AlignedDocument): Promise<void> {
  for (const paragraph of doc.paragraphs) await output.paragraph(paragraph);
  await output.commit();
}

/** A document of `paragraphs` paragraphs, every fifth one with a finding, every seventh failed, multibyte text throughout. */
function bigDocument(paragraphs: number): AlignedDocument {
  return alignedDocument(
    'big.txt',
    Array.from({ length: paragraphs }, (_, i) => ({
      kind: 'prose' as const,
      pairs: [
        [`Élément ${i} : « déjà vu » à Tōkyō 東京 🍵.`, `Item ${i}: "déjà vu" in Tōkyō 東京 🍵.`, i % 7 === 0 ? ['failed'] : [], { qa: i % 5 === 0 ? [{ check: 'numbers', message: `source number ${i} missing` }] : [], confidence: -0.25 }],
        [`Deuxième phrase ${i}, un peu plus longue que la première.`, `Second sentence ${i}, a little longer than the first.`],
      ] as const,
    })),
  );
}

describe('openDocumentOutput', () => {
  it('writes the same bytes as renderDocument, in every format', async () => {
    const doc = sampleDocument();
    const meta = resolveWriteMeta(doc, options);
    for (const format of OUTPUT_FORMATS) {
      const file = path.join(dir, `out${writers[format].extension}`);
      await writeAll(await openDocumentOutput(file, format, meta), doc);
      expect(readFileSync(file, 'utf8'), format).toBe(renderDocument(doc, format, options));
    }
    expect(readdirSync(dir).filter((name) => TEMPORARY_NAME.test(name))).toEqual([]);
  });

  it('keeps a totals format\'s body in a spool that has no name in the folder, then commits header first', async () => {
    const doc = sampleDocument();
    const file = path.join(dir, 'x.fr-en.tmx');
    const output = await openDocumentOutput(file, 'tmx', resolveWriteMeta(doc, options));
    for (const paragraph of doc.paragraphs) await output.paragraph(paragraph);
    // Only the output's own temporary file is visible: the spool was unlinked once open.
    expect(readdirSync(dir)).toEqual([expect.stringMatching(TEMPORARY_NAME)]);
    await output.commit();
    expect(readdirSync(dir)).toEqual(['x.fr-en.tmx']);
    const written = readFileSync(file, 'utf8');
    expect(written.indexOf('<note>2 of 15 sentence pairs left out')).toBeLessThan(written.indexOf('<body>'));
  });

  it('leaves an existing file as it was, and nothing else, on abort', async () => {
    const doc = sampleDocument();
    const meta = resolveWriteMeta(doc, options);
    for (const format of ['html', 'jsonl'] as const) {
      const file = path.join(dir, `old${writers[format].extension}`);
      writeFileSync(file, 'old');
      const output = await openDocumentOutput(file, format, meta);
      await output.paragraph(doc.paragraphs[0]);
      await output.abort();
      await output.abort(); // idempotent
      expect(readFileSync(file, 'utf8')).toBe('old');
    }
    expect(readdirSync(dir).sort()).toEqual(['old.fr-en.html', 'old.fr-en.jsonl']);
  });

  it('keeps memory flat on a large document (the body is on disk, not in the heap)', async () => {
    const doc = bigDocument(20_000);
    const file = path.join(dir, 'big.fr-en.tmx');
    const output = await openDocumentOutput(file, 'tmx', resolveWriteMeta(doc, options));
    const retained = (): number => (gc(), process.memoryUsage().heapUsed);
    let early = 0;
    for (const paragraph of doc.paragraphs) {
      await output.paragraph(paragraph);
      if (paragraph.index === 1000) early = retained();
    }
    const late = retained();
    await output.commit();
    const size = readFileSync(file).length;
    expect(size).toBeGreaterThan(8 * 1024 * 1024);
    // Holding the body would retain at least its size in the heap (as UTF-16, up to twice that).
    // Measured: under 0.2 of it in vitest (its own bookkeeping; a plain node run shows none).
    expect(late - early).toBeLessThan(size / 3);
    expect(readFileSync(file, 'utf8')).toBe(renderDocument(doc, 'tmx', options));
  }, 60_000);
});

describe('openDocumentStream', () => {
  function collector(): { chunks: string[]; write(chunk: string): boolean } {
    const chunks: string[] = [];
    return { chunks, write: (chunk) => (chunks.push(chunk), true) };
  }

  it('writes the same bytes as renderDocument to a stream, in every format, spooling in the given folder', async () => {
    const doc = sampleDocument();
    const meta = resolveWriteMeta(doc, options);
    for (const format of OUTPUT_FORMATS) {
      const stream = collector();
      await writeAll(await openDocumentStream(stream, format, meta, dir), doc);
      expect(stream.chunks.join(''), format).toBe(renderDocument(doc, format, options));
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('streams a plain format as it comes, and a totals format at commit', async () => {
    const doc = sampleDocument();
    const meta = resolveWriteMeta(doc, options);
    const plain = collector();
    const totals = collector();
    const outputs = [await openDocumentStream(plain, 'jsonl', meta, dir), await openDocumentStream(totals, 'html', meta, dir)];
    await Promise.all(outputs.map((output) => output.paragraph(doc.paragraphs[0] as AlignedParagraph)));
    expect(plain.chunks.join('')).toContain('"id":"p0.s0"');
    expect(totals.chunks).toEqual([]);
    for (const paragraph of doc.paragraphs.slice(1)) await Promise.all(outputs.map((output) => output.paragraph(paragraph)));
    await Promise.all(outputs.map((output) => output.commit()));
    expect(totals.chunks.join('')).toBe(renderDocument(doc, 'html', options));
  });

  it('keeps characters whole where spool blocks cut them (multibyte text past 256 KiB)', async () => {
    const doc = bigDocument(3000);
    const stream = collector();
    await writeAll(await openDocumentStream(stream, 'tmx', resolveWriteMeta(doc, options), dir), doc);
    const text = stream.chunks.join('');
    expect(Buffer.byteLength(text)).toBeGreaterThan(3 * 256 * 1024);
    expect(text).not.toContain('\uFFFD');
    expect(text).toBe(renderDocument(doc, 'tmx', options));
  });
});
