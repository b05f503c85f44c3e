/**
 * What the quality checks need to know about one language: how it writes numbers, which words
 * give it away, which words a loop never legitimately doubles. The checks (src/qa/) hold the
 * logic; a language is only this data (src/qa/lang/fr.ts, src/qa/lang/en.ts).
 */

/** A word or phrase that stands for a number, and the values it may stand for. */
export interface NumberWordValue {
  values: readonly number[];
  /**
   * A soft number may be the counterpart of a number on the other side but is never required to
   * have one: `un` is an article far more often than a count, `premier` is also "prime"
   * (`Premier ministre`), `both` and `twice` have no literal French counterpart.
   */
  soft: boolean;
}

export interface QaLanguage {
  // ---- numbers ----------------------------------------------------------------------------
  /** Cardinal number words, lowercase, that combine (`vingt-trois`, `twenty-three`). */
  readonly cardinals: Readonly<Record<string, number>>;
  /** Ordinal number words, lowercase; they combine like cardinals and end a number. */
  readonly ordinals: Readonly<Record<string, number>>;
  /** Words that multiply the number before them (`cent`, `mille`, `million`, `hundred`...). */
  readonly multipliers: Readonly<Record<string, number>>;
  /** Number words that, alone, are soft (`un`, `one`, `premier`, `first`, `neuf` = "new"). */
  readonly softNumberWords: ReadonlySet<string>;
  /** The word that may join number words: `et` (`vingt et un`), `and` (`hundred and five`). */
  readonly joiner: string;
  /** Articles that read as "one" before a multiplier (`a hundred`, `a million`). */
  readonly multiplierArticles: ReadonlySet<string>;
  /** Other words with a number value: approximations, fractions, months, decades, `twice`. */
  readonly numberWords: Readonly<Record<string, NumberWordValue>>;
  /** Phrases (lowercase words) whose number is not literal, with what the other side may say. */
  readonly numberPhrases: readonly { words: readonly string[]; value: NumberWordValue }[];
  /** After these words, the listed number words are not numbers (`pour cent`, `pour mille`). */
  readonly notNumberAfter: Readonly<Record<string, readonly string[]>>;
  /** Letters after digits or a Roman numeral that make an ordinal (`1er`, `XXe`, `21st`). */
  readonly ordinalSuffixes: ReadonlySet<string>;
  /** Abbreviations after a number that multiply it (`M€`, `Md`, `€5bn`), case-sensitive. */
  readonly abbreviatedMultipliers: Readonly<Record<string, number>>;
  /** Fraction words after digits and their denominators: `12 centièmes` = 0.12, `3 tenths`. */
  readonly fractionWords: Readonly<Record<string, number>>;
  /** Hour marks between hours and minutes (`18h30`, `6 h`); lowercase. */
  readonly hourMarks: ReadonlySet<string>;
  /** Words after a time that say morning or afternoon (`am`, `pm`); lowercase. */
  readonly meridiems: ReadonlySet<string>;
  /** Words before a number that make it a decade (`années 60`); lowercase. */
  readonly decadeWords: ReadonlySet<string>;
  /** Letters glued to a number that make it a decade (`1960s`); lowercase. */
  readonly decadeSuffixes: ReadonlySet<string>;
  /** Phrases after a number that add a half (`et demi`, `and a half`); lowercase words. */
  readonly halfPhrases: readonly (readonly string[])[];
  /** Lowercase words after which a Roman numeral is a number (`chapitre IV`, `part II`). */
  readonly romanNumeralKeywords: ReadonlySet<string>;
  /** Month names and abbreviations (lowercase) that a digit date may stand for (`07` = `juillet`). */
  readonly months: Readonly<Record<string, number>>;

  // ---- language identity (untranslated) ---------------------------------------------------
  /**
   * Frequent function words of the language that are not words of the other language, lowercase.
   * A few of them in a target mean it was not translated.
   */
  readonly functionWords: ReadonlySet<string>;
  /** Elided forms written before an apostrophe (`l'`, `d'`, `qu'`), lowercase, without it. */
  readonly elisions: ReadonlySet<string>;
  /** Lowercase particles inside names (`Place de la Concorde`, `Charles de Gaulle`). */
  readonly nameParticles: ReadonlySet<string>;

  // ---- repetition -------------------------------------------------------------------------
  /** Words that a correct sentence never writes twice in a row (`the the`, `of of`). */
  readonly neverDoubled: ReadonlySet<string>;
}

/** Builds a record of soft or hard values from a table of single values. */
export function numberWordTable(table: Readonly<Record<string, number | readonly number[]>>, soft: boolean): Record<string, NumberWordValue> {
  const out: Record<string, NumberWordValue> = {};
  for (const [word, value] of Object.entries(table)) out[word] = { values: typeof value === 'number' ? [value] : value, soft };
  return out;
}
