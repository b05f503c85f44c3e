/**
 * Number mentions and the keys they are compared by. A mention may mean several things (`1,500`
 * is 1500 in English and 1.5 in French; `6.30` is a decimal or a time), so it carries every
 * reading as a key, and two mentions match when they share one.
 */

export interface NumberMention {
  /** As written, whitespace made plain: `1 914`, `XXe`, `quatre-vingt-dix`. */
  text: string;
  /** UTF-16 offsets into the text. */
  start: number;
  end: number;
  /**
   * Every reading: `n:<value>` for a quantity, `t:<minutes past 0:00 or 12:00>` for a clock time,
   * `m:<month>` for a month, `s:<text>` for a code.
   */
  keys: string[];
  /** A soft mention may answer a number of the other side, but need not be answered (see NumberWordValue). */
  soft: boolean;
}

/** Twelve significant digits: `3.2 * 1e6` and `3200000` give the same key. */
export function numberKey(value: number): string {
  return `n:${Number(value.toPrecision(12))}`;
}

/** Clock times compare on a twelve-hour dial: `18h30` = `6:30 pm` = `6.30`. */
export function timeKey(hours: number, minutes: number): string {
  return `t:${((hours % 12) * 60 + minutes) % 720}`;
}

/** A month, from its name or from a digit date (`juillet`, `07` in `14/07/2023`). */
export function monthKey(month: number): string {
  return `m:${month}`;
}

export function codeKey(text: string): string {
  return `s:${text}`;
}

/**
 * Readings of a digit group as written (`1 914`, `3,5`, `1,500`, `1.234,56`, `192.168.0.1`).
 * Thousands separators (space, U+00A0, U+202F, U+2009, and `.` or `,` before exactly three
 * digits) and decimal separators (`,` or `.`) are read the same way in both languages; where a
 * group could be either (`1,500`, `2.000`), both readings are kept. Anything else with several
 * separators is a code compared as written (a version, an address).
 */
export function readDigits(raw: string): number[] | string {
  const text = raw.replace(/[ \u00A0\u202F\u2009]/g, '');
  const separators = [...text.matchAll(/[.,]/g)].map((match) => match.index);
  if (separators.length === 0) return [Number(text)];
  const groups = text.split(/[.,]/);
  const kinds = separators.map((index) => text[index]);
  const lastKind = kinds[kinds.length - 1];
  const threeDigitGroups = (from: number, to: number): boolean => groups.slice(from, to).every((group) => group.length === 3);
  const leadingGroupOk = groups[0].length >= 1 && groups[0].length <= 3 && !/^0\d/.test(groups[0]);
  if (separators.length === 1) {
    const decimal = Number(`${groups[0]}.${groups[1]}`);
    // `1,500` / `2.000`: thousands in one convention, a decimal in the other.
    if (groups[1].length === 3 && leadingGroupOk && groups[0] !== '0') return [Number(groups.join('')), decimal];
    return [decimal];
  }
  // `1.234.567`, `1,234,567`: one separator repeated, three digits after each.
  if (kinds.every((kind) => kind === kinds[0]) && leadingGroupOk && threeDigitGroups(1, groups.length)) return [Number(groups.join(''))];
  // `1.234,56`, `1,234.56`: thousands with one kind, then one decimal separator of the other.
  const thousandsKinds = kinds.slice(0, -1);
  if (thousandsKinds.every((kind) => kind !== lastKind && kind === thousandsKinds[0]) && leadingGroupOk && threeDigitGroups(1, groups.length - 1)) {
    return [Number(`${groups.slice(0, -1).join('')}.${groups[groups.length - 1]}`)];
  }
  return raw;
}
