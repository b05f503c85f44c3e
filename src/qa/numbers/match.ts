/**
 * Pairs the numbers of a source with those of its target. Each number is used once (`deux
 * hommes et deux chiens` needs two twos), so this is a bipartite matching: first hard numbers with
 * hard numbers, then what is left of either side with the soft numbers of the other side.
 */
import type { NumberMention } from './values.js';

function sharesKey(a: NumberMention, b: NumberMention): boolean {
  return a.keys.some((key) => b.keys.includes(key));
}

/**
 * Maximum bipartite matching (Kuhn's augmenting paths; sentences hold a handful of numbers).
 * Returns, for each left index, the matched right index or -1.
 */
function maximumMatching(left: readonly NumberMention[], right: readonly NumberMention[]): number[] {
  const rightOwner = new Array<number>(right.length).fill(-1);
  const augment = (l: number, seen: boolean[]): boolean => {
    for (let r = 0; r < right.length; r++) {
      if (seen[r] || !sharesKey(left[l], right[r])) continue;
      seen[r] = true;
      if (rightOwner[r] === -1 || augment(rightOwner[r], seen)) {
        rightOwner[r] = l;
        return true;
      }
    }
    return false;
  };
  for (let l = 0; l < left.length; l++) augment(l, new Array<boolean>(right.length).fill(false));
  const leftMatch = new Array<number>(left.length).fill(-1);
  rightOwner.forEach((l, r) => {
    if (l !== -1) leftMatch[l] = r;
  });
  return leftMatch;
}

export interface UnmatchedNumbers {
  /** Hard numbers of the source with no counterpart in the target. */
  source: NumberMention[];
  /** Hard numbers of the target with no counterpart in the source. */
  target: NumberMention[];
}

export function unmatchedNumbers(source: readonly NumberMention[], target: readonly NumberMention[]): UnmatchedNumbers {
  const hardSource = source.filter((mention) => !mention.soft);
  const hardTarget = target.filter((mention) => !mention.soft);
  const hardMatch = maximumMatching(hardSource, hardTarget);
  const leftSource = hardSource.filter((_, i) => hardMatch[i] === -1);
  const usedTarget = new Set(hardMatch.filter((r) => r !== -1));
  const leftTarget = hardTarget.filter((_, r) => !usedTarget.has(r));
  // A soft number answers at most one number of the other side.
  const softTarget = target.filter((mention) => mention.soft);
  const softSource = source.filter((mention) => mention.soft);
  const sourceBySoft = maximumMatching(leftSource, softTarget);
  const targetBySoft = maximumMatching(leftTarget, softSource);
  return {
    source: leftSource.filter((_, i) => sourceBySoft[i] === -1),
    target: leftTarget.filter((_, i) => targetBySoft[i] === -1),
  };
}
