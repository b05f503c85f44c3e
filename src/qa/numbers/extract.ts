/**
 * Finds the numbers of a sentence in one language: digits in every notation, number words,
 * ordinals, Roman numerals in the places they count, clock times, decades. Each mention carries
 * all its readings (see values.ts); matching is in match.ts.
 */
import type { NumberWordValue, QaLanguage } from '../lang/types.js';
import { isCapitalized, tokenize, type Token } from '../tokens.js';
import { codeKey, monthKey, numberKey, readDigits, timeKey, type NumberMention } from './values.js';

const HYPHENS = new Set(['-', '‐', '‑']);
const RANGE_DASHES = new Set(['-', '‐', '‑', '–', '—', '/']);
const DATE_SEPARATORS = new Set(['/', '-', '.']);
const APOSTROPHES = new Set(["'", '’', 'ʼ']);
const VULGAR_FRACTIONS: Readonly<Record<string, number>> = { '½': 0.5, '¼': 0.25, '¾': 0.75, '⅓': 1 / 3, '⅔': 2 / 3, '⅛': 0.125 };

/** Roman numerals as centuries and ordinals (`XXIe`, `Ier`, `MMe` is not: see romanOrdinal). */
const ROMAN = /^(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$/;
/**
 * Roman numerals standing alone (`Louis XIV`, `World War II`): I to XXXIX only. Larger ones with
 * L, C, D or M are far likelier acronyms (`DC`, `CD`, `MD`, `CV`) than regnal numbers.
 */
const SHORT_ROMAN = /^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})$/;
const ROMAN_DIGITS: Readonly<Record<string, number>> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };

function romanValue(text: string): number {
  let total = 0;
  for (let i = 0; i < text.length; i++) {
    const value = ROMAN_DIGITS[text[i]];
    const next = ROMAN_DIGITS[text[i + 1]] ?? 0;
    total += value < next ? -value : value;
  }
  return total;
}

/**
 * `60` -> 60, 1960, 2060; `1960` -> 1960, 60: `années 60` is `the 1960s` or `the '60s`.
 * `1800` -> also 19: `the 1800s` is `le XIXe siècle`.
 */
function decadeReadings(value: number): number[] {
  if (!Number.isInteger(value) || value % 10 !== 0) return [];
  if (value < 100) return [value, 1900 + value, 2000 + value];
  const readings = [value];
  if (value >= 1900 && value < 2100) readings.push(value % 100);
  if (value >= 1000 && value % 100 === 0) readings.push(value / 100 + 1);
  return readings;
}

/** `Trois` in `Trois-Rivières`, `Three` in `The Three Musketeers`: not all capitals, not first. */
function isTitleCase(word: string): boolean {
  return isCapitalized(word) && word.slice(1) !== word.slice(1).toUpperCase();
}

type WordClass = 'unit' | 'teen' | 'ten' | 'hundred' | 'scale';

interface NumberWordItem {
  value: number;
  cls: WordClass;
  ordinal: boolean;
  /** Written after the joiner (`vingt et un`, `hundred and five`). */
  afterJoiner: boolean;
  /** The lowercase word, for soft words. */
  word: string;
  first: number;
  last: number;
}

function classOf(value: number): WordClass {
  if (value >= 1000) return 'scale';
  if (value === 100) return 'hundred';
  if (value >= 20) return 'ten';
  if (value >= 10) return 'teen';
  return 'unit';
}

/** A number being composed from words: `deux cent mille` = (2 x 100) x 1000. */
interface Composition {
  items: NumberWordItem[];
  total: number;
  group: number;
  largestScale: number;
  lastScale: number;
  closed: boolean;
}

function startComposition(item: NumberWordItem): Composition {
  const composition: Composition = { items: [item], total: 0, group: 0, largestScale: 0, lastScale: 0, closed: item.ordinal };
  if (item.cls === 'scale') {
    composition.total = item.value;
    composition.largestScale = composition.lastScale = item.value;
  } else composition.group = item.value;
  return composition;
}

