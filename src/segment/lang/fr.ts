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
    // `v.` (voir), `ex.` in `p. ex.` / `par ex.`, `réf.`, `éq.`, `v. not.` (notamment). (`art.`
    // and `vol.` are also words, `l'art.`, `le vol.`: they are `terminal` below. After a number a
    // one-letter entry is a unit instead, `3 200 t.`: see sentences.ts.)
    'p', 'pp', 'cf', 'chap', 'ch', 't', 'fig', 'n', 'v', 'ex', 'réf', 'éq', 'op',
    'sect', 'paragr', 'no', 'nos', 'not', 'ca', 'rens',
    // Law reports: `Cass. civ. 1re`, `Cass. crim.`, `Bull. civ. IV`, `req. n° 1914/02`.
    'Cass', 'civ', 'crim', 'soc', 'req', 'Bull',
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
    'janv', 'févr', 'fév', 'avr', 'juil', 'juill', 'sept', 'oct', 'nov', 'déc',
    // `au XVe s.` (siècle), `et ss.` / `sq.` / `sqq.` (and following pages).
    's', 'ss', 'sq', 'sqq',
    // Scholarly endings: `et al.`, `ibid.`, `id.`, `op. cit.`, `loc. cit.`, `(dir.)`, `(éd.)`,
    // `(trad.)`, `(coll.)`.
    'al', 'ibid', 'id', 'cit', 'dir', 'éd', 'rééd', 'trad', 'coll', 'suiv', 'préc', 'obs', 'suppl',
    // Units sometimes written with a period: `12 000 hab.`, `30 min.`, `max.`.
    'hab', 'min', 'max', 'sec',
    // Company and name suffixes: `Dupont et Cie.`, `Martin Luther King Jr.`.
    'Cie', 'Jr', 'Inc', 'Ltd', 'Co',
  ],
  'list-end': ['etc'],
};

/**
 * Listed abbreviations that are units after a number (`12 000 hab.`, `30 min.`): the measure ends
 * there, so any capital after them starts a sentence. One-letter entries are units after a
 * number too (`3 200 t.`, `250 p.`).
 */
export const UNIT_ABBREVIATIONS: ReadonlySet<string> = new Set(['hab', 'min', 'sec']);

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
 * Civilities written in lowercase (`mm. Dupont et Durand`, `mme. Martin`): titles like their
 * capitalised forms. Only the forms that are not also French words (`me`, `mes`, `st`, `prof`
 * are left out). After a number `mm` is the unit (`10 mm.`): sentences.ts checks that first.
 */
export const LOWERCASE_TITLES: ReadonlySet<string> = new Set(['mm', 'mme', 'mmes', 'mlle', 'mlles', 'mgr', 'dr', 'mr']);

/**
 * Names written with an exclamation mark (`Yahoo! Actualités`, `Jeopardy!`). After one, `!` ends
 * a sentence only before a capitalised sentence opener, like a `terminal` abbreviation.
 */
export const BANG_NAMES: ReadonlySet<string> = new Set(['Yahoo', 'Jeopardy', 'Joomla', 'Wham']);

/**
 * Interjections whose `!` is followed by the rest of the sentence in lowercase: `Hélas ! il
 * était trop tard`, `Ah ! je comprends`. Compared in lowercase.
 */
export const INTERJECTIONS: ReadonlySet<string> = new Set([
  'ah', 'ha', 'oh', 'ho', 'eh', 'hé', 'hein', 'hélas', 'ô', 'bah', 'ouf', 'aïe', 'bon', 'bien', 'allons', 'tiens', 'dame', 'zut', 'chut',
]);

/**
 * Lowercase words that start a sentence even after a token that might be an abbreviation: subject
 * pronouns cannot follow an abbreviation such as `env.`, `p.` or `av.`, which announce a number, a
 * name or a noun phrase. `… au XVe s. il fut …`, `… service top. je recommande`.
 */
export const SUBJECT_PRONOUNS: ReadonlySet<string> = new Set([
  'je', "j'", 'tu', 'il', 'ils', 'elle', 'elles', 'on', 'nous', 'vous', "c'", 'ça', 'cela', 'ceci',
]);

/**
 * `À` written `à` at a sentence start, frequent where capitals are hard to type (`… à l'issue de
 * la réunion …`). Weaker evidence than a pronoun: `le 14 sept. à 19 h` is one sentence.
 */
export const LOWERCASE_A_GRAVE = 'à';

/**
 * Verbs of saying that follow a quoted question or exclamation without inverting their subject
 * (`« Et maintenant ? » demande Paul`, `Vraiment ? lance le maire`): the sentence goes on. The
 * inverted forms (`demanda-t-il`, `s'écrie-t-elle`) are recognised by their shape.
 */
export const SPEECH_VERBS: ReadonlySet<string> = new Set([
  'dit', 'demande', 'demanda', 'répond', 'répondit', 'lance', 'lança', 'interroge', 'interrogea', 'questionne',
  'ajoute', 'ajouta', 'poursuit', 'poursuivit', 'reprend', 'reprit', 'fait', 'fit', 'souffle', 'souffla', 'insiste',
  'glisse', 'ironise', 'plaisante', 'conclut', 'murmure', 'murmura', 'crie', 'cria', 'hurle', 'hurla', 'rétorque',
  'tranche', 'explique', 'note', 'relève', 'remarque', 'observe', 'souligne', 'résume', 'assure', 'confie', 'avoue',
  'précise', 'raconte', 'sourit', 'soupire', 'soupira', 'rappelle', 'commente', 'constate', 'déplore', 'regrette',
]);

