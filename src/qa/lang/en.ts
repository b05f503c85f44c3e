/**
 * English data for the quality checks: how English writes numbers, the function words that show
 * a sentence is English, the words a loop doubles. The algorithms are in src/qa/.
 */
import { numberWordTable, type QaLanguage } from './types.js';

const CARDINALS: Readonly<Record<string, number>> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fourty: 40, fifty: 50, sixty: 60,
  seventy: 70, eighty: 80, ninety: 90,
};

const ORDINALS: Readonly<Record<string, number>> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9,
  tenth: 10, eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15,
  sixteenth: 16, seventeenth: 17, eighteenth: 18, nineteenth: 19, twentieth: 20, thirtieth: 30,
  fortieth: 40, fiftieth: 50, sixtieth: 60, seventieth: 70, eightieth: 80, ninetieth: 90,
  hundredth: 100, thousandth: 1000, millionth: 1e6, billionth: 1e9,
  // Fractions: `three tenths` is `trois dixièmes`. (`thirds`, `quarters`, `halves` are in numberWords.)
  fifths: 5, sixths: 6, sevenths: 7, eighths: 8, ninths: 9, tenths: 10, twelfths: 12, twentieths: 20,
  hundredths: 100, thousandths: 1000,
};

const MULTIPLIERS: Readonly<Record<string, number>> = {
  hundred: 100, hundreds: 100, thousand: 1000, thousands: 1000, million: 1e6, millions: 1e6,
  billion: 1e9, billions: 1e9, trillion: 1e12, trillions: 1e12,
};

/** `the sixties` is `les années 60`, `in her sixties` is `la soixantaine`. */
const DECADES: Readonly<Record<string, readonly number[]>> = Object.fromEntries(
  (['twenties', 'thirties', 'forties', 'fifties', 'sixties', 'seventies', 'eighties', 'nineties'] as const).map((word, i) => {
    const tens = 20 + 10 * i;
    return [word, [tens, 1900 + tens, 2000 + tens]];
  }),
);

export const en: QaLanguage = {
  cardinals: CARDINALS,
  ordinals: ORDINALS,
  multipliers: MULTIPLIERS,
  // `one of them` is `l'un d'eux`, `at first` is `d'abord`, `a second` is a unit of time.
  softNumberWords: new Set(['one', 'first', 'second', 'zero']),
  joiner: 'and',
  multiplierArticles: new Set(['a', 'an']),
  numberWords: {
    // `twice` is `deux fois` or `à deux reprises`: a count the French side must have.
    // `WWII` is `la Seconde Guerre mondiale` (`WW2` is read as digits).
    ...numberWordTable({ twice: 2, thrice: 3, wwi: 1, wwii: 2 }, false),
    ...numberWordTable(DECADES, false),
    ...numberWordTable({ once: 1, both: 2, pair: 2, couple: 2, double: 2, doubled: 2, triple: 3, tripled: 3 }, true),
    ...numberWordTable({ duo: 2, trio: 3, quartet: 4, quintet: 5 }, true),
    ...numberWordTable({ half: 0.5, halves: 0.5, quarter: [0.25, 4], quarters: [0.25, 4], thirds: [1 / 3, 3] }, true),
    ...numberWordTable({ dozen: [12, 10], dozens: [12, 10], tens: 10, fortnight: [14, 15, 2] }, true),
    // Words with a number inside: `a decade` is `dix ans`, `a centenarian` is `un centenaire`.
    ...numberWordTable({
      decade: 10, decades: 10, century: 100, centuries: 100, millennium: 1000, centenary: 100,
      centennial: 100, bicentenary: 200, bicentennial: 200, biennial: 2, octogenarian: 80,
      nonagenarian: 90, septuagenarian: 70, sexagenarian: 60, centenarian: 100,
    }, true),
    noon: { values: [12], soft: true },
    midday: { values: [12], soft: true },
    midnight: { values: [0, 12, 24], soft: true },
  },
  numberPhrases: [],
  notNumberAfter: {},
  ordinalSuffixes: new Set(['st', 'nd', 'rd', 'th']),
  // `€5m`, `$3.2bn`, `£20k`; `5m` may also be five metres, so the plain value stays possible.
  abbreviatedMultipliers: { m: 1e6, mn: 1e6, M: 1e6, bn: 1e9, b: 1e9, B: 1e9, k: 1e3, K: 1e3, tn: 1e12, trn: 1e12 },
  hourMarks: new Set(),
  fractionWords: { tenth: 10, tenths: 10, hundredth: 100, hundredths: 100, thousandth: 1000, thousandths: 1000 },
  meridiems: new Set(['am', 'pm']),
  decadeWords: new Set(),
  decadeSuffixes: new Set(['s']),
  halfPhrases: [['and', 'a', 'half']],
  romanNumeralKeywords: new Set([
    'chapter', 'part', 'act', 'book', 'volume', 'vol', 'title', 'article', 'annex', 'phase', 'level',
    'type', 'class', 'category', 'stage', 'tier', 'grade', 'season', 'section', 'scene', 'canto', 'schedule',
  ]),
  months: {
    january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9,
    october: 10, november: 11, december: 12,
    jan: 1, feb: 2, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  },
  functionWords: new Set([
    // Left out because French has them too: `a`, `on`, `as`, `an`, `or`, `me`, `plus`, `son`.
    'the', 'and', 'of', 'to', 'in', 'is', 'are', 'was', 'were', 'that', 'this', 'these', 'those',
    'with', 'for', 'at', 'by', 'from', 'it', 'its', 'his', 'her', 'their', 'they', 'he', 'she',
    'we', 'you', 'has', 'have', 'had', 'be', 'been', 'will', 'would', 'but', 'not', 'which',
    'who', 'after', 'there', 'into', 'over', 'while', 'about', 'than', 'what', 'when', 'where',
    'can', 'could', 'should', 'them', 'our', 'my', 'your', 'also', 'said', 'more', 'some',
  ]),
  elisions: new Set(),
  nameParticles: new Set(['of', 'the', 'and', 'upon', 'on']),
  neverDoubled: new Set([
    'the', 'a', 'an', 'of', 'to', 'in', 'on', 'at', 'for', 'with', 'by', 'from', 'and', 'or', 'is',
    'are', 'was', 'were', 'its', 'their', 'his', 'this', 'these', 'those', 'into', 'than',
  ]),
};
