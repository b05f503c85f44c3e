/**
 * The golden vectors scripts/sacrebleu-vectors.py recorded from sacreBLEU 2.6.0, and their input
 * texts read the way sacreBLEU's command line reads them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const VECTORS_DIR = fileURLToPath(new URL('../fixtures/sacrebleu/', import.meta.url));

/** sacreBLEU's scores agree with fr2en's within this (the bar). */
export const TOLERANCE = 1e-4;

export interface BleuRecord {
  score: number;
  counts: number[];
  totals: number[];
  precisions?: number[];
  bp?: number;
  sys_len: number;
  ref_len: number;
  signature?: string;
}

export interface CliRun {
  fr2en: string[];
  sacrebleu: string[];
  text: string[];
  json: SacrebleuJson | SacrebleuJson[];
}

export interface SacrebleuJson {
  name: string;
  score: number;
  signature: string;
  verbose_score?: string;
}

export interface VectorCase {
  name: string;
  hyp: string;
  refs: string[];
  bleu: Array<{ tokenize: '13a' | 'intl' | 'none' | 'char'; lowercase: boolean; corpus: BleuRecord; sentences: BleuRecord[]; sentence_signature: string }>;
  chrf: Array<{ lowercase: boolean; corpus: { score: number; name: string; signature: string }; sentences: number[] }>;
  'chrf++': Array<{ lowercase: boolean; corpus: { score: number; name: string; signature: string }; sentences: number[] }>;
  ter: Array<{ corpus: { score: number; num_edits: number; ref_length: number; signature: string }; sentences: number[] }>;
  smoothing?: Array<{ smooth: 'floor' | 'add-k' | 'none'; value: number | null; corpus: BleuRecord; sentences: BleuRecord[] }>;
  cli: CliRun[];
}

const NOT_CASES = new Set(['unicode.json', 'multi30k.json']);

export function vectorCases(): VectorCase[] {
  return readdirSync(VECTORS_DIR)
    .filter((name) => name.endsWith('.json') && !NOT_CASES.has(name))
    .sort()
    .map((name) => ({ name: name.replace(/\.json$/, ''), ...(JSON.parse(readFileSync(`${VECTORS_DIR}${name}`, 'utf8')) as Omit<VectorCase, 'name'>) }));
}

export function readVectorJson<T>(name: string): T {
  return JSON.parse(readFileSync(`${VECTORS_DIR}${name}`, 'utf8')) as T;
}

/**
 * A fixture's lines as sacreBLEU's command line reads them (split on `\n` only). Trailing
 * whitespace is kept: the metrics strip it themselves where it matters.
 */
export function fixtureLines(name: string): string[] {
  const lines = readFileSync(`${VECTORS_DIR}${name}`, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** sacreBLEU's signature with fr2en's version in place of its own. */
export function withVersion(signature: string, version: string): string {
  return signature.replace(/version:[^|\s]*/, `version:${version}`);
}