/** Conjunctions that continue a sentence after `?` or `!` written mid-sentence (`… ? et puis …`). */
export const CONTINUATIONS: ReadonlySet<string> = new Set(['et', 'ou', 'ni', 'mais', 'car', 'donc', 'puis', 'or']);

/** Interrogatives that open a question written without its capital: `… ? quel est …`. */
export const QUESTION_WORDS: ReadonlySet<string> = new Set([
  'qui', 'que', "qu'", 'quel', 'quelle', 'quels', 'quelles', 'quoi', 'où', 'quand', 'comment', 'pourquoi', 'combien',
  'lequel', 'laquelle', 'lesquels', 'lesquelles',
]);

/**
 * Frequent short words (four letters at most) that end sentences but that the vowel test of
 * `isFullWord` does not recognise: they end in a consonant (`sang`, `mois` is found by the test)
 * or have a single vowel (`là`, `thé`). Nouns, adjectives, adverbs and verb forms; nothing that is
 * also a usual abbreviation (`art`, `vol`, `min`, `sec`, `fig`, `col`, `cap` are left out).
 */
const SHORT_WORDS: ReadonlySet<string> = new Set([
  // nouns
  'an', 'ans', 'jour', 'nuit', 'soir', 'fin', 'mars', 'juin', 'août', 'lien', 'coin', 'bain', 'pain', 'main', 'faim', 'nom',
  'don', 'rang', 'sang', 'camp', 'sud', 'nord', 'est', 'mort', 'sort', 'port', 'tort', 'nerf', 'chef', 'clef', 'clé', 'thé',
  'blé', 'pré', 'gré', 'lait', 'fait', 'plat', 'chat', 'état', 'but', 'lit', 'mot', 'lot', 'pot', 'dos', 'bus', 'jus',
  'mer', 'fer', 'ver', 'air', 'or', 'ours', 'four', 'tour', 'cour', 'peur', 'sœur', 'cœur', 'lac', 'sac', 'bac', 'parc',
  'arc', 'duc', 'roc', 'bloc', 'club', 'golf', 'film', 'test', 'gaz', 'nez', 'riz', 'vin', 'vent', 'dent', 'gens', 'sens',
  'tout', 'bout', 'coût', 'goût', 'nid', 'pied', 'soif', 'œuf', 'bœuf', 'sel', 'miel', 'ciel', 'bal', 'fil', 'poil', 'œil',
  'part', 'tram', 'gars', 'fils', 'bras', 'cas', 'pas', 'tas', 'prix', 'top', 'job', 'web', 'net',
  'bien', 'mal', 'rien', 'loin', 'non', 'là', 'ça', 'lors', 'plus', 'dont', 'sans', 'dans', 'chez', 'vers',
  // adjectives
  'bon', 'long', 'fort', 'dur', 'pur', 'sûr', 'mûr', 'noir', 'gris', 'brun', 'vert', 'laid', 'cher', 'fier', 'seul', 'nul',
  'tel', 'bas', 'gros', 'gras', 'las', 'haut', 'neuf', 'vif',
  // verb forms
  'dit', 'fit', 'mis', 'pris', 'vit', 'sait', 'doit', 'peut', 'veut', 'font', 'sont', 'ont', 'vont', 'fut', 'eut', 'faut',
  'vaut', 'voit', 'rit', 'suit', 'sent', 'ment', 'bat', 'met', 'perd', 'rend', 'vend', 'naît',
  'dort', 'lut', 'crut', 'dû', 'vu', 'lu', 'su', 'pu', 'bu', 'né', 'mû',
]);

const VOWELS = /[aeiouyàâäéèêëîïôöùûüÿœæ]/u;

/**
 * Whether a token written before a period is a full word rather than a possible abbreviation:
 * five letters or more, a frequent short word, or a word that ends in a vowel (plus a plural
 * `s`/`x`) and has another vowel (`eau`, `vie`, `mois`, `jeux`). French abbreviations cut a
 * word before a vowel (`env.`, `chap.`, `févr.`), so they end in a consonant; the contracted
 * ones that end in a vowel have only that vowel (`Mme`, `Sté`, `bte`, `ca`).
 */
export function isFullWord(token: string): boolean {
  const word = token.toLowerCase();
  if (word.length >= 5) return true;
  if (SHORT_WORDS.has(word)) return true;
  const stem = word.replace(/[sx]$/u, '');
  if (stem.length === 0 || !VOWELS.test(stem.at(-1)!)) return false;
  return [...stem].filter((char) => VOWELS.test(char)).length >= 2;
}

/** Opening quotes and brackets: skipped to find the first word of a following sentence. */
export const OPENERS = '«"“‘\'([{—–-¿¡‹';

/** Dashes that introduce a dialogue reply or a list item at the start of a line. */
export const DIALOGUE_DASHES = '—–';

/**
 * Elided articles and pronouns glued to the token before a period (`l'U.E.`, `d'A.`): stripped
 * before the abbreviation and initial look-ups.
 */
export const ELISION = /^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’](?=\p{L})/iu;
