/**
 * French data for the quality checks: how French writes numbers, the function words that give a
 * French sentence away, the words a loop doubles. The algorithms are in src/qa/; each entry here
 * can say why it is in the list.
 */
import { numberWordTable, type QaLanguage } from './types.js';

/** With a trailing `s`: `vingts` (quatre-vingts), `cents`, `millions`, `troisièmes`. */
function withPlurals(table: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = { ...table };
  for (const [word, value] of Object.entries(table)) if (!word.endsWith('s') && !word.endsWith('x')) out[`${word}s`] = value;
  return out;
}

const CARDINALS: Readonly<Record<string, number>> = {
  zéro: 0, un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9,
  dix: 10, onze: 11, douze: 12, treize: 13, quatorze: 14, quinze: 15, seize: 16,
  // `vingts` only in `quatre-vingts`; the extractor reads `quatre-vingt(s)` as one word, 80.
  vingt: 20, vingts: 20, trente: 30, quarante: 40, cinquante: 50, soixante: 60,
  // Belgian and Swiss French.
  septante: 70, huitante: 80, octante: 80, nonante: 90,
};

const ORDINALS: Readonly<Record<string, number>> = withPlurals({
  // `unième` only ends a compound (`vingt et unième`); alone, the ordinal of one is `premier`.
  premier: 1, première: 1, unième: 1, second: 2, seconde: 2, deuxième: 2, troisième: 3,
  quatrième: 4, cinquième: 5, sixième: 6, septième: 7, huitième: 8, neuvième: 9, dixième: 10,
  onzième: 11, douzième: 12, treizième: 13, quatorzième: 14, quinzième: 15, seizième: 16,
  vingtième: 20, trentième: 30, quarantième: 40, cinquantième: 50, soixantième: 60,
  centième: 100, millième: 1000, millionième: 1e6, milliardième: 1e9,
});

/** `cent` and `mille` multiply (`deux cents`); `mille` is invariable, so `milles` is the unit "miles". */
const MULTIPLIERS: Readonly<Record<string, number>> = {
  cent: 100, cents: 100, mille: 1000, million: 1e6, millions: 1e6, milliard: 1e9, milliards: 1e9,
  // The French billion is 10^12 (the English trillion).
  billion: 1e12, billions: 1e12,
};

