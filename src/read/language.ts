/**
 * Is this text French? Per paragraph or per document, with `franc` (trigram statistics) restricted
 * to the languages a French corpus realistically contains, plus two guards franc lacks:
 *
 * - Short text (under 40 letters: titles, names, "Merci beaucoup.") is French unless function
 *   words say clearly otherwise: franc is unreliable there ("Merci beaucoup." comes out Dutch), and
 *   a wrong `not-french` flag is worse than translating a name.
 * - Code (braces and semicolons at line ends, keywords at line starts, `=>`, `==`, `&&`...) is
 *   detected before franc, which would call it English.
 * - Below 120 letters, franc must beat French by a margin (0.1) for the text not to count as
 *   French: close calls go to French.
 */
import { francAll } from 'franc';

/** ISO 639-3 codes franc may answer. Catalan, Italian and Spanish are the usual confusions. */
export const CANDIDATE_LANGUAGES: readonly string[] = ['fra', 'eng', 'deu', 'spa', 'ita', 'por', 'nld', 'cat'];
/** Fewer letters than this: the short-text guard applies. */
export const SHORT_TEXT_LETTERS = 40;
/** Fewer letters than this: franc needs `MEDIUM_TEXT_MARGIN` over French. */
export const MEDIUM_TEXT_LETTERS = 120;
export const MEDIUM_TEXT_MARGIN = 0.1;

export interface LanguageGuess {
  /** True when the text should be translated as French (including short or undecidable text). */
  french: boolean;
  /** ISO 639-3 code (`fra`, `eng`, `deu`...), `code` for source code, `und` when undecided. */
  language: string;
  /**
   * 0..1. For franc: the gap between the winner's normalized score and the runner-up's (>= 0.1
   * is a clear call). For code: the share of code-like lines. 0 for `und`.
   */
  confidence: number;
  /** Which rule decided. */
  basis: 'empty' | 'short' | 'code' | 'franc';
}

/** A few very frequent function words; enough to overrule the short-text guard, nothing more. */
const FUNCTION_WORDS: Readonly<Record<string, ReadonlySet<string>>> = {
  fra: new Set('le la les des du un une et est dans pour que qui pas sur au aux ce cette il elle nous vous sont avec par je ne'.split(' ')),
  eng: new Set('the and is are of to in that this it with for was you not be have what how'.split(' ')),
  deu: new Set('der die das und ist nicht ein eine mit von zu den auf für sich ich wir'.split(' ')),
};

const CODE_LINE = [
  /[^\s;];\s*$/, // `foo();` (French puts a space before ';')
  /[{}]\s*$/,
  /^\s*[{}]/,
  /^\s*(?:import|export|from\s+\S+\s+import|def|class|function|const|let|var|return|fn|func|package|namespace|using|#include|#define|#!\/)\b/,
  /^\s*(?:public|private|protected)\s+(?:static|class|void|final|int|string|String|async|readonly)\b/,
  /^\s*(?:SELECT|INSERT|UPDATE|DELETE|CREATE)\s+[\w*]/,
  /^\s*<\/?[a-zA-Z][\w-]*(?:\s[^>]*)?>/,
  /=>|===?|!==?|&&|\|\||::|->|\+\+|\+=|\/\/ /,
  /^\s*[\w.$[\]]+\s*=\s*\S/,
  /^\s*(?:for|while|if|elif|else|try|except|with)\b.*:\s*$/, // Python block openers
  /^\s*[\w$]+(?:\.[\w$]+)*\([^)]*\)\s*;?\s*$/, // a bare call: `print(x)`
];

/** Share of non-blank lines that look like code (0..1). */
export function codeLikeness(text: string): number {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) return 0;
  let code = 0;
  for (const line of lines) if (CODE_LINE.some((pattern) => pattern.test(line))) code++;
  const share = code / lines.length;
  // One line of prose with "x = 2" in it is not code: a single line also needs code punctuation.
  const symbols = text.match(/[{}[\]();=<>$#\\|&*_]/g)?.length ?? 0;
  const density = symbols / Math.max(1, text.replace(/\s/g, '').length);
  if (lines.length < 3 && density < 0.08) return Math.min(share, 0.49);
  return share;
}

function countLetters(text: string): number {
  return text.match(/\p{L}/gu)?.length ?? 0;
}

function functionWordHits(text: string): Map<string, number> {
  const hits = new Map<string, number>();
  for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    for (const [language, words] of Object.entries(FUNCTION_WORDS)) {
      if (words.has(word)) hits.set(language, (hits.get(language) ?? 0) + 1);
    }
  }
  return hits;
}

export interface DetectOptions {
  /** franc's candidates. @default CANDIDATE_LANGUAGES */
  languages?: readonly string[];
}

/**
 * Guesses whether `text` (a paragraph or a whole document; franc reads its first 2048
 * characters) is French. Never throws.
 */
export function detectFrench(text: string, options: DetectOptions = {}): LanguageGuess {
  const letters = countLetters(text);
  if (letters === 0) return { french: true, language: 'und', confidence: 0, basis: 'empty' };

  const code = codeLikeness(text);
  if (code >= 0.5) return { french: false, language: 'code', confidence: code, basis: 'code' };

  if (letters < SHORT_TEXT_LETTERS) {
    const hits = functionWordHits(text);
    const french = hits.get('fra') ?? 0;
    for (const language of ['eng', 'deu']) {
      const other = hits.get(language) ?? 0;
      if (other >= 2 && french === 0) return { french: false, language, confidence: 0.5, basis: 'short' };
    }
    return { french: true, language: french > 0 ? 'fra' : 'und', confidence: 0, basis: 'short' };
  }

  const ranking = francAll(text, { only: [...(options.languages ?? CANDIDATE_LANGUAGES)], minLength: 1 });
  const [top, topScore] = ranking[0];
  if (top === 'und') return { french: true, language: 'und', confidence: 0, basis: 'franc' };
  const runnerUp = ranking[1]?.[1] ?? 0;
  if (top === 'fra') return { french: true, language: 'fra', confidence: round(topScore - runnerUp), basis: 'franc' };
  const frenchScore = ranking.find(([language]) => language === 'fra')?.[1] ?? 0;
  if (letters < MEDIUM_TEXT_LETTERS && topScore - frenchScore < MEDIUM_TEXT_MARGIN) {
    return { french: true, language: 'fra', confidence: 0, basis: 'franc' };
  }
  return { french: false, language: top, confidence: round(topScore - runnerUp), basis: 'franc' };
}

const round = (value: number): number => Math.round(value * 1000) / 1000;
