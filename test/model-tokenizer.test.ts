/**
 * fr2en's main-process tokenizer (src/translate/model-tokenizer.ts, over @huggingface/tokenizers)
 * against transformers.js' own AutoTokenizer: the same ids, masks and padding for a batch, the
 * same text back from token ids. On the tiny generated model, and on the real SentencePiece
 * vocabulary of ../shared/models/mini-fr-en when it exists.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AutoTokenizer } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { loadModelTokenizer } from '../src/translate/model-tokenizer.js';
import { detokenize, tokenize, type TranslationTokenizer } from '../src/translate/search/index.js';
import { TINY_MODEL_DIR } from './helpers/models.js';

const MINI_MODEL_DIR = path.resolve(import.meta.dirname, '../../shared/models/mini-fr-en');

const TEXTS = [
  'Un homme avec un chapeau orange regardant quelque chose.',
  "L'économie française a progressé de 0,3 % au troisième trimestre, selon l'Insee.",
  '« Aujourd’hui, c’est fini », a-t-il déclaré à 06h30 — sans plus.',
  'Oui.',
  '',
  'Émile Zola (1840-1902) écrivit Germinal ; voir https://fr.wikipedia.org/wiki/Germinal.',
];

const models = [
  { name: 'tiny generated model', dir: TINY_MODEL_DIR },
  ...(existsSync(MINI_MODEL_DIR) ? [{ name: 'mini-fr-en (real SentencePiece vocabulary)', dir: MINI_MODEL_DIR }] : []),
];
if (!existsSync(MINI_MODEL_DIR)) console.warn(`model-tokenizer: mini-fr-en part skipped: ${MINI_MODEL_DIR} not found (it lives in ../shared).`);

for (const { name, dir } of models) {
  describe(`model tokenizer on the ${name}`, () => {
    it("gives transformers.js' ids, masks and padding", async () => {
      const ours = await loadModelTokenizer(dir);
      const theirs = (await AutoTokenizer.from_pretrained(dir, { local_files_only: true })) as unknown as TranslationTokenizer;
      const a = ours.tokenize(TEXTS);
      const b = tokenize(theirs, TEXTS);
      expect([a.batchSize, a.length]).toEqual([b.batchSize, b.length]);
      expect(Array.from(a.inputIds)).toEqual(Array.from(b.inputIds));
      expect(Array.from(a.attentionMask)).toEqual(Array.from(b.attentionMask));
      expect(a.length).toBeGreaterThan(5);
    });

    it("decodes token ids to transformers.js' text", async () => {
      const ours = await loadModelTokenizer(dir);
      const theirs = (await AutoTokenizer.from_pretrained(dir, { local_files_only: true })) as unknown as TranslationTokenizer;
      // The source sentences' own ids stand in for a translation: real pieces, `▁`, punctuation.
      const { inputIds, batchSize, length, attentionMask } = ours.tokenize(TEXTS);
      const rows = Array.from({ length: batchSize }, (_, r) =>
        Array.from({ length }, (_, j) => r * length + j)
          .filter((at) => attentionMask[at] === 1n)
          .map((at) => Number(inputIds[at])),
      );
      expect(ours.detokenize(rows)).toEqual(detokenize(theirs, rows));
      // A row with no token (transformers.js refuses one) is the empty text.
      expect(ours.detokenize([[]])).toEqual(['']);
    });
  });
}
