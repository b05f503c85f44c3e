/**
 * Measures the quality checks: false alarms on correct human translations, and recall on the
 * same pairs damaged the way a translation goes wrong (issue 13's list). Used by
 * scripts/eval-qa.ts and test/qa-eval.test.ts; reads Multi30K from ../shared and the hand-made
 * pairs of test/fixtures/qa/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QA_CHECKS, type QaCheck } from '../document.js';
import { findLinks } from './checks/urls.js';
import { textLength } from './checks/length.js';
import { checkPair } from './index.js';
import { en } from './lang/en.js';
import { extractNumbers } from './numbers/extract.js';

export interface EvalPair {
  /** Where the pair comes from: `multi30k-val.fr:12`, `clean-pairs.tsv:40 (finance)`. */
  origin: string;
  source: string;
  target: string;
}

export const MULTI30K_FILES = ['multi30k-test_2016_flickr', 'multi30k-val'] as const;

/** `../shared/data/parallel` next to the repository root. */
export function parallelDataDir(root: string): string {
  return join(root, '..', 'shared', 'data', 'parallel');
}

export function hasParallelData(root: string): boolean {
  return MULTI30K_FILES.every((name) => existsSync(join(parallelDataDir(root), `${name}.fr`)));
}

function lines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

/** The 2,014 Multi30K pairs (test 2016 then validation), line N of `.fr` with line N of `.en`. */
export function loadMulti30k(root: string): EvalPair[] {
  const dir = parallelDataDir(root);
  return MULTI30K_FILES.flatMap((name) => {
    const french = lines(join(dir, `${name}.fr`));
    const english = lines(join(dir, `${name}.en`));
    if (french.length !== english.length) throw new Error(`${name}: ${french.length} French lines, ${english.length} English`);
    return french.map((source, i) => ({ origin: `${name}.fr:${i + 1}`, source, target: english[i] }));
  });
}

/** Hand-made pairs: `domain<TAB>source<TAB>target` lines; `#` starts a comment line. */
export function loadHandmadePairs(path: string): EvalPair[] {
  const name = path.split('/').pop() ?? path;
  return lines(path).flatMap((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return [];
    const fields = line.split('\t');
    if (fields.length !== 3) throw new Error(`${name}:${i + 1}: expected domain, source and target separated by tabs`);
    return [{ origin: `${name}:${i + 1} (${fields[0]})`, source: fields[1], target: fields[2] }];
  });
}

// ---- damage ---------------------------------------------------------------------------------

/** Each way the issue damages a target, and the check that must then fire. */
export const DAMAGES = {
  'replaced by the source': 'untranslated',
  emptied: 'empty',
  'number changed': 'numbers',
  'number removed': 'numbers',
  'loop appended': 'repetition',
  'cut to a third': 'length',
  'URL removed': 'urls',
} as const satisfies Record<string, QaCheck>;
export type Damage = keyof typeof DAMAGES;

/** A seeded generator (mulberry32): damaged copies are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)];

const ENGLISH_NUMBER_WORDS = Object.keys(en.cardinals).filter((word) => !en.softNumberWords.has(word));

const comparable = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

function removeSpan(text: string, start: number, end: number): string {
  return `${text.slice(0, start)} ${text.slice(end)}`.replace(/\s+/g, ' ').replace(/\s+([.,;:!?])/g, '$1').trim();
}

/** Changes one digit of a number, or swaps a number word for another. */
function changeNumber(target: string, random: () => number): string | undefined {
  const mentions = extractNumbers(target, en).filter((mention) => !mention.soft);
  if (mentions.length === 0) return undefined;
  const mention = pick(mentions, random);
  const written = target.slice(mention.start, mention.end);
  const digits = [...written.matchAll(/\d/g)].map((match) => match.index);
  let changed: string;
  if (digits.length > 0) {
    const at = pick(digits, random);
    const old = Number(written[at]);
    let digit = (old + 1 + Math.floor(random() * 9)) % 10;
    if (digit === 0 && at === digits[0] && digits.length > 1) digit = old === 1 ? 2 : 1;
    changed = written.slice(0, at) + String(digit) + written.slice(at + 1);
  } else {
    const word = written.toLowerCase();
    const others = ENGLISH_NUMBER_WORDS.filter((candidate) => candidate !== word && en.cardinals[candidate] !== en.cardinals[word]);
    const replacement = pick(others, random);
    changed = written[0] === written[0].toUpperCase() ? replacement[0].toUpperCase() + replacement.slice(1) : replacement;
  }
  return target.slice(0, mention.start) + changed + target.slice(mention.end);
}

