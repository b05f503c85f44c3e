/**
 * `untranslated`: the target is the source again, or is still French.
 *
 * Both tests count function words rather than asking a language identifier: franc is unreliable
 * on short sentences, and what matters is that a few French articles, pronouns and auxiliaries
 * outweigh the English ones. Names and quotations must not count: `Place de la Concorde`,
 * `Le Monde`, `« Je ne regrette rien »` are correct in an English sentence, so particles before a
 * capitalized word and words inside quotation marks are skipped.
 */
import { en } from '../lang/en.js';
import { fr } from '../lang/fr.js';
import { isCapitalized, tokenize, type Token } from '../tokens.js';

const OPENING_QUOTES = new Set(['«', '“', '„', '‹']);
const CLOSING_QUOTES = new Set(['»', '”', '›']);
const APOSTROPHES = new Set(["'", '’', 'ʼ']);
const SENTENCE_STARTS = new Set(['.', '!', '?', ':', '…', '«', '“', '"', '(', '—', '–', '-']);

/** Lowercase words that read the same in both languages: their presence proves nothing. */
const SHARED_WORDS: ReadonlySet<string> = new Set([
  'etc', 'via', 'vs', 'versus', 'km', 'kg', 'cm', 'mm', 'mg', 'ml', 'cl', 'ha', 'min', 'sec', 'max',
  'mph', 'kmh', 'kwh', 'mw', 'gw', 'twh', 'www', 'http', 'https', 'com', 'org', 'net', 'html', 'pdf',
]);

export interface LanguageEvidence {
  /** French function words found outside names and quotations, lowercase, in order. */
  french: string[];
  /** Count of English function words. */
  english: number;
  /** Lowercase words of three letters or more outside quotations that are not function words of either language. */
  lowercaseContent: number;
}

/** Counts what shows the language of a text (see the module comment). */
export function languageEvidence(text: string): LanguageEvidence {
  const tokens = tokenize(text);
  const evidence: LanguageEvidence = { french: [], english: 0, lowercaseContent: 0 };
  let quoteDepth = 0;
  let straightQuoteOpen = false;
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k];
    if (token.kind === 'punct') {
      if (OPENING_QUOTES.has(token.text)) quoteDepth++;
      else if (CLOSING_QUOTES.has(token.text)) quoteDepth = Math.max(0, quoteDepth - 1);
      else if (token.text === '"') straightQuoteOpen = !straightQuoteOpen;
      continue;
    }
    if (token.kind !== 'word' || quoteDepth > 0 || straightQuoteOpen) continue;
    const word = token.text.toLowerCase();
    if (en.functionWords.has(word)) {
      evidence.english++;
      continue;
    }
    const elided = fr.elisions.has(word) && APOSTROPHES.has(tokens[k + 1]?.text ?? '') && !tokens[k + 1].spaced && tokens[k + 2]?.kind === 'word' && !tokens[k + 2].spaced;
    if (word === 'et' && tokens[k + 1]?.text.toLowerCase() === 'al') continue;
    if (elided || fr.functionWords.has(word)) {
      if (!partOfName(tokens, k)) evidence.french.push(elided ? `${word}'` : word);
      if (elided) k++;
      continue;
    }
    if (!isCapitalized(token.text) && token.text.length >= 3 && !SHARED_WORDS.has(word)) evidence.lowercaseContent++;
  }
  return evidence;
}

/**
 * A French word inside a name: capitalized in mid-sentence (`Le Monde` after `in`), or a particle
 * followed, across other particles, hyphens and apostrophes, by a capitalized word
 * (`rue de la Paix`, `d'Artagnan`, `Saint-Germain-en-Laye`).
 */
function partOfName(tokens: readonly Token[], k: number): boolean {
  const token = tokens[k];
  const previous = tokens[k - 1];
  const sentenceInitial = previous === undefined || (previous.kind === 'punct' && SENTENCE_STARTS.has(previous.text));
  if (isCapitalized(token.text) && !sentenceInitial) return true;
  if (!fr.nameParticles.has(token.text.toLowerCase())) return false;
  for (let j = k + 1; j < tokens.length; j++) {
    const next = tokens[j];
    if (next.kind === 'punct' && (APOSTROPHES.has(next.text) || next.text === '-') && !next.spaced) continue;
    if (next.kind === 'word' && fr.nameParticles.has(next.text.toLowerCase()) && !isCapitalized(next.text)) continue;
    return next.kind === 'word' && isCapitalized(next.text);
  }
  return false;
}

/** Letters and digits only, lowercase: `« Oui ! »` and `"oui!"` compare equal. */
function comparable(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * Whether a source copied unchanged would be a missed translation: it has French words to
 * translate, and is not already English. `Emmanuel Macron`, `Paris 2024`, `Tour de France` are
 * the same in English.
 */
function needsTranslation(source: LanguageEvidence): boolean {
  if (source.english > source.french.length) return false;
  return source.french.length > 0 || source.lowercaseContent > 0;
}

/** The `untranslated` finding for a pair, if any. */
export function untranslatedMessage(source: string, target: string): string | undefined {
  const targetText = comparable(target);
  if (targetText === '') return undefined;
  if (targetText === comparable(source)) {
    return needsTranslation(languageEvidence(source)) ? 'target is the source, not translated' : undefined;
  }
  const evidence = languageEvidence(target);
  // Two French function words that outnumber the English ones: one could be a borrowing (`à la carte`).
  if (evidence.french.length >= 2 && evidence.french.length > evidence.english) {
    const shown = [...new Set(evidence.french)].slice(0, 5).join(', ');
    return `target is still French (${shown})`;
  }
  return undefined;
}
