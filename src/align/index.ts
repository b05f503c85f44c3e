/**
 * The alignment stage: a source paragraph, plus what became of each of its pieces, gives the
 * aligned paragraph: one pair per source sentence, in order, nothing dropped. A sentence cut into
 * pieces (over the token budget) gets its pieces' translations joined; one that could not be
 * translated keeps its source text, flagged `failed`. Translated pairs get their confidence and
 * quality findings here.
 */
import { joinTargets, type AlignedParagraph, type PairFlag, type QaFinding, type SentencePair, type SourceParagraph } from '../document.js';

/** What became of one piece of source text sent to the model (or found in the memory). */
export interface PieceOutcome {
  target: string;
  failed: boolean;
  /** Target tokens, their summed log-probability, and whether the decoder hit its limit (absent: unknown, e.g. an old memory entry). */
  tokens?: number;
  logprob?: number;
  truncated?: boolean;
}

/** Quality checks for one pair (src/qa/), given what the decoder said about it. */
export type ReviewPair = (pair: SentencePair, decoder: { truncated: boolean }) => QaFinding[];

/**
 * `pieces[s]`: the texts sentence s was sent as (empty when it is not translated: verbatim units
 * and skipped paragraphs); `outcomes`: the outcome of each piece text.
 */
export function alignParagraph(
  paragraph: SourceParagraph,
  paragraphFlags: readonly PairFlag[],
  pieces: readonly (readonly string[])[],
  outcomes: ReadonlyMap<string, PieceOutcome>,
  review?: ReviewPair,
): AlignedParagraph {
  const pairs = paragraph.sentences.map((sentence, s): SentencePair => {
    const flags: PairFlag[] = [...paragraphFlags];
    const base = { index: s, start: sentence.start, end: sentence.end, source: sentence.text };
    if (!sentence.translate) return { ...base, target: sentence.text, flags: [...flags, 'verbatim'], qa: [] };
    if (flags.includes('skipped')) return { ...base, target: sentence.text, flags, qa: [] };
    const results = pieces[s].map((piece) => outcomes.get(piece)!);
    if (pieces[s].length > 1) flags.push('split');
    // A failed piece's outcome holds its source text, so the target keeps every word.
    const pair: SentencePair = { ...base, target: results.map((r) => r.target.trim()).filter(Boolean).join(' '), flags, qa: [] };
    if (results.some((result) => result.failed)) {
      flags.push('failed');
      return pair; // nothing (or only part) was translated: no confidence, nothing for a check to judge
    }
    const confidence = meanLogprob(results);
    if (confidence !== undefined) pair.confidence = confidence;
    if (review) pair.qa = review(pair, { truncated: results.some((r) => r.truncated === true) });
    return pair;
  });
  return { index: paragraph.index, start: paragraph.start, kind: paragraph.kind, source: paragraph.text, target: joinTargets(pairs), pairs };
}

/** Mean log-probability per target token over a sentence's pieces; undefined when any is unknown. */
function meanLogprob(results: readonly PieceOutcome[]): number | undefined {
  let tokens = 0;
  let logprob = 0;
  for (const r of results) {
    if (r.tokens === undefined || r.logprob === undefined) return undefined;
    tokens += r.tokens;
    logprob += r.logprob;
  }
  return tokens === 0 ? undefined : logprob / tokens;
}