export const fr: QaLanguage = {
  cardinals: CARDINALS,
  ordinals: ORDINALS,
  multipliers: MULTIPLIERS,
  softNumberWords: new Set([
    // Articles far more often than counts: `un homme` is "a man".
    'un', 'une',
    // `Premier ministre` is "Prime Minister", `d'abord` is "first" as well as `premier`.
    'premier', 'première', 'premiers', 'premières',
    // Also the unit of time (`une seconde`), and `dans un second temps` is "then".
    'second', 'seconde', 'seconds', 'secondes',
    // Also the adjective "new" (`un pull neuf`, `remis à neuf`).
    'neuf',
    // `repartir de zéro` is "start from scratch".
    'zéro',
  ]),
  joiner: 'et',
  multiplierArticles: new Set(),
  numberWords: {
    // A third and a quarter are said in English too (`a third`, `a quarter`, `quarter-final`); a
    // half often disappears (`une demi-heure` is `30 minutes`).
    ...numberWordTable({ tiers: [1 / 3, 3], quart: [0.25, 4], quarts: [0.25, 4] }, false),
    ...numberWordTable({ demi: 0.5, demie: 0.5, demis: 0.5, demies: 0.5, moitié: 0.5 }, true),
    ...numberWordTable({ couple: 2, paire: 2, double: 2, doublé: 2, triple: 3, triplé: 3, quadruple: 4 }, true),
    ...numberWordTable({ duo: 2, trio: 3, quatuor: 4, quartette: 4, quintette: 5 }, true),
    // Approximate counts: `une dizaine` is "about ten" or "a dozen", `une quinzaine de jours`
    // "two weeks"; the English side says a number. `quarantaine` is also "quarantine".
    ...numberWordTable({
      dizaine: [10, 12], douzaine: [12, 10], quinzaine: [15, 14, 2], vingtaine: 20, trentaine: 30,
      cinquantaine: 50, soixantaine: 60, centaine: 100, millier: 1000,
    }, false),
    // Plurals are vague (`des dizaines` is "dozens" or "many"): soft.
    ...numberWordTable({
      dizaines: [10, 12], douzaines: [12, 10], vingtaines: 20, centaines: 100, milliers: 1000, quarantaine: 40,
    }, true),
    // Words with a number inside: `quinquennat` is "five-year term", `octogénaire` "in his eighties".
    ...numberWordTable({
      décennie: 10, décennies: 10, quinquennat: 5, septennat: 7, centenaire: 100, bicentenaire: 200,
      tricentenaire: 300, millénaire: 1000, quadragénaire: 40, quinquagénaire: 50, sexagénaire: 60,
      septuagénaire: 70, octogénaire: 80, nonagénaire: 90, centenaires: 100,
    }, true),
    midi: { values: [12], soft: true },
    minuit: { values: [0, 12, 24], soft: true },
  },
  numberPhrases: [
    // `quinze jours` is "two weeks" or "a fortnight"; `huit jours` is "a week", with no number.
    { words: ['quinze', 'jours'], value: { values: [15, 14, 2], soft: false } },
    { words: ['huit', 'jours'], value: { values: [8, 7, 1], soft: true } },
    // Knockout rounds are named after the number of matches in French, of teams in English.
    { words: ['huitième', 'de', 'finale'], value: { values: [8, 16], soft: false } },
    { words: ['huitièmes', 'de', 'finale'], value: { values: [8, 16], soft: false } },
    { words: ['seizième', 'de', 'finale'], value: { values: [16, 32], soft: false } },
    { words: ['seizièmes', 'de', 'finale'], value: { values: [16, 32], soft: false } },
    // `Première`/`Seconde` are soft alone; the world wars are `World War I/II` or `the First/Second World War`.
    { words: ['première', 'guerre', 'mondiale'], value: { values: [1], soft: false } },
    { words: ['seconde', 'guerre', 'mondiale'], value: { values: [2], soft: false } },
    { words: ['deuxième', 'guerre', 'mondiale'], value: { values: [2], soft: false } },
    // "both": `tous les deux` has no number in English.
    { words: ['tous', 'les', 'deux'], value: { values: [2], soft: true } },
    { words: ['toutes', 'les', 'deux'], value: { values: [2], soft: true } },
    // The post-war boom.
    { words: ['trente', 'glorieuses'], value: { values: [30], soft: true } },
  ],
  notNumberAfter: { pour: ['cent', 'mille'] },
  ordinalSuffixes: new Set([
    'e', 'è', 'ème', 'eme', 'èmes', 'emes', 'es', 'er', 'ers', 're', 'res', 'ère', 'ères', 'ere', 'eres',
    'nd', 'nde', 'nds', 'ndes', 'd', 'de',
    // Typeset superscripts: `1ᵉʳ`, `XXᵉ`, `1ʳᵉ`.
    'ᵉ', 'ᵉʳ', 'ʳᵉ', 'ᵉˢ', 'ᵉʳˢ', 'ʳᵉˢ',
  ]),
  // `5 M€`, `1,2 Md€`, `3 Mds d'euros`, `20 k€`; `M` alone may be metres, so the plain value stays possible.
  abbreviatedMultipliers: { M: 1e6, Mio: 1e6, Md: 1e9, Mds: 1e9, Mrd: 1e9, Mrds: 1e9, md: 1e9, mds: 1e9, Mia: 1e9, k: 1e3, K: 1e3 },
  // `18h30`, `18 h 30`, `à 20 heures`, `20 heures 30`.
  hourMarks: new Set(['h', 'heure', 'heures']),
  fractionWords: { dixième: 10, dixièmes: 10, centième: 100, centièmes: 100, millième: 1000, millièmes: 1000 },
  meridiems: new Set(),
  decadeWords: new Set(['années', 'annees']),
  decadeSuffixes: new Set(),
  halfPhrases: [['et', 'demi'], ['et', 'demie']],
  romanNumeralKeywords: new Set([
    'chapitre', 'tome', 'acte', 'titre', 'livre', 'partie', 'article', 'annexe', 'phase', 'niveau',
    'type', 'catégorie', 'classe', 'saison', 'volume', 'vol', 'section', 'scène', 'chant', 'fascicule',
  ]),
  months: {
    janvier: 1, février: 2, mars: 3, avril: 4, mai: 5, juin: 6, juillet: 7, août: 8, septembre: 9,
    octobre: 10, novembre: 11, décembre: 12,
    // Abbreviations (`le 3 févr. 2023`); `sept` is also seven, a month only as `3 sept.`.
    janv: 1, févr: 2, fév: 2, avr: 4, juil: 7, sept: 9, oct: 10, nov: 11, déc: 12,
  },
  functionWords: new Set([
    // Articles, pronouns, prepositions, conjunctions and auxiliaries that are not also English
    // words. Left out on purpose: `a`, `on`, `as`, `an`, `son`, `pour`, `par`, `plus`, `pas`
    // (faux pas), `déjà` (déjà vu), `y`, `me`, `or`. `et` counts except in `et al.`; `un` and
    // `en` are rare in English (`en route`), and `UN` in mid-sentence is a name.
    'le', 'la', 'les', 'des', 'du', 'de', 'un', 'une', 'au', 'aux', 'à', 'en', 'et', 'ce', 'cet', 'cette', 'ces',
    'il', 'ils', 'elle', 'elles', 'je', 'tu', 'nous', 'vous', 'lui', 'leur', 'leurs', 'sa', 'ses',
    'notre', 'nos', 'votre', 'vos', 'mon', 'ma', 'mes', 'qui', 'que', 'quoi', 'dont', 'où',
    'est', 'sont', 'était', 'étaient', 'été', 'être', 'avait', 'avaient', 'ont', 'sera', 'seront',
    'fait', 'peut', 'doit', 'dans', 'sur', 'sous', 'avec', 'sans', 'chez', 'entre', 'vers',
    'après', 'avant', 'depuis', 'pendant', 'selon', 'contre', 'parmi', 'mais', 'ou', 'donc',
    'puis', 'alors', 'ainsi', 'aussi', 'encore', 'très', 'tout', 'tous', 'toute', 'toutes',
    'ne', 'se', 'cela', 'ça', 'ceci', 'celui', 'celle', 'ceux', 'celles', 'lors', 'quand',
    'comme', 'même', 'autres', 'plusieurs', 'chaque', 'aucun', 'aucune',
  ]),
  elisions: new Set(['l', 'd', 'qu', 'n', 'c', 's', 'j', 'm', 't', 'jusqu', 'lorsqu', 'puisqu', 'quoiqu']),
  // `Place de la Concorde`, `Charles de Gaulle`, `Boulogne-sur-Mer`, `Trinité-et-Tobago`,
  // `Saint-Germain-en-Laye`, `Le Monde`: lowercase words inside names.
  nameParticles: new Set(['de', 'du', 'des', 'la', 'le', 'les', 'd', 'l', 'et', 'sur', 'sous', 'en', 'aux', 'au', 'lès']),
  neverDoubled: new Set([
    'le', 'la', 'les', 'un', 'une', 'des', 'du', 'de', 'et', 'à', 'au', 'aux', 'est', 'dans',
    'pour', 'sur', 'par', 'avec', 'ce', 'cette', 'ces',
  ]),
};