/** Adds a word to a composition if French or English would write them together; false otherwise. */
function extend(composition: Composition, item: NumberWordItem): boolean {
  if (composition.closed) return false;
  const last = composition.items[composition.items.length - 1];
  if (item.afterJoiner && !(last.cls === 'hundred' || last.cls === 'scale' || (last.cls === 'ten' && (item.value === 1 || item.value === 11)))) return false;
  switch (item.cls) {
    case 'hundred':
      if (last.cls === 'hundred' || composition.group >= 100) return false;
      composition.group = Math.max(composition.group, 1) * 100;
      break;
    case 'scale':
      if (item.value > composition.largestScale && composition.total + composition.group > 0) {
        composition.total = (composition.total + composition.group) * item.value;
        composition.largestScale = item.value;
      } else if (item.value < composition.lastScale && composition.group > 0) {
        composition.total += composition.group * item.value;
      } else return false;
      composition.group = 0;
      composition.lastScale = item.value;
      break;
    default: {
      const v = item.value;
      // `cent deux`, `mille neuf cent`, `hundred and five`, `vingt-trois`, `soixante-dix-sept`,
      // `quatre-vingt-onze`, `dix-huit`; never `deux trois` or `twenty thirty`.
      const fits =
        last.cls === 'hundred' ? v < 100 :
        last.cls === 'scale' ? v < 1000 :
        last.cls === 'ten' ? v < 10 || ((last.value === 60 || last.value === 80) && v < 20) :
        last.cls === 'teen' ? last.value === 10 && v < 10 :
        false;
      if (!fits) return false;
      composition.group += v;
    }
  }
  composition.items.push(item);
  if (item.ordinal) composition.closed = true;
  return true;
}

/** Reads the numbers of one text; see extractNumbers. */
class NumberReader {
  readonly tokens: Token[];
  readonly lower: string[];
  readonly mentions: NumberMention[] = [];

  constructor(
    readonly text: string,
    readonly lang: QaLanguage,
  ) {
    this.tokens = tokenize(text);
    this.lower = this.tokens.map((token) => token.text.toLowerCase());
  }

  read(): NumberMention[] {
    let i = 0;
    while (i < this.tokens.length) {
      i = this.readDigits(i) ?? this.readFraction(i) ?? this.readPhrase(i) ?? this.readRoman(i) ?? this.readWords(i) ?? this.readNumberWord(i) ?? i + 1;
    }
    return this.mentions;
  }

  private add(first: number, last: number, keys: string[], soft: boolean): void {
    const start = this.tokens[first].start;
    const end = this.tokens[last].end;
    this.mentions.push({ text: this.text.slice(start, end).replace(/\s+/g, ' '), start, end, keys: [...new Set(keys)], soft });
  }

  private isWord(k: number, words?: ReadonlySet<string>): boolean {
    return this.tokens[k]?.kind === 'word' && (words === undefined || words.has(this.lower[k]));
  }

  private glued(k: number): boolean {
    return k < this.tokens.length && !this.tokens[k].spaced;
  }

  /** The word before token k (skipping nothing), lowercase, or undefined. */
  private wordBefore(k: number): string | undefined {
    return this.tokens[k - 1]?.kind === 'word' ? this.lower[k - 1] : undefined;
  }

  /** Matches lowercase words from k, across hyphens; returns the index of the last word matched. */
  private matchWords(k: number, words: readonly string[]): number | undefined {
    let at = k;
    for (let w = 0; w < words.length; w++) {
      if (w > 0) {
        at++;
        if (this.tokens[at]?.kind === 'punct' && (HYPHENS.has(this.tokens[at].text) || APOSTROPHES.has(this.tokens[at].text))) at++;
      }
      if (!this.isWord(at) || this.lower[at] !== words[w]) return undefined;
    }
    return at;
  }

  // ---- digits -------------------------------------------------------------------------------

