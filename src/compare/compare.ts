/**
 * `compareVersions`: two or more English versions of the same French text, pair by pair. Each
 * pair gets its word differences against the first version, each version's sentence chrF (against
 * the reference, else against the first version) and a difference figure to rank it by; the
 * summary adds corpus BLEU and chrF, the share of identical pairs and the most different pairs.
 */
import { UsageError } from '../errors.js';
import { scoreCorpus, scoreSentences, type BleuScore, type ChrfScore, type ScoreOptions, type TokenizerName } from '../score/index.js';
import { alignInputs, type AlignedRow, type CompareFile } from './align.js';
import type { ComparedFile, ComparedPair, Comparison, CompareSummary, CorpusScores, PairDiff, SentenceTally } from './types.js';
import { changeShare, wordDiff } from './word-diff.js';

export interface CompareInput {
  /** The versions, first one the baseline that the others are diffed against. */
  readonly versions: readonly (CompareFile & { readonly label?: string })[];
  /** The French, one sentence per line, for versions that do not carry it (plain text). */
  readonly source?: CompareFile;
  readonly reference?: CompareFile;
}

export interface CompareOptions {
  /**
   * How many of the most different pairs the summary lists.
   * @default 10
   */
  readonly top?: number;
  /** The `version:` field of score signatures (see ScoreOptions). */
  readonly scoreVersion?: string;
  /**
   * BLEU's tokenizer, as in `fr2en score` (sacreBLEU's `--tokenize`).
   * @default '13a'
   */
  readonly tokenize?: TokenizerName;
  /** Case-insensitive BLEU and chrF, pair and corpus scores alike (sacreBLEU's `-lc`). */
  readonly lowercase?: boolean;
}

/** What every score of a comparison shares. */
type ScoreSettings = Pick<ScoreOptions, 'version' | 'tokenize' | 'lowercase'>;

export const DEFAULT_TOP = 10;
export const REFERENCE_LABEL = 'reference';

/** Per-pair scores never differ by less than this unless they are equal (chrF is a ratio of counts). */
const SCORE_EPSILON = 1e-9;

export function compareVersions(input: CompareInput, options: CompareOptions = {}): Comparison {
  const { versions, reference } = input;
  if (versions.length === 0 || (versions.length === 1 && !reference)) {
    throw new UsageError('compare needs two versions, or one version and a reference (--ref)');
  }
  const top = options.top ?? DEFAULT_TOP;
  if (!Number.isInteger(top) || top < 0) throw new UsageError(`Expected top to be an integer >= 0, got ${top}`);
  const labels = versionLabels(versions.map((version) => version.label));
  const { rows, sourceFile } = alignInputs(input);
  const files: ComparedFile[] = versions.map((version, i) => ({ label: labels[i], file: version.file }));
  const referenceFile = reference ? { label: REFERENCE_LABEL, file: reference.file } : undefined;
  const scoreOptions: ScoreSettings = { version: options.scoreVersion, tokenize: options.tokenize, lowercase: options.lowercase };

  const texts = files.map((_, v) => rows.map((row) => row.texts[v]));
  const references = referenceFile ? rows.map((row) => row.reference!) : undefined;
  const chrf = sentenceChrf(texts, references, scoreOptions);
  const partial = rows.map((row, i) => pairOf(row, i, files.length, chrf));
  const order = partial
    .map((_, i) => i)
    .sort((a, b) => partial[b].difference - partial[a].difference || partial[b].changedWords - partial[a].changedWords || a - b);
  const rank = new Array<number>(rows.length);
  order.forEach((index, position) => (rank[index] = position));
  const pairs: ComparedPair[] = partial.map((pair, i) => ({ ...pair, rank: rank[i] }));

  const between = texts.slice(1).map((hyps, v) => corpusScores(files[v + 1].label, files[0].label, hyps, texts[0], scoreOptions));
  const againstReference = references ? texts.map((hyps, v) => corpusScores(files[v].label, REFERENCE_LABEL, hyps, references, scoreOptions)) : [];
  const summary: CompareSummary = {
    pairs: pairs.length,
    identical: pairs.filter((pair) => pair.identical).length,
    identicalToFirst: texts.map((version) => version.filter((text, i) => text === texts[0][i]).length),
    between,
    againstReference,
    tallies: references ? files.slice(1).map((file, v) => tally(file.label, chrf[v + 1], chrf[0])) : [],
    mostDifferent: order.filter((i) => !pairs[i].identical).slice(0, top),
  };
  // Every corpus score here has one reference and the same settings: one pair of signatures.
  const signatureOf = between[0] ?? againstReference[0];
  return {
    versions: files,
    ...(referenceFile ? { reference: referenceFile } : {}),
    sourceFile,
    chrfAgainst: references ? REFERENCE_LABEL : files[0].label,
    pairs,
    summary,
    signatures: { bleu: signatureOf.bleu.signature, chrf: signatureOf.chrf.signature },
  };
}

