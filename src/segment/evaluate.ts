/**
 * Scores sentence segmenters against gold boundaries (the `fr-dev.jsonl` format of
 * `../shared/data/segmentation/README.md`). A boundary is the offset where a sentence starts,
 * not counting 0; a segmenter is any function from a paragraph to sentence start offsets.
 *
 * This module never prints and never reads `process.cwd()`: `scripts/eval-segmentation.ts`
 * and `test/segment-eval.test.ts` pass the data path in and format the results.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import sbd from 'sbd';
import { sentenceSpans } from './sentences.js';

/** One gold record of `fr-dev.jsonl` (fields this module uses). */
export interface GoldParagraph {
  id: string;
  text: string;
  sentences: string[];
  /** Offset of each sentence in `text`; the first is 0. */
  starts: number[];
}

/** A segmenter under evaluation: a paragraph in, sentence start offsets out. */
export type Segmenter = (text: string) => number[];

export interface BoundaryError {
  id: string;
  /** Offset of the boundary in the paragraph. */
  offset: number;
  /** `missed`: a gold boundary not found (false negative); `spurious`: a false positive. */
  kind: 'missed' | 'spurious';
  /** The text around the boundary, with `|` at the offset. */
  context: string;
}

export interface Score {
  name: string;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
  errors: BoundaryError[];
}

export const VARIANTS = ['plain', 'typographic'] as const;
/** `plain`: the gold text as is. `typographic`: French non-breaking spaces restored (see below). */
export type Variant = (typeof VARIANTS)[number];

/** fr2en's own segmenter, as sentence starts. */
export const fr2enSegmenter: Segmenter = (text) => sentenceSpans(text).map((span) => span.start);

/** `Intl.Segmenter('fr', {granularity: 'sentence'})`, the platform's baseline. */
export function intlSegmenter(): Segmenter {
  const segmenter = new Intl.Segmenter('fr', { granularity: 'sentence' });
  return (text) => [...segmenter.segment(text)].map((segment) => segment.index);
}

/**
 * The `sbd` package with its default options: it returns sentence strings, which are located in
 * the paragraph in order (it trims them, so each is searched for from the previous end).
 */
export const sbdSegmenter: Segmenter = (text) => {
  const starts: number[] = [];
  let from = 0;
  for (const sentence of sbd.sentences(text)) {
    const trimmed = sentence.trim();
    if (trimmed.length === 0) continue;
    const at = text.indexOf(trimmed, from);
    if (at < 0) continue; // sbd altered the text; the boundary cannot be placed
    starts.push(at);
    from = at + trimmed.length;
  }
  return starts;
};

/**
 * The same-length typographic variant: U+00A0 inside guillemets (`«\u00a0`, `\u00a0»`) and
 * U+202F before `; : ! ?`, as French typography writes them. Offsets do not change.
 */
export function typographicVariant(text: string): string {
  return text
    .replace(/« /g, '«\u00a0')
    .replace(/ »/g, '\u00a0»')
    .replace(/ ([;:!?])/g, '\u202f$1');
}

export function loadGold(path: string): GoldParagraph[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as GoldParagraph);
}

/** The shared data set relative to a repository root: `<root>/../shared/data/segmentation/fr-dev.jsonl`. */
export function goldPath(repositoryRoot: string): string {
  return resolve(repositoryRoot, '../shared/data/segmentation/fr-dev.jsonl');
}

/** Whether the gold data is present (it lives outside the repository, in `../shared`). */
export function hasGold(repositoryRoot: string): boolean {
  return existsSync(goldPath(repositoryRoot));
}

function context(text: string, offset: number, width = 50): string {
  const before = text.slice(Math.max(0, offset - width), offset);
  const after = text.slice(offset, offset + width);
  return `${before}|${after}`.replace(/\s/g, (space) => (space === ' ' ? ' ' : `<U+${space.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`));
}

/** Precision, recall and F1 of a segmenter's boundaries on the gold paragraphs. */
export function score(name: string, segmenter: Segmenter, gold: readonly GoldParagraph[], variant: Variant = 'plain'): Score {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  const errors: BoundaryError[] = [];
  for (const paragraph of gold) {
    const text = variant === 'typographic' ? typographicVariant(paragraph.text) : paragraph.text;
    const expected = new Set(paragraph.starts.filter((start) => start > 0));
    const found = new Set(segmenter(text).filter((start) => start > 0));
    for (const offset of found) {
      if (expected.has(offset)) truePositives++;
      else {
        falsePositives++;
        errors.push({ id: paragraph.id, offset, kind: 'spurious', context: context(text, offset) });
      }
    }
    for (const offset of expected) {
      if (found.has(offset)) continue;
      falseNegatives++;
      errors.push({ id: paragraph.id, offset, kind: 'missed', context: context(text, offset) });
    }
  }
  const precision = truePositives / Math.max(1, truePositives + falsePositives);
  const recall = truePositives / Math.max(1, truePositives + falseNegatives);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { name, truePositives, falsePositives, falseNegatives, precision, recall, f1, errors };
}

export interface Evaluation {
  variant: Variant;
  scores: Score[];
}

/** Scores fr2en, Intl.Segmenter and sbd on both variants, in one run. */
export function evaluateSegmentation(gold: readonly GoldParagraph[]): Evaluation[] {
  const segmenters: ReadonlyArray<readonly [string, Segmenter]> = [
    ['fr2en', fr2enSegmenter],
    ["Intl.Segmenter('fr')", intlSegmenter()],
    ['sbd', sbdSegmenter],
  ];
  return VARIANTS.map((variant) => ({
    variant,
    scores: segmenters.map(([name, segmenter]) => score(name, segmenter, gold, variant)),
  }));
}

const percent = (value: number): string => (100 * value).toFixed(2);

/** A Markdown table of the evaluations (the README's results table). */
export function formatTable(evaluations: readonly Evaluation[]): string {
  const lines = [
    '| variant | segmenter | precision | recall | F1 | FP | FN |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const { variant, scores } of evaluations) {
    for (const s of scores) {
      lines.push(
        `| ${variant} | ${s.name} | ${percent(s.precision)} | ${percent(s.recall)} | ${percent(s.f1)} | ${s.falsePositives} | ${s.falseNegatives} |`,
      );
    }
  }
  return lines.join('\n');
}