  private readDigits(i: number): number | undefined {
    const token = this.tokens[i];
    if (token.kind !== 'digits') return undefined;
    // `14.07.2023`: a date written with periods, read as day, month and year.
    const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(token.text);
    if (dotted) {
      const [day, month, year] = dotted.slice(1).map(Number);
      for (const keys of [[numberKey(day), monthKey(day)], [numberKey(month), monthKey(month)], [numberKey(year)]]) this.add(i, i, keys, false);
      return i + 1;
    }
    const readings = readDigits(token.text);
    if (typeof readings === 'string') {
      this.add(i, i, [codeKey(readings)], false);
      return i + 1;
    }
    return this.readClockTime(i) ?? this.readQuantity(i, readings);
  }

  /** `18:30`, `6.30 pm`, `6 p.m.`, `18h30`, `6 h`, `18 h 30`. */
  private readClockTime(i: number): number | undefined {
    const raw = this.tokens[i].text;
    if (!/^\d{1,2}(?:[.]\d{2})?$/.test(raw)) return undefined;
    const hours = Number(raw.split('.')[0]);
    if (hours > 24) return undefined;
    let minutes = 0;
    let minutesToken = i;
    let last = i;
    let k = i + 1;
    const twoDigitMinutes = (at: number): boolean => this.tokens[at]?.kind === 'digits' && /^\d{2}$/.test(this.tokens[at].text) && Number(this.tokens[at].text) < 60;
    if (raw.includes('.')) {
      const [, decimals] = raw.split('.');
      if (Number(decimals) >= 60) return undefined;
      minutes = Number(decimals);
    } else if (this.tokens[k]?.text === ':' && this.glued(k) && this.glued(k + 1) && twoDigitMinutes(k + 1)) {
      minutes = Number(this.tokens[k + 1].text);
      last = minutesToken = k + 1;
      k += 2;
    } else if (this.isWord(k, this.lang.hourMarks)) {
      last = k;
      k++;
      if (twoDigitMinutes(k)) {
        minutes = Number(this.tokens[k].text);
        last = minutesToken = k;
        k++;
      }
      this.addClockTime(i, last, minutesToken, hours, minutes);
      return k;
    }
    const meridiemEnd = this.meridiemAt(k);
    if (meridiemEnd !== undefined) {
      this.addClockTime(i, meridiemEnd, minutesToken, hours, minutes);
      return meridiemEnd + 1;
    }
    if (last > i) {
      this.addClockTime(i, last, minutesToken, hours, minutes);
      return k;
    }
    // `6.30` alone: a decimal or a time; readQuantity keeps both readings.
    return undefined;
  }

  /**
   * A clock time reads as the time or as its hours (`18 h` may be a duration, `en 48 h`), and its
   * minutes are a number of their own, for a side that spells them out (`3 h 10` is `3 hours 10
   * minutes`, `6:30` is `6 heures 30`). `6.30` alone is not surely a time: see readQuantity.
   */
  private addClockTime(first: number, last: number, minutesToken: number, hours: number, minutes: number): void {
    this.add(first, last, [timeKey(hours, minutes), numberKey(hours)], false);
    if (minutes !== 0) this.add(minutesToken, minutesToken, [numberKey(minutes)], false);
  }

  /** `pm`, `PM`, `p.m.`, `o'clock`: returns the last token of the meridiem. */
  private meridiemAt(k: number): number | undefined {
    if (this.lang.meridiems.size === 0) return undefined;
    if (this.isWord(k, this.lang.meridiems)) return k;
    if (this.lower[k] === 'o' && APOSTROPHES.has(this.tokens[k + 1]?.text ?? '') && this.lower[k + 2] === 'clock') return k + 2;
    const dotted = `${this.lower[k] ?? ''}${this.tokens[k + 1]?.text ?? ''}${this.lower[k + 2] ?? ''}`;
    if (/^[ap]\.m$/.test(dotted) && this.glued(k + 1) && this.glued(k + 2)) return this.tokens[k + 3]?.text === '.' && this.glued(k + 3) ? k + 3 : k + 2;
    return undefined;
  }

