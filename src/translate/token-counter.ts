/** Counts model tokens of a text, without the end-of-sentence token. */
export interface TokenCounter {
  count(text: string): number;
}

/**
 * Marian's SentencePiece pre-tokenizer (Metaspace) splits at whitespace and encodes each word
 * on its own, so a text's token count is the sum of its words' counts. Counting word by word
 * with a memo keeps the budget check linear even on a 100 kB paragraph.
 */
export function wordTokenCounter(encodeWord: (word: string) => number, memoLimit = 200_000): TokenCounter {
  const memo = new Map<string, number>();
  return {
    count(text) {
      let total = 0;
      for (const word of text.split(/\s+/)) {
        if (word === '') continue;
        let n = memo.get(word);
        if (n === undefined) {
          n = encodeWord(word);
          if (memo.size >= memoLimit) memo.clear();
          memo.set(word, n);
        }
        total += n;
      }
      return total;
    },
  };
}
