/**
 * A MarianTokenizer in tokenizer.json form: Unigram model, NFKC normalizer, Metaspace
 * pre-tokenizer and decoder (prepend_scheme "always"), TemplateProcessing `$A </s>`, and the
 * special tokens where opus-mt-fr-en has them: `</s>` = 0, `<unk>` = 1, `<pad>` = last id.
 *
 * The vocabulary comes from the embedded word lists (vocab-data.ts), every character in
 * CHARACTERS (so ordinary French text never yields `<unk>`), substrings of the listed words,
 * and generated syllables that fill the remaining slots, so unlisted words split into a few
 * plausible pieces. Scores are log-probability-like: common whole words beat their pieces, and
 * single characters come last, as a trained SentencePiece model would have them.
 */
import { EOS_TOKEN_ID, UNK_TOKEN_ID } from './config.js';
import { CHARACTERS, ENGLISH_WORDS, FRENCH_WORDS } from './vocab-data.js';

/** SentencePiece's word-boundary marker. */
export const WORD_BOUNDARY = '\u2581';
export const SPECIAL_TOKENS = { eos: '</s>', unk: '<unk>', pad: '<pad>' } as const;

/** Ids 0, 1 and the last id are the specials; id 2 is always the bare word boundary. */
const RESERVED = 3;

type Piece = [piece: string, score: number];