  /** A quantity, ordinal, decade or year, with what follows it: `3,2 millions`, `1er`, `1960s`, `5 M€`. */
  private readQuantity(i: number, readings: number[]): number {
    const raw = this.tokens[i].text;
    let values = readings;
    const extra: string[] = [];
    let last = i;
    let k = i + 1;

    // `1960s`, `'60s`, `60's` (but `5s` is five seconds: only tens make decades).
    const decades = values.flatMap(decadeReadings);
    if (this.glued(k) && this.isWord(k, this.lang.ordinalSuffixes)) {
      last = k++;
    } else if (decades.length > 0 && this.glued(k) && this.isWord(k, this.lang.decadeSuffixes)) {
      values = decades;
      last = k++;
    } else if (decades.length > 0 && this.glued(k) && APOSTROPHES.has(this.tokens[k]?.text ?? '') && this.glued(k + 1) && this.isWord(k + 1, this.lang.decadeSuffixes)) {
      values = decades;
      last = k + 1;
      k += 2;
    }
    if (this.isWord(k) && this.lang.multipliers[this.lower[k]] !== undefined && this.tokens[k].spaced) {
      const factor = this.lang.multipliers[this.lower[k]];
      values = values.map((value) => value * factor);
      last = k++;
    } else if (this.isWord(k) && this.lang.fractionWords[this.lower[k]] !== undefined && this.tokens[k].spaced) {
      // `12 centièmes` may be `0.12` or `12 hundredths`.
      const denominator = this.lang.fractionWords[this.lower[k]];
      values = [...values, ...values.map((value) => value / denominator)];
      last = k++;
    } else if (this.isWord(k) && this.lang.abbreviatedMultipliers[this.tokens[k].text] !== undefined) {
      // `5 M` may be five metres; `€5m` five million: keep both readings.
      const factor = this.lang.abbreviatedMultipliers[this.tokens[k].text];
      values = [...values.map((value) => value * factor), ...values];
      last = k++;
    }
    for (const phrase of this.lang.halfPhrases) {
      const end = this.matchWords(k, phrase);
      if (end !== undefined && this.tokens[k].spaced) {
        values = [...values.map((value) => value + 0.5), ...values];
        last = end;
        k = end + 1;
        break;
      }
    }
    // `1914-18`, `2022/23`: the second year of a range may be written with two digits.
    if (/^\d{2}$/.test(raw) && i >= 2 && RANGE_DASHES.has(this.tokens[i - 1].text) && this.glued(i) && this.glued(i - 1) && /^\d{4}$/.test(this.tokens[i - 2].text)) {
      values = [...values, Math.floor(Number(this.tokens[i - 2].text) / 100) * 100 + values[0]];
    }
    if (this.precededByDecadeWord(i)) values = [...values, ...values.flatMap(decadeReadings)];
    // `14/07/2023`, `2023-07-14`, `07/14/2023`: a day or month number may be a month name on the other side.
    if (/^\d{1,2}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 12 && this.inDigitDate(i)) extra.push(monthKey(Number(raw)));
    // `6.30` may be half past six.
    const time = /^(\d{1,2})\.(\d{2})$/.exec(raw);
    if (time && Number(time[1]) < 25 && Number(time[2]) < 60) {
      this.add(i, last, [...values.map(numberKey), timeKey(Number(time[1]), Number(time[2]))], false);
      this.mentions.push({ ...this.mentions[this.mentions.length - 1], keys: [numberKey(Number(time[2]))], soft: true });
      return k;
    }
    this.add(i, last, [...values.map(numberKey), ...extra], false);
    return k;
  }

  /** Digits glued to a `/`, `-` or `.` that is glued to more digits, on either side. */
  private inDigitDate(i: number): boolean {
    const separatorWithDigits = (separator: number, digits: number): boolean =>
      DATE_SEPARATORS.has(this.tokens[separator]?.text ?? '') && this.tokens[digits]?.kind === 'digits' && this.glued(Math.max(separator, digits)) && this.glued(Math.max(separator, i));
    return separatorWithDigits(i - 1, i - 2) || separatorWithDigits(i + 1, i + 2);
  }

