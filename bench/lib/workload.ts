/**
 * The benchmark's workload: real French paragraphs, segmented by fr2en's own segmenter and cut
 * to the token budget exactly as the Scheduler does, so every configuration translates the same
 * pieces. Useful work is counted per piece (ceil(1.1 x source tokens)), never per padded row.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULTS } from '../../src/config.js';
import { countWords, type SourceParagraph } from '../../src/document.js';
import { segmentDocument } from '../../src/segment/index.js';
import { makeBatches } from '../../src/translate/batches.js';
import { splitByBudget } from '../../src/translate/token-budget.js';
import type { TokenCounter } from '../../src/translate/token-counter.js';
import { defaultWindowPieces, maxBatchTokens } from '../../src/translate/scheduler.js';

/** Generation length per piece relative to its source tokens (the fixed 1.1x). */
export const LENGTH_FACTOR = 1.1;

/** fr2en's decode settings that make every row run to a fixed length. */
export const FORCED_DECODE = { maxNewTokensFactor: LENGTH_FACTOR, maxNewTokensMargin: 0, forceLength: true } as const;

export interface WorkPiece {
  text: string;
  /** Source tokens without `</s>` (fr2en's token counter). */
  tokens: number;
  /** ceil(1.1 x tokens): what every configuration generates for this piece. */
  targetTokens: number;
  words: number;
}

export interface Workload {
  /** Where the text came from (relative to the repository root). */
  source: string;
  paragraphs: SourceParagraph[];
  /** The translatable pieces in document order, each distinct. */
  pieces: WorkPiece[];
  sentences: number;
  sourceWords: number;
  sourceTokens: number;
  targetTokens: number;
}

export const FR_DEV = '../shared/data/segmentation/fr-dev.jsonl';

/** Paragraph texts: fr-dev.jsonl's records when present, else the files in samples/. */
export function readParagraphTexts(repoRoot: string): { source: string; texts: string[] } {
  const frDev = path.resolve(repoRoot, FR_DEV);
  if (existsSync(frDev)) {
    const texts = readFileSync(frDev, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { text: string }).text);
    return { source: FR_DEV, texts };
  }
  const dir = path.resolve(repoRoot, 'samples');
  const texts = readdirSync(dir)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .flatMap((name) => readFileSync(path.join(dir, name), 'utf8').replace(/\r\n?/g, '\n').split(/\n\s*\n/));
  return { source: 'samples/*.txt', texts: texts.filter((text) => text.trim() !== '') };
}

/**
 * Takes whole paragraphs, in order, until `minSentences` translatable sentences are held. A
 * paragraph repeating a piece already taken is skipped: the Scheduler translates a repeated text
 * once per window, which would make some configurations do less work than others. Samples are
 * cycled when they hold fewer sentences than asked (the workload is then smaller than asked
 * only if the text has too few distinct sentences).
 */
export function buildWorkload(repoRoot: string, minSentences: number, counter: TokenCounter): Workload {
  const { source, texts } = readParagraphTexts(repoRoot);
  const document = segmentDocument(texts.join('\n\n'), source);
  const seen = new Set<string>();
  const paragraphs: SourceParagraph[] = [];
  const pieces: WorkPiece[] = [];
  let sentences = 0;
  for (const paragraph of document.paragraphs) {
    if (sentences >= minSentences) break;
    const own = paragraph.sentences
      .filter((sentence) => sentence.translate)
      .flatMap((sentence) => splitByBudget(sentence.text, DEFAULTS.tokenBudget, counter));
    if (own.length === 0 || own.some((piece) => seen.has(piece.text)) || new Set(own.map((p) => p.text)).size !== own.length) continue;
    for (const piece of own) {
      seen.add(piece.text);
      pieces.push({
        text: piece.text,
        tokens: piece.tokens,
        targetTokens: Math.ceil(LENGTH_FACTOR * piece.tokens),
        words: countWords(piece.text),
      });
    }
    sentences += paragraph.sentences.filter((sentence) => sentence.translate).length;
    paragraphs.push({ ...paragraph, index: paragraphs.length });
  }
  return {
    source,
    paragraphs,
    pieces,
    sentences,
    sourceWords: sum(pieces.map((p) => p.words)),
    sourceTokens: sum(pieces.map((p) => p.tokens)),
    targetTokens: sum(pieces.map((p) => p.targetTokens)),
  };
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/**
 * The workload cut into batches as the Scheduler cuts it: windows of whole paragraphs holding at
 * least `windowPieces` sentences (the Scheduler's defaultWindowPieces), each cut by makeBatches.
 * With `sorted` false, windows are cut in document order instead.
 */
export function workloadBatches(
  workload: Workload,
  batchSize: number,
  workers: number,
  sorted: boolean,
  windowPieces = defaultWindowPieces(batchSize, workers),
): WorkPiece[][] {
  const byText = new Map(workload.pieces.map((piece) => [piece.text, piece]));
  const windows: WorkPiece[][] = [];
  let window: WorkPiece[] = [];
  let size = 0;
  for (const paragraph of workload.paragraphs) {
    for (const sentence of paragraph.sentences) {
      const piece = sentence.translate ? byText.get(sentence.text.trim()) : undefined;
      if (piece) window.push(piece);
    }
    size += paragraph.sentences.length;
    if (size >= windowPieces) {
      windows.push(window);
      window = [];
      size = 0;
    }
  }
  if (window.length > 0) windows.push(window);
  return windows.flatMap((items) =>
    sorted
      ? makeBatches(items, batchSize, maxBatchTokens(batchSize))
      : Array.from({ length: Math.ceil(items.length / batchSize) }, (_, i) => items.slice(i * batchSize, (i + 1) * batchSize)),
  );
}

/**
 * Decoder positions `batches` cost if every row runs as long as its batch's longest row (what
 * transformers.js' generate does).
 */
export function paddedPositions(batches: readonly WorkPiece[][]): number {
  return sum(batches.map((batch) => batch.length * Math.max(...batch.map((piece) => piece.targetTokens))));
}
