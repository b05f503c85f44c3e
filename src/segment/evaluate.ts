/**
 * Scores sentence segmenters against gold boundaries (the JSON Lines format of
 * `../shared/data/segmentation/README.md`). A boundary is the offset where a sentence starts,
 * not counting 0; a segmenter takes the paragraphs of one document and returns each paragraph's
 * sentence start offsets.
 *
 * Every `*.jsonl` file of a folder is a set: the shared development sets (`fr-dev`, `fr-fqb`) and
 * the hand-written ones in `test/fixtures/segmentation/`. Records that name the same `document`
 * and follow each other are segmented together, in order, so that a quotation can run across
 * paragraphs; records without one stand alone.
 *
 * This module never prints and never reads `process.cwd()`: `scripts/eval-segmentation.ts`
 * and `test/segment-eval.test.ts` pass the data folders in and format the results.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import sbd from 'sbd';
import { paragraphSentenceSpans } from './sentences.js';

/** One gold record (fields this module uses). */
export interface GoldParagraph {
  id: string;
  text: string;
  sentences: string[];
  /** Offset of each sentence in `text`; the first is 0. */
  starts: number[];
  /** The document the paragraph belongs to, in document order; absent: it stands alone. */
  document?: string;
}

/** A named gold set: one JSON Lines file. */
export interface GoldSet {
  /** The file name without `.jsonl` (`fr-dev`, `legal-eu`). */
  name: string;
  path: string;
  paragraphs: GoldParagraph[];
}

/** A segmenter under evaluation: the paragraphs of one document in, sentence starts out. */
export type Segmenter = (paragraphs: readonly string[]) => number[][];

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

/** fr2en's own segmenter, with the quotation state carried from paragraph to paragraph. */
export const fr2enSegmenter: Segmenter = (paragraphs) =>
  paragraphSentenceSpans(paragraphs).map((spans) => spans.map((span) => span.start));

/** Applies a one-paragraph segmenter to each paragraph of a document. */
const eachParagraph =
  (segment: (text: string) => number[]): Segmenter =>
  (paragraphs) =>
    paragraphs.map(segment);

/** `Intl.Segmenter('fr', {granularity: 'sentence'})`, the platform's baseline. */
export function intlSegmenter(): Segmenter {
  const segmenter = new Intl.Segmenter('fr', { granularity: 'sentence' });
  return eachParagraph((text) => [...segmenter.segment(text)].map((segment) => segment.index));
}

/**
 * The `sbd` package with its default options: it returns sentence strings, which are located in
 * the paragraph in order (it trims them, so each is searched for from the previous end).
 */
export const sbdSegmenter: Segmenter = eachParagraph((text) => {
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
});

/** The segmenters of every evaluation, fr2en first. */
export function segmenters(): ReadonlyArray<readonly [string, Segmenter]> {
  return [
    ['fr2en', fr2enSegmenter],
    ["Intl.Segmenter('fr')", intlSegmenter()],
    ['sbd', sbdSegmenter],
  ];
}

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

/** Every `*.jsonl` set of a folder, sorted by name; none when the folder is absent. */
export function loadGoldSets(folder: string): GoldSet[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((file) => file.endsWith('.jsonl'))
    .sort()
    .map((file) => {
      const path = join(folder, file);
      return { name: basename(file, '.jsonl'), path, paragraphs: loadGold(path) };
    });
}

/** The shared development sets relative to a repository root: `<root>/../shared/data/segmentation`. */
export function sharedGoldFolder(repositoryRoot: string): string {
  return resolve(repositoryRoot, '../shared/data/segmentation');
}

/** The hand-written sets shipped with the repository (always present). */
export function fixtureGoldFolder(repositoryRoot: string): string {
  return resolve(repositoryRoot, 'test/fixtures/segmentation');
}

/** The UD French-GSD dev set, the first shared set: `<root>/../shared/data/segmentation/fr-dev.jsonl`. */
export function goldPath(repositoryRoot: string): string {
  return join(sharedGoldFolder(repositoryRoot), 'fr-dev.jsonl');
}

/** Whether the shared gold data is present (it lives outside the repository, in `../shared`). */
export function hasGold(repositoryRoot: string): boolean {
  return existsSync(goldPath(repositoryRoot));
}

function context(text: string, offset: number, width = 50): string {
  const before = text.slice(Math.max(0, offset - width), offset);
  const after = text.slice(offset, offset + width);
  return `${before}|${after}`.replace(/\s/g, (space) => (space === ' ' ? ' ' : `<U+${space.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`));
}

/** Consecutive records of one document (a record without `document` is a document of its own). */
function documents(gold: readonly GoldParagraph[]): GoldParagraph[][] {
  const groups: GoldParagraph[][] = [];
  for (const paragraph of gold) {
    const last = groups.at(-1);
    if (last !== undefined && paragraph.document !== undefined && last[0].document === paragraph.document) last.push(paragraph);
    else groups.push([paragraph]);
  }
  return groups;
}

/** Precision, recall and F1 of a segmenter's boundaries on the gold paragraphs. */
export function score(name: string, segmenter: Segmenter, gold: readonly GoldParagraph[], variant: Variant = 'plain'): Score {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  const errors: BoundaryError[] = [];
  for (const document of documents(gold)) {
    const texts = document.map((paragraph) => (variant === 'typographic' ? typographicVariant(paragraph.text) : paragraph.text));
    const starts = segmenter(texts);
    document.forEach((paragraph, index) => {
      const text = texts[index];
      const expected = new Set(paragraph.starts.filter((start) => start > 0));
      const found = new Set(starts[index].filter((start) => start > 0));
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
    });
  }
  const precision = truePositives / Math.max(1, truePositives + falsePositives);
  const recall = truePositives / Math.max(1, truePositives + falseNegatives);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { name, truePositives, falsePositives, falseNegatives, precision, recall, f1, errors };
}

export interface Evaluation {
  /** The set's name (`fr-dev`, `legal-eu`). */
  set: string;
  variant: Variant;
  /** fr2en first, then the baselines. */
  scores: Score[];
}

/** Scores fr2en, Intl.Segmenter and sbd on one set, on both variants. */
export function evaluateSegmentation(gold: readonly GoldParagraph[], set = 'gold'): Evaluation[] {
  const compared = segmenters();
  return VARIANTS.map((variant) => ({
    set,
    variant,
    scores: compared.map(([name, segmenter]) => score(name, segmenter, gold, variant)),
  }));
}

/** Scores every set, in one run. */
export function evaluateSets(sets: readonly GoldSet[]): Evaluation[] {
  return sets.flatMap((set) => evaluateSegmentation(set.paragraphs, set.name));
}

/** The number of gold boundaries of a set (sentence starts after the first). */
export function boundaryCount(gold: readonly GoldParagraph[]): number {
  return gold.reduce((count, paragraph) => count + paragraph.starts.length - 1, 0);
}

const percent = (value: number): string => (100 * value).toFixed(2);

/** A Markdown table of the evaluations (the README's results table). */
export function formatTable(evaluations: readonly Evaluation[]): string {
  const lines = [
    '| set | variant | segmenter | precision | recall | F1 | FP | FN |',
    '|---|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const { set, variant, scores } of evaluations) {
    for (const s of scores) {
      lines.push(
        `| ${set} | ${variant} | ${s.name} | ${percent(s.precision)} | ${percent(s.recall)} | ${percent(s.f1)} | ${s.falsePositives} | ${s.falseNegatives} |`,
      );
    }
  }
  return lines.join('\n');
}