/** `A`, `B`, ... `Z`, then `V27`, ...; given labels must be unique and not empty. */
function versionLabels(given: readonly (string | undefined)[]): string[] {
  const labels = given.map((label, i) => label ?? (i < 26 ? String.fromCharCode(65 + i) : `V${i + 1}`));
  for (const [i, label] of labels.entries()) {
    if (label.trim() === '') throw new UsageError(`Expected a name for version ${i + 1}, got an empty one`);
    if (label === REFERENCE_LABEL) throw new UsageError(`"${REFERENCE_LABEL}" names the reference; choose another name for version ${i + 1}`);
    if (labels.indexOf(label) !== i) throw new UsageError(`Two versions are named ${JSON.stringify(label)}; names must differ`);
  }
  return labels;
}

/**
 * chrf[v][i]: version v's sentence chrF on pair i, against the reference or else the first
 * version (whose own score is then null: it would be 100 by definition).
 */
function sentenceChrf(texts: readonly string[][], references: readonly string[] | undefined, options: ScoreSettings): (number | null)[][] {
  return texts.map((hyps, v) => {
    const against = references ?? (v === 0 ? undefined : texts[0]);
    if (!against) return hyps.map(() => null);
    return scoreSentences(hyps, [against], { metrics: ['chrf'], ...options }).map(([score]) => score.score);
  });
}

function pairOf(row: AlignedRow, index: number, versions: number, chrf: readonly (number | null)[][]): Omit<ComparedPair, 'rank'> {
  // Every other version against the first; with one version, the reference is the other text.
  const others = versions > 1 ? row.texts.slice(1).map((text, v) => ({ to: v + 1, text })) : [{ to: 1, text: row.reference! }];
  const first = row.texts[0];
  const diffs: PairDiff[] = others.map(({ to, text }) => {
    const spans = wordDiff(first, text);
    return { to, spans, ...changeShare(spans) };
  });
  const most = diffs.reduce((a, b) => (b.share > a.share || (b.share === a.share && b.changedWords > a.changedWords) ? b : a));
  return {
    index,
    id: row.id,
    source: row.source,
    texts: row.texts,
    ...(row.reference !== undefined ? { reference: row.reference } : {}),
    identical: others.every(({ text }) => text === first),
    diffs,
    chrf: chrf.map((version) => version[index]),
    difference: most.share,
    changedWords: most.changedWords,
  };
}

function corpusScores(label: string, against: string, hyps: readonly string[], refs: readonly string[], options: ScoreSettings): CorpusScores {
  const [bleu, chrf] = scoreCorpus(hyps, [refs], { metrics: ['bleu', 'chrf'], ...options });
  return { label, against, bleu: bleu as BleuScore, chrf: chrf as ChrfScore };
}

function tally(label: string, scores: readonly (number | null)[], first: readonly (number | null)[]): SentenceTally {
  let better = 0;
  let worse = 0;
  scores.forEach((score, i) => {
    const delta = (score ?? 0) - (first[i] ?? 0);
    if (delta > SCORE_EPSILON) better++;
    else if (delta < -SCORE_EPSILON) worse++;
  });
  return { label, better, worse, tied: scores.length - better - worse };
}