  private precededByDecadeWord(i: number): boolean {
    const before = this.wordBefore(i);
    return before !== undefined && this.lang.decadeWords.has(before);
  }

  private readFraction(i: number): number | undefined {
    const value = VULGAR_FRACTIONS[this.tokens[i].text];
    if (value === undefined) return undefined;
    this.add(i, i, [numberKey(value)], false);
    return i + 1;
  }

  // ---- words --------------------------------------------------------------------------------

  private readPhrase(i: number): number | undefined {
    if (!this.isWord(i)) return undefined;
    for (const phrase of this.lang.numberPhrases) {
      if (phrase.words[0] !== this.lower[i]) continue;
      const end = this.matchWords(i, phrase.words);
      if (end !== undefined) return this.addWordValue(i, end, phrase.value);
    }
    return undefined;
  }

  private addWordValue(first: number, last: number, value: NumberWordValue): number {
    this.add(first, last, value.values.map(numberKey), value.soft);
    return last + 1;
  }

  /**
   * `XXe siècle`, `Ier`, `IIIe République` (a Roman numeral with an ordinal suffix, any size);
   * `Louis XIV`, `Jean-Paul II`, `World War II`, `chapitre IV` (I to XXXIX after a capitalized
   * word or a keyword such as `chapitre`/`part`). A lone `I`, `V` or `X` there is soft: `Francis I`
   * and `Charles V` are names, but `Then I` is a pronoun.
   */
  private readRoman(i: number): number | undefined {
    const token = this.tokens[i];
    if (token.kind !== 'word' || !/^[IVXLCDM]/.test(token.text)) return undefined;
    const ordinal = /^([IVXLCDM]+)(.+)$/u.exec(token.text);
    // The suffix is lowercase (`CE` is an acronym), and a one-letter numeral is I, V or X:
    // `Le`, `Les`, `Ce`, `De`, `Mme` are words.
    if (ordinal && ROMAN.test(ordinal[1]) && ordinal[2] === ordinal[2].toLowerCase() && this.lang.ordinalSuffixes.has(ordinal[2])) {
      if (ordinal[1].length === 1 && !'IVX'.includes(ordinal[1])) return undefined;
      this.add(i, i, [numberKey(romanValue(ordinal[1]))], false);
      return i + 1;
    }
    if (!SHORT_ROMAN.test(token.text)) return undefined;
    const before = this.tokens[i - 1];
    const keyword = before?.kind === 'word' && (isCapitalized(before.text) || this.lang.romanNumeralKeywords.has(this.lower[i - 1]));
    if (!keyword || !token.spaced) return undefined;
    this.add(i, i, [numberKey(romanValue(token.text))], token.text.length === 1);
    return i + 1;
  }

  /** Number words: `vingt et un`, `quatre-vingt-dix-sept`, `deux cent mille`, `a hundred and five`. */
  private readWords(i: number): number | undefined {
    const items = this.wordItems(i);
    if (items.length === 0) return undefined;
    let composition = startComposition(items[0]);
    for (const item of items.slice(1)) {
      if (!extend(composition, item)) {
        this.addComposition(composition);
        composition = startComposition(item);
      }
    }
    // `deux et demi`, `two and a half`.
    const next = items[items.length - 1].last + 1;
    for (const phrase of this.lang.halfPhrases) {
      const end = this.matchWords(next, phrase);
      if (end !== undefined) {
        this.addComposition(composition, end, 0.5);
        return end + 1;
      }
    }
    this.addComposition(composition);
    return next;
  }