function removeNumber(target: string, random: () => number): string | undefined {
  const mentions = extractNumbers(target, en).filter((mention) => !mention.soft);
  if (mentions.length === 0) return undefined;
  const mention = pick(mentions, random);
  return removeSpan(target, mention.start, mention.end);
}

/** Appends a word repeated 3 or 4 times, or a phrase of 2 to 4 words repeated 2 to 4 times. */
function appendLoop(target: string, random: () => number): string | undefined {
  const words = target.match(/[\p{L}\p{N}'’-]+/gu) ?? [];
  if (words.length === 0) return undefined;
  const n = Math.min(words.length, 1 + Math.floor(random() * 4));
  const start = Math.floor(random() * (words.length - n + 1));
  const gram = words.slice(start, start + n).join(' ');
  const repeats = n === 1 ? 3 + Math.floor(random() * 2) : 2 + Math.floor(random() * 3);
  return `${target} ${Array.from({ length: repeats }, () => gram).join(' ')}`;
}

/** Keeps the first third of the characters, cut back to a word boundary when there is one. */
function cutToThird(target: string): string | undefined {
  const text = target.trim();
  if (text.length < 3) return undefined;
  const third = text.slice(0, Math.round(text.length / 3));
  const space = third.lastIndexOf(' ');
  return space > 0 && /\S/.test(text[third.length] ?? '') ? third.slice(0, space) : third;
}

function removeUrl(source: string, target: string, random: () => number): string | undefined {
  const shared = findLinks(source)
    .map((link) => link.text)
    .filter((text) => target.includes(text));
  if (shared.length === 0) return undefined;
  const text = pick(shared, random);
  const start = target.indexOf(text);
  return removeSpan(target, start, start + text.length);
}

/** The damaged target, or undefined when the pair has nothing to damage that way (no number, no URL). */
export function damageTarget(pair: EvalPair, damage: Damage, random: () => number): string | undefined {
  switch (damage) {
    case 'replaced by the source':
      // Not a damage when the correct translation is the source already (`Emmanuel Macron.`).
      return comparable(pair.source) === comparable(pair.target) ? undefined : pair.source;
    case 'emptied':
      return '';
    case 'number changed':
      return changeNumber(pair.target, random);
    case 'number removed':
      return removeNumber(pair.target, random);
    case 'loop appended':
      return appendLoop(pair.target, random);
    case 'cut to a third':
      return cutToThird(pair.target);
    case 'URL removed':
      return removeUrl(pair.source, pair.target, random);
  }
}

// ---- measurement ----------------------------------------------------------------------------

export interface FlaggedPair {
  pair: EvalPair;
  findings: { check: QaCheck; message: string }[];
}

export interface CleanScore {
  set: string;
  pairs: number;
  /** Pairs with at least one finding. */
  flagged: FlaggedPair[];
  /** Pairs with at least one finding of each check. */
  byCheck: Record<QaCheck, number>;
}

export interface DamageScore {
  set: string;
  damage: Damage;
  check: QaCheck;
  /** Pairs that could be damaged this way. */
  applicable: number;
  /** Damaged pairs on which the expected check fired. */
  caught: number;
  /** Damaged pairs it missed, for reading. */
  missed: { pair: EvalPair; damaged: string }[];
}

export function scoreClean(set: string, pairs: readonly EvalPair[]): CleanScore {
  const byCheck = Object.fromEntries(QA_CHECKS.map((check) => [check, 0])) as Record<QaCheck, number>;
  const flagged: FlaggedPair[] = [];
  for (const pair of pairs) {
    const findings = checkPair(pair.source, pair.target);
    if (findings.length === 0) continue;
    flagged.push({ pair, findings });
    for (const check of new Set(findings.map((finding) => finding.check))) byCheck[check]++;
  }
  return { set, pairs: pairs.length, flagged, byCheck };
}

export function scoreDamage(set: string, pairs: readonly EvalPair[], damage: Damage, seed = 13): DamageScore {
  const random = seededRandom(seed);
  const check = DAMAGES[damage];
  const score: DamageScore = { set, damage, check, applicable: 0, caught: 0, missed: [] };
  for (const pair of pairs) {
    const damaged = damageTarget(pair, damage, random);
    if (damaged === undefined) continue;
    score.applicable++;
    if (checkPair(pair.source, damaged).some((finding) => finding.check === check)) score.caught++;
    else score.missed.push({ pair, damaged });
  }
  return score;
}

export function evaluateQa(sets: readonly { name: string; pairs: readonly EvalPair[] }[]): { clean: CleanScore[]; damage: DamageScore[] } {
  return {
    clean: sets.map((set) => scoreClean(set.name, set.pairs)),
    damage: sets.flatMap((set) => (Object.keys(DAMAGES) as Damage[]).map((damage) => scoreDamage(set.name, set.pairs, damage))),
  };
}

const percent = (part: number, whole: number): string => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(2)}%`);

/** Markdown tables: false alarms per check on clean pairs, recall per damage. */
export function formatEvaluation(evaluation: { clean: CleanScore[]; damage: DamageScore[] }): string {
  const out: string[] = [];
  const checks = QA_CHECKS.filter((check) => check !== 'truncated' && check !== 'low-confidence');
  out.push(`| clean pairs | pairs | flagged | ${checks.join(' | ')} |`);
  out.push(`|---|---:|---:|${checks.map(() => '---:').join('|')}|`);
  for (const score of evaluation.clean) {
    out.push(`| ${score.set} | ${score.pairs} | ${score.flagged.length} (${percent(score.flagged.length, score.pairs)}) | ${checks.map((check) => `${score.byCheck[check]} (${percent(score.byCheck[check], score.pairs)})`).join(' | ')} |`);
  }
  out.push('', '| damage | check | set | damaged pairs | caught | recall |', '|---|---|---|---:|---:|---:|');
  for (const score of evaluation.damage) {
    out.push(`| ${score.damage} | ${score.check} | ${score.set} | ${score.applicable} | ${score.caught} | ${percent(score.caught, score.applicable)} |`);
  }
  return out.join('\n');
}

// ---- the length band ------------------------------------------------------------------------

export interface LengthFit {
  pairs: number;
  /** exp(mean of ln(target/source)). */
  ratio: number;
  /** Least squares of squared log residuals on 1/L: sigma^2 = a + b/L. */
  a: number;
  b: number;
  /** Standard deviation of the log residuals for sources of 100 characters or more. */
  sigmaLong: number;
  /** Residuals in units of the fitted sigma: lowest, 0.1% quantile, 99.9% quantile, highest. */
  zRange: [number, number, number, number];
}

/** Refits LENGTH_MODEL (src/qa/lang/fr-en.ts) on clean pairs. */
export function fitLengthModel(pairs: readonly EvalPair[]): LengthFit {
  const points = pairs
    .map((pair) => ({ length: textLength(pair.source), ratio: textLength(pair.target) / textLength(pair.source) }))
    .filter((point) => point.length > 0 && point.ratio > 0);
  const logs = points.map((point) => Math.log(point.ratio));
  const mean = logs.reduce((sum, value) => sum + value, 0) / logs.length;
  // Normal equations for y = a + b x with x = 1/L, y = squared residual.
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  points.forEach((point, i) => {
    const x = 1 / point.length;
    const y = (logs[i] - mean) ** 2;
    sx += x; sy += y; sxx += x * x; sxy += x * y;
  });
  const n = points.length;
  const b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const a = (sy - b * sx) / n;
  const long = logs.filter((_, i) => points[i].length >= 100);
  const sigmaLong = Math.sqrt(long.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(1, long.length));
  const z = logs.map((value, i) => (value - mean) / Math.sqrt(a + b / points[i].length)).sort((x, y) => x - y);
  const quantile = (q: number): number => z[Math.min(z.length - 1, Math.floor(q * z.length))];
  return { pairs: n, ratio: Math.exp(mean), a, b, sigmaLong, zRange: [z[0], quantile(0.001), quantile(0.999), z[z.length - 1]] };
}