const splitWords = (list: string): string[] => {
  const seen = new Set<string>();
  for (const entry of list.split(/\s+/)) {
    for (const part of entry.split(/['’-]/)) if (part.length > 0) seen.add(part);
  }
  return [...seen];
};

const capitalize = (w: string): string => w.charAt(0).toLocaleUpperCase('fr') + w.slice(1);

/** Onsets, nuclei and codas of French and English spelling, for the generated fill. */
const ONSETS = ['', 'b', 'c', 'd', 'f', 'g', 'h', 'j', 'l', 'm', 'n', 'p', 'qu', 'r', 's', 't', 'v', 'w', 'z',
  'bl', 'br', 'ch', 'cl', 'cr', 'dr', 'fl', 'fr', 'gl', 'gr', 'gu', 'ph', 'pl', 'pr', 'sc', 'sp', 'st', 'tr',
  'vr', 'th', 'sh', 'k', 'y', 'x', 'str', 'gn'];
const NUCLEI = ['a', 'e', 'i', 'o', 'u', 'é', 'è', 'ê', 'y', 'ai', 'au', 'eau', 'ei', 'eu', 'oi', 'ou', 'ie', 'io',
  'ia', 'ui', 'ea', 'ee', 'oo', 'â', 'î', 'ô', 'û', 'à', 'ue', 'oe', 'ay'];
const CODAS = ['', 'n', 'm', 'r', 's', 't', 'l', 'x', 'c', 'nt', 'ns', 'rs', 'st', 'rt', 'nd', 'll', 'ss', 'tt',
  'ct', 'rd', 'nc', 'mp', 'ng', 'rn', 'ts', 'nts'];

/** Every candidate piece with its score; the caller keeps the best-scored ones. */
function candidatePieces(): Piece[] {
  const pieces: Piece[] = [];
  const french = splitWords(FRENCH_WORDS);
  const english = splitWords(ENGLISH_WORDS);

  // Whole words: "▁mot" for a word after a space, "Mot" capitalized, and the bare form, which
  // follows an elided article or a hyphen (l'engagement, États-Unis).
  french.forEach((w, rank) => {
    const s = -(4 + Math.log1p(rank));
    pieces.push([WORD_BOUNDARY + w, s], [WORD_BOUNDARY + capitalize(w), s - 1.5], [w, s - 2]);
  });
  english.forEach((w, rank) => {
    const s = -(5 + Math.log1p(rank));
    pieces.push([WORD_BOUNDARY + w, s], [WORD_BOUNDARY + capitalize(w), s - 1.5], [w, s - 2.5]);
  });

  // Substrings of listed words (2-6 characters), ranked by how often they occur; word-initial
  // ones also with the boundary marker.
  const counts = new Map<string, number>();
  const bump = (piece: string, by: number): void => {
    counts.set(piece, (counts.get(piece) ?? 0) + by);
  };
  [...french, ...english].forEach((w, rank) => {
    const weight = 1 / Math.sqrt(1 + rank);
    const chars = [...w];
    for (let start = 0; start < chars.length; start++) {
      for (let len = 2; len <= 6 && start + len <= chars.length; len++) {
        const sub = chars.slice(start, start + len).join('');
        bump(sub, weight);
        if (start === 0) bump(WORD_BOUNDARY + sub, weight);
      }
    }
  });
  [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .forEach(([piece], rank) => pieces.push([piece, -(8 + Math.log1p(rank))]));

  // Numbers: "▁0".."▁99" start a number, "00".."99" continue it.
  for (let n = 0; n < 100; n++) {
    pieces.push([WORD_BOUNDARY + n, -(9 + Math.log1p(n))]);
    pieces.push([String(n).padStart(2, '0'), -(10 + Math.log1p(n))]);
  }
  // Punctuation that opens a word: "▁«", "▁(", "▁\"".
  for (const p of ['«', '»', '(', '"', '“', '-', '–', '—', '.', ',', ':', ';', '!', '?', "'", '’']) {
    pieces.push([WORD_BOUNDARY + p, -9]);
  }

  // Generated syllables fill whatever is left of a large vocabulary.
  let rank = 0;
  for (const coda of CODAS) {
    for (const nucleus of NUCLEI) {
      for (const onset of ONSETS) {
        const syl = onset + nucleus + coda;
        const s = -(12 + 0.5 * Math.log1p(rank++));
        pieces.push([syl, s], [WORD_BOUNDARY + syl, s - 0.5], [WORD_BOUNDARY + capitalize(syl), s - 1.5]);
      }
    }
  }
  return pieces;
}

/** Single characters score below every multi-character piece, as in a trained model. */
const CHARACTER_SCORE = -30;

/**
 * The vocabulary, ids in order: `</s>`, `<unk>`, `▁`, characters (as many as fit), the
 * best-scored pieces, `<pad>`. Deterministic: a pure function of `vocabSize`.
 */
export function buildVocabulary(vocabSize: number): Piece[] {
  const budget = vocabSize - RESERVED;
  const chosen = new Map<string, number>();
  chosen.set(WORD_BOUNDARY, -5);
  for (const ch of new Set(CHARACTERS)) {
    if (chosen.size >= budget) break;
    chosen.set(ch, CHARACTER_SCORE);
  }
  if (chosen.size < budget) {
    const best = new Map<string, number>();
    for (const [piece, score] of candidatePieces()) {
      if (!chosen.has(piece) && score > (best.get(piece) ?? -Infinity)) best.set(piece, score);
    }
    const ranked = [...best.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [piece, score] of ranked) {
      if (chosen.size >= budget) break;
      chosen.set(piece, score);
    }
  }
  if (chosen.size < budget) {
    throw new RangeError(`vocabSize ${vocabSize} exceeds the ${chosen.size + RESERVED} tokens the generator can make`);
  }
  return [
    [SPECIAL_TOKENS.eos, 0],
    [SPECIAL_TOKENS.unk, 0],
    ...chosen.entries(),
    [SPECIAL_TOKENS.pad, 0],
  ];
}

const addedToken = (id: number, content: string): Record<string, unknown> => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
});

export function tokenizerJson(vocabSize: number): Record<string, unknown> {
  const vocab = buildVocabulary(vocabSize);
  const pad = vocabSize - 1;
  const metaspace = { type: 'Metaspace', replacement: WORD_BOUNDARY, prepend_scheme: 'always', split: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      addedToken(EOS_TOKEN_ID, SPECIAL_TOKENS.eos),
      addedToken(UNK_TOKEN_ID, SPECIAL_TOKENS.unk),
      addedToken(pad, SPECIAL_TOKENS.pad),
    ],
    // NFKC folds compatibility forms (ligatures, full-width signs); the Replace turns every run
    // of whitespace (newlines, tabs, the no-break spaces French puts before ; : ! ? and inside
    // « ») into one space, as SentencePiece's nmt_nfkc normalization does.
    normalizer: {
      type: 'Sequence',
      normalizers: [{ type: 'NFKC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }],
    },
    pre_tokenizer: metaspace,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: SPECIAL_TOKENS.eos, type_id: 0 } }],
      pair: [
        { Sequence: { id: 'A', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 0 } },
        { SpecialToken: { id: SPECIAL_TOKENS.eos, type_id: 0 } },
      ],
      special_tokens: { [SPECIAL_TOKENS.eos]: { id: SPECIAL_TOKENS.eos, ids: [EOS_TOKEN_ID], tokens: [SPECIAL_TOKENS.eos] } },
    },
    decoder: metaspace,
    model: { type: 'Unigram', unk_id: UNK_TOKEN_ID, vocab, byte_fallback: false },
  };
}

export function tokenizerConfig(maxPositions: number): Record<string, unknown> {
  return {
    tokenizer_class: 'MarianTokenizer',
    model_max_length: maxPositions,
    eos_token: SPECIAL_TOKENS.eos,
    unk_token: SPECIAL_TOKENS.unk,
    pad_token: SPECIAL_TOKENS.pad,
    source_lang: 'fr',
    target_lang: 'en',
    separate_vocabs: false,
    sp_model_kwargs: {},
    clean_up_tokenization_spaces: false,
  };
}
