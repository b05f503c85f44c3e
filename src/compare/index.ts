/**
 * Comparing translations: two or more English versions of the same French text, pair by pair,
 * with word differences, sentence and corpus scores (src/score/), and renderers for html, md,
 * sbs, jsonl and tsv. `fr2en compare` reads the files and writes the outputs; nothing here does I/O.
 *
 *     const comparison = compareVersions({ versions: [{ file: 'q8.jsonl', records: q8 }, { file: 'fp32.jsonl', records: fp32 }] });
 *     const page = renderComparison(comparison, 'html', { width: 100, color: false, toolVersion });
 */
export { compareVersions, DEFAULT_TOP, REFERENCE_LABEL, type CompareInput, type CompareOptions } from './compare.js';
export type { AlignedRow, CompareFile } from './align.js';
export { columnsOf, columnRuns, type Column, type TextRun } from './columns.js';
export { COMPARE_FORMATS, compareRenderers, isCompareFormat, renderComparison, type CompareFormat, type CompareRenderer, type CompareRenderOptions } from './formats/index.js';
export type { CompareJsonlRecord } from './formats/jsonl.js';
export { COMPARE_HTML_CSP } from './formats/html.js';
export { summaryLines } from './formats/summary-text.js';
export type { ComparedFile, ComparedPair, Comparison, CompareSummary, CorpusScores, PairDiff, SentenceTally } from './types.js';
export { DIFF_OPS, wordDiff, type DiffOp, type DiffSpan } from './word-diff.js';
