/**
 * The write stage: formats (pure, in ./formats/) plus the only code in src/write/ that touches
 * the filesystem: output naming, atomic files (./output-file.ts), documents written as they
 * arrive (./document-output.ts), and reading fr2en's version.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AlignedDocument } from '../document.js';
import { renderChunks, writers, type OutputFormat, type WriteOptions } from './formats/index.js';
import { openOutput } from './output-file.js';

export * from './formats/index.js';
export { cleanText, escapeHtml, escapeMarkdownCell, escapeTsvField, unescapeTsvField } from './escape.js';
export type { JsonlRecord } from './formats/jsonl.js';
export { openOutput, removeStaleTemporaries, temporaryPath, TEMPORARY_NAME, type OutputFile } from './output-file.js';
export { openDocumentOutput, openDocumentStream, type DocumentOutput } from './document-output.js';
export { documentTotals, needsReview, isTranslation, reviewSummary, UNTRANSLATED_FLAGS, type DocumentTotals } from './review.js';

/**
 * Where the output for `inputRelPath` goes: the same relative folder under `outDir`, the input's
 * name without its last extension, plus the format's extension:
 * `articles/le-monde.txt` + `html` -> `<outDir>/articles/le-monde.fr-en.html`. Stdin (`-`) is
 * named `stdin`. The input path must be relative and stay inside `outDir`.
 */
export function outputPath(inputRelPath: string, format: OutputFormat, outDir: string): string {
  const rel = inputRelPath === '-' ? 'stdin' : path.normalize(inputRelPath);
  if (path.isAbsolute(rel) || rel === '..' || rel.startsWith(`..${path.sep}`)) {
    throw new RangeError(`Expected \`inputRelPath\` to be a relative path inside the input folder, got ${inputRelPath}`);
  }
  const { dir, name, ext } = path.parse(rel);
  // `path.parse('.env')` has name '.env' and no ext; `notes.` has ext '.'.
  return path.join(outDir, dir, `${ext === '.' ? `${name}.` : name}${writers[format].extension}`);
}

/** Whether a file name is one fr2en gives its outputs (`x.en.txt`, `x.fr-en.html`...). */
export function isOutputName(fileName: string): boolean {
  return Object.values(writers).some((writer) => fileName.endsWith(writer.extension));
}

/**
 * fr2en's version from its package.json (`../../package.json` from src/write/ and dist/write/
 * alike). Read on each call: one small file per output, and no module state.
 */
export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/**
 * Writes `doc` in `format` to `filePath` atomically, paragraph by paragraph. Fills
 * `options.toolVersion` from package.json when absent. On any error the file is not created.
 * The document is in memory, so a header that needs totals costs a counting pass, not a spool.
 */
export async function writeDocument(
  doc: AlignedDocument,
  format: OutputFormat,
  filePath: string,
  options: WriteOptions = {},
): Promise<void> {
  const output = await openOutput(filePath);
  try {
    for (const chunk of renderChunks(doc, format, { ...options, toolVersion: options.toolVersion ?? toolVersion() })) {
      await output.write(chunk);
    }
    await output.commit();
  } catch (error) {
    await output.abort();
    throw error;
  }
}
