/** Groups texts into model calls: similar lengths together, so padding wastes little work. */

export interface BatchItem {
  text: string;
  tokens: number;
}

/**
 * Sorts by token count (longest first, so the slowest batches start early and the tail is
 * short) and cuts into batches of at most `batchSize` items and `maxBatchTokens` padded tokens.
 */
export function makeBatches<T extends BatchItem>(items: readonly T[], batchSize: number, maxBatchTokens: number): T[][] {
  const sorted = [...items].sort((a, b) => b.tokens - a.tokens);
  const batches: T[][] = [];
  let current: T[] = [];
  for (const item of sorted) {
    // Items arrive longest first, so the first item's length is the batch's padded width.
    const width = current.length > 0 ? current[0].tokens : item.tokens;
    if (current.length > 0 && (current.length >= batchSize || width * (current.length + 1) > maxBatchTokens)) {
      batches.push(current);
      current = [];
    }
    current.push(item);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
