/**
 * sacreBLEU's printed forms: its `f"{x:.Nf}"` rounding, the score line
 * (`BLEU|<signature> = 35.4 66.7/41.2/... (BP = ...)`) and the alignment of several lines on `=`.
 */

/**
 * Python's `f"{value:.{digits}f}"`. JavaScript's `toFixed` rounds an exact tie away from zero,
 * Python to even (`6.25` -> `6.2`, not `6.3`); only exact ties differ, and a tie is exact only when
 * the double's value is, so it is checked in exact integer arithmetic.
 */
export function pyFixed(value: number, digits: number): string {
  const fixed = value.toFixed(digits);
  if (!Number.isFinite(value)) return fixed;
  const tie = exactTie(Math.abs(value), digits);
  if (tie === undefined || tie % 2n === 1n) return fixed;
  // An exact tie whose lower neighbour is even: Python keeps the lower one.
  const text = tie.toString().padStart(digits + 1, '0');
  const unsigned = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return value < 0 ? `-${unsigned}` : unsigned;
}

/**
 * When `value * 10^digits` is exactly halfway between two integers, the lower one; else undefined.
 * A double is `mantissa * 2^exponent`; the product is a half-integer exactly when twice it is an
 * odd integer.
 */
function exactTie(value: number, digits: number): bigint | undefined {
  if (value === 0 || Number.isInteger(value)) return undefined;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  // value = mantissa * 2^exponent, with exponent < 0 here (value is not an integer).
  const twice = mantissa * 2n * 10n ** BigInt(digits);
  const denominator = 1n << BigInt(-exponent);
  if (twice % denominator !== 0n) return undefined;
  const doubled = twice / denominator;
  return doubled % 2n === 1n ? (doubled - 1n) / 2n : undefined;
}

/** What a score line needs: `name|signature = score[ verbose]`. */
export interface PrintableScore {
  readonly name: string;
  readonly score: number;
  readonly signature: string;
  /** BLEU's precisions, brevity penalty and lengths; empty for the other metrics. */
  readonly verbose: string;
}

/** sacreBLEU's `Score.format` in text mode; `width` is its `-w` (1 on its command line). */
export function scoreLine(score: PrintableScore, width = 1): string {
  const line = `${score.signature ? `${score.name}|${score.signature}` : score.name} = ${pyFixed(score.score, width)}`;
  return score.verbose ? `${line} ${score.verbose}` : line;
}

/**
 * sacreBLEU's `print_single_results` for several metrics: the part before ` = ` is right-aligned,
 * so the `=` signs line up.
 */
export function alignScoreLines(lines: readonly string[]): string[] {
  if (lines.length < 2) return [...lines];
  const lefts = lines.map((line) => line.indexOf('=') - 1);
  const width = Math.max(...lefts);
  return lines.map((line, i) => `${line.slice(0, lefts[i]).padStart(width)}${line.slice(lefts[i])}`);
}
