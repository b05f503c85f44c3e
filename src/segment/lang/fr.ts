/**
 * French data for the segmenter: abbreviations, sentence-opening words, quotes and brackets.
 * Kept apart from the algorithm (sentences.ts) so a rule change is a data change, and every
 * entry can say why it is here.
 */

/**
 * How an abbreviation followed by a period behaves at a possible sentence boundary.
 * - `title`: a civility or title; a name always follows (`M. Lavrov`). Never ends a sentence.
 * - `prefix`: introduces a number or a noun phrase (`p. 12`, `cf. supra`, `art. 3`). Never ends
 *   a sentence.
 * - `terminal`: may end a sentence (`au XVe s.`, `le 3 févr.`, `52 av. J.-C.`). A boundary only
 *   when the next word is a capitalised sentence opener (`Le`, `Il`, `Mais` ...), not a name:
 *   `52 av. J.-C. César conquiert la Gaule` is one sentence.
 * - `list-end`: closes an enumeration (`etc.`). Any capitalised word after it starts a sentence:
 *   mid-sentence, `etc.` is followed by lowercase text or punctuation.
 */
export const ABBREVIATION_KINDS = ['title', 'prefix', 'terminal', 'list-end'] as const;
export type AbbreviationKind = (typeof ABBREVIATION_KINDS)[number];

/**
 * Abbreviations, spelled as they appear before their final period, case-sensitive. A
 * capitalised form at the start of a sentence (`Cf.`, `Art.`) is found by lowercasing its first
 * letter; single capital letters are initials and handled by the initial rule instead.
 */
const ABBREVIATION_TABLE: Readonly<Record<AbbreviationKind, readonly string[]>> = {
  title: [
    // Civilities: `M. Blinken`, `MM. Dupont et Durand`, `Mme.`/`Mlle.` (usually written without
    // a period, but the dotted form is common in web text).
    'M', 'MM', 'Mme', 'Mmes', 'Mlle', 'Mlles', 'Me', 'Mes', 'Mgr', 'Dr', 'Pr', 'St', 'Ste',
    // English titles quoted in French news (`Mr. Angel`).
    'Mr', 'Mrs', 'Ms', 'Prof', 'Sr',
  ],
  prefix: [
    // References: `p. 12`, `pp. 3-5`, `cf. supra`, `chap. IV`, `t. II`, `fig. 4`, `n. 3` (note),
    // `v.` (voir), `ex.` in `p. ex.` / `par ex.`, `réf.`, `éq.`. (`art.` and `vol.` are also
    // words, `l'art.`, `le vol.`: they are `terminal` below.)
    'p', 'pp', 'cf', 'chap', 'ch', 't', 'fig', 'n', 'v', 'ex', 'réf', 'éq', 'op',
    'sect', 'paragr', 'no', 'nos',
    // Quantities and places: `env. 30 km`, `approx. 3`, `av. Foch` / `av. J.-C.`, `apr. J.-C.`,
    // `boul. Haussmann`, `tél. 01 ...`, `vs. Lyon`. (`bd` is also a word, "la bd.": `terminal`.)
    'env', 'approx', 'av', 'apr', 'boul', 'tél', 'vs', 'resp',
    // Ranks written before a name: `Gén. de Gaulle`, `Lt. Dupont`. Not `col`/`cap`: they are
    // also words (`le col.`, `le cap.`) that end sentences.
    'gén', 'lt', 'cdt', 'sgt',
  ],
  terminal: [
    // `52 av. J.-C.` / `apr. J.-C.` often end a sentence; the word after decides.
    'J.-C',
    // `art. 3`, `vol. 2`, `12 bd. Haussmann`, but also the words `l'art.`, `le vol.`, `la bd.`
    // at a sentence end.
    'art', 'vol', 'bd',
    // Abbreviated months: `le 3 févr. 2023` (a number follows) or at a sentence end. `sept` is
    // also the number seven; the opener rule still splits `Ils étaient sept. Le lendemain`.
    'janv', 'févr', 'fév', 'avr', 'juil', 'sept', 'oct', 'nov', 'déc',
    // `au XVe s.` (siècle), `et ss.` / `sq.` / `sqq.` (and following pages).
    's', 'ss', 'sq', 'sqq',
    // Scholarly endings: `et al.`, `ibid.`, `id.`, `op. cit.`, `loc. cit.`, `(dir.)`, `(éd.)`,
    // `(trad.)`, `(coll.)`.
    'al', 'ibid', 'id', 'cit', 'dir', 'éd', 'trad', 'coll', 'suiv',
    // Units sometimes written with a period: `12 000 hab.`, `30 min.`, `max.`.
    'hab', 'min', 'max', 'sec',
    // Company and name suffixes: `Dupont et Cie.`, `Martin Luther King Jr.`.
    'Cie', 'Jr', 'Inc', 'Ltd', 'Co',
  ],
  'list-end': ['etc'],
};

const ABBREVIATIONS: ReadonlyMap<string, AbbreviationKind> = new Map(
  ABBREVIATION_KINDS.flatMap((kind) => ABBREVIATION_TABLE[kind].map((word) => [word, kind] as const)),
);

