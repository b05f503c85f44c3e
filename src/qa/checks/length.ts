/**
 * `length`: the target is far shorter or longer than the source suggests, the mark of a dropped
 * clause or a runaway loop. The band and where it comes from are in src/qa/lang/fr-en.ts.
 */
import { LENGTH_MODEL, type LengthModel } from '../lang/fr-en.js';

/** Characters with runs of whitespace counted as one, ends trimmed. */
export function textLength(text: string): number {
  return text.replace(/\s+/g, ' ').trim().length;
}

export interface LengthBand {
  /** Shortest and longest plausible target, in characters (inclusive, rounded outwards). */
  min: number;
  max: number;
}

export function lengthBand(sourceLength: number, model: LengthModel = LENGTH_MODEL): LengthBand {
  const sigma = Math.max(model.minSigma, Math.sqrt(model.a + model.b / sourceLength));
  const expected = sourceLength * model.ratio;
  return {
    min: Math.floor(expected * Math.exp(-model.zShort * sigma)),
    max: Math.ceil(expected * Math.exp(model.zLong * sigma)),
  };
}

export function lengthMessage(source: string, target: string, model: LengthModel = LENGTH_MODEL): string | undefined {
  const sourceLength = textLength(source);
  const targetLength = textLength(target);
  if (sourceLength === 0 || targetLength === 0) return undefined;
  const band = lengthBand(sourceLength, model);
  if (targetLength < band.min) {
    return `target is far shorter than the source: ${targetLength} characters for ${sourceLength} (expected at least ${band.min})`;
  }
  if (targetLength > band.max) {
    return `target is far longer than the source: ${targetLength} characters for ${sourceLength} (expected at most ${band.max})`;
  }
  return undefined;
}