  /** Adds a composed number; `plus` is a half after it, read as an alternative value. */
  private addComposition(composition: Composition, lastToken?: number, plus = 0): void {
    const { items } = composition;
    const first = items[0];
    const last = items[items.length - 1];
    const value = composition.total + composition.group;
    // Alone, `un`, `one`, `premier`, `neuf` are soft, and so are `millions`, `hundreds` without a
    // count. A capitalized number word inside a sentence is part of a name or a title
    // (`Trois-Rivières`, `Les Trois Mousquetaires`), which may stay French in English: soft.
    const soft =
      (items.length === 1 && (this.lang.softNumberWords.has(first.word) || ((first.cls === 'scale' || first.cls === 'hundred') && first.word.endsWith('s')))) ||
      (isTitleCase(this.tokens[first.first].text) && this.tokens[first.first - 1]?.kind === 'word');
    const values = plus === 0 ? [value] : [value + plus, value];
    if (this.precededByDecadeWord(first.first)) values.push(...decadeReadings(value));
    this.add(first.first, lastToken ?? last.last, values.map(numberKey), soft && plus === 0);
  }

  /** The run of number words from token i, with the joiner and hyphens between them. */
  private wordItems(i: number): NumberWordItem[] {
    const items: NumberWordItem[] = [];
    let k = i;
    let afterJoiner = false;
    for (;;) {
      const item = this.wordItem(k, afterJoiner, items.length === 0);
      if (item === undefined) break;
      items.push(item);
      k = item.last + 1;
      afterJoiner = false;
      const separator = this.tokens[k];
      if (separator?.kind === 'punct' && HYPHENS.has(separator.text) && this.glued(k) && this.glued(k + 1)) k++;
      else if (separator?.kind === 'word' && this.lower[k] === this.lang.joiner) {
        k++;
        afterJoiner = true;
      } else if (separator?.kind !== 'word') break;
    }
    return items;
  }

  private wordItem(k: number, afterJoiner: boolean, first: boolean): NumberWordItem | undefined {
    if (!this.isWord(k)) return undefined;
    const word = this.lower[k];
    const before = this.wordBefore(k);
    if (before !== undefined && this.lang.notNumberAfter[before]?.includes(word)) return undefined;
    // `le 3 sept. 2023`: a month, not seven.
    if (this.lang.months[word] !== undefined && this.tokens[k - 1]?.kind === 'digits' && this.tokens[k + 1]?.text === '.' && this.glued(k + 1)) return undefined;
    const make = (value: number, last: number, ordinal = false, cls = classOf(value)): NumberWordItem => ({ value, cls, ordinal, afterJoiner, word, first: k, last });
    // `quatre-vingt(s)` is 80, not 4 + 20.
    if (word === 'quatre') {
      const end = this.matchWords(k, ['quatre', 'vingt']) ?? this.matchWords(k, ['quatre', 'vingts']);
      if (end !== undefined && this.lang.cardinals.vingt !== undefined) return make(80, end);
    }
    const cardinal = this.lang.cardinals[word];
    if (cardinal !== undefined) return make(cardinal, k);
    const ordinal = this.lang.ordinals[word];
    if (ordinal !== undefined) return make(ordinal, k, true);
    const multiplier = this.lang.multipliers[word];
    if (multiplier !== undefined) return make(multiplier, k);
    // `a hundred`, `a million`.
    if (first && this.lang.multiplierArticles.has(word) && this.isWord(k + 1) && this.lang.multipliers[this.lower[k + 1]] !== undefined) return make(1, k);
    return undefined;
  }

  /** Approximations, fractions, multiples, decades, months (`dizaine`, `half`, `twice`, `sixties`, `juillet`). */
  private readNumberWord(i: number): number | undefined {
    if (!this.isWord(i)) return undefined;
    const word = this.lower[i];
    const value = this.lang.numberWords[word];
    if (value !== undefined) return this.addWordValue(i, i, value);
    const month = this.lang.months[word];
    if (month !== undefined) {
      // A month name answers a month written in digits (`14/07` = `14 July`), nothing else.
      this.add(i, i, [monthKey(month)], true);
      return i + 1;
    }
    return undefined;
  }
}

/** The numbers of `text`, read with the conventions of `lang`, in order. */
export function extractNumbers(text: string, lang: QaLanguage): NumberMention[] {
  return new NumberReader(text, lang).read();
}