/**
 * Looks up the token written before a period (`M`, `févr`, `J.-C`). A capitalised form at the
 * start of a sentence (`Cf`, `Art`) falls back to its lowercase entry.
 */
export function abbreviationKind(token: string): AbbreviationKind | undefined {
  const exact = ABBREVIATIONS.get(token);
  if (exact !== undefined || token.length < 2) return exact;
  const lowered = token[0].toLowerCase() + token.slice(1);
  return lowered === token ? undefined : ABBREVIATIONS.get(lowered);
}

/**
 * Initials and dotted acronyms: `J`, `Th`, `J.-P`, `U.E`, `H.R.F` (the final period is the
 * candidate). A name usually follows (`Corey S. Powell`, `J.-P. Sartre`), so they end a sentence
 * only before a capitalised sentence opener (`... la vitamine C. Elle ...`).
 */
export const INITIALS = /^(?:\p{Lu}\p{Ll}?\.-?)*\p{Lu}\p{Ll}?$/u;

/**
 * Closed-class words (determiners, pronouns, conjunctions, prepositions, sentence adverbs) that
 * open sentences. After an initial or a `terminal` abbreviation, a capitalised word from this list
 * means a new sentence; any other capitalised word is taken for a name. Compared in lowercase;
 * a word is read up to an apostrophe, which it keeps (`l'`, `aujourd'`).
 */
export const SENTENCE_OPENERS: ReadonlySet<string> = new Set([
  // determiners and articles
  'le', 'la', 'les', "l'", 'un', 'une', 'des', 'du', 'de', "d'", 'au', 'aux', 'ce', 'cet',
  'cette', 'ces', 'son', 'sa', 'ses', 'leur', 'leurs', 'mon', 'ma', 'mes', 'notre', 'nos',
  'votre', 'vos', 'tout', 'tous', 'toute', 'toutes', 'chaque', 'plusieurs', 'certains',
  'certaines', 'aucun', 'aucune', 'quelques', 'nul', 'nulle',
  // pronouns
  'il', 'ils', 'elle', 'elles', 'on', 'nous', 'vous', 'je', "j'", 'tu', "c'", "m'", "t'", 'ça', 'cela',
  'ceci', 'celui', 'celle', 'ceux', 'celles', 'qui', 'que', "qu'", 'quoi', 'quel', 'quelle',
  'quels', 'quelles', 'lequel', 'laquelle', 'y', 'en', 'se', "s'", 'ne', "n'",
  // conjunctions and connectives
  'mais', 'et', 'ou', 'donc', 'or', 'ni', 'car', 'puis', 'alors', 'ensuite', 'enfin', 'si',
  'quand', 'lorsque', "lorsqu'", 'comme', 'cependant', 'toutefois', 'pourtant', 'néanmoins',
  'ainsi', 'aussi', 'bref', 'sinon', 'parce', 'puisque', "puisqu'",
  // prepositions
  'à', 'a', 'dans', 'pour', 'par', 'sur', 'sous', 'avec', 'sans', 'selon', 'après', 'avant',
  'depuis', 'pendant', 'lors', 'entre', 'vers', 'chez', 'contre', 'parmi', 'durant', 'malgré',
  'dès', "jusqu'", 'jusque', 'grâce', 'outre', 'près', 'face',
  // adverbs and interjections that open sentences
  'où', 'pourquoi', 'comment', 'combien', 'voici', 'voilà', 'hier', "aujourd'", 'demain',
  'oui', 'non', 'très', 'plus', 'moins', 'même', 'déjà', 'encore', 'toujours', 'jamais',
  'souvent', 'parfois', 'désormais', 'ici', 'là', 'bien', 'peut-être', 'surtout', 'seul',
  'seuls', 'seule', 'seules', 'autre', 'autres',
]);

/**
 * Words that may open a sentence written without its capital (`... des Hylidae. il ne s'agit
 * pas ...`, frequent in reviews and forums). Only subject pronouns and determiners: after a
 * full word and a period, these are far likelier a careless sentence start than the continuation
 * of an unknown abbreviation.
 */
export const LOWERCASE_OPENERS: ReadonlySet<string> = new Set([
  'il', 'ils', 'elle', 'elles', 'on', 'je', "j'", 'nous', 'vous', "c'", 'ce', 'cette', 'ces',
  'ça', 'cela', 'le', 'la', 'les', "l'",
]);

/** A plain word must be at least this long for the lowercase rule: shorter ones may be abbreviations. */
export const LOWERCASE_RULE_MIN_WORD = 5;

/** Opening quotes and brackets: skipped to find the first word of a following sentence. */
export const OPENERS = '«"“‘\'([{—–-¿¡‹';

/** Dashes that introduce a dialogue reply or a list item at the start of a line. */
export const DIALOGUE_DASHES = '—–';

/**
 * Elided articles and pronouns glued to the token before a period (`l'U.E.`, `d'A.`): stripped
 * before the abbreviation and initial look-ups.
 */
export const ELISION = /^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’](?=\p{L})/iu;
