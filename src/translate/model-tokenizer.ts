/**
 * The model's tokenizer, on the main thread only: it counts tokens for the budget, tokenizes each
 * batch for the workers and detokenizes the token ids they send back. Workers hold no tokenizer, so
 * their JavaScript heap stays small.
 *
 * It is the tokenizer transformers.js itself runs (its `PreTrainedTokenizer` hands encoding and
 * decoding to `@huggingface/tokenizers`' `Tokenizer`, built from tokenizer.json and
 * tokenizer_config.json), used directly: the main process then loads neither transformers.js nor,
 * through it, ONNX Runtime and sharp, which took 15 to 25 MiB of its memory for nothing
 * (test/model-tokenizer.test.ts checks the ids, masks and texts against transformers.js').
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { errorMessage } from '../errors.js';
import { ModelError } from '../models/errors.js';
import type { EncoderInput } from './search/marian-decoder.js';
import { wordTokenCounter, type TokenCounter } from './token-counter.js';

export interface ModelTokenizer {
  readonly counter: TokenCounter;
  /** A padded batch, as the encoder takes it. No truncation: callers keep pieces under the budget. */
  tokenize(texts: readonly string[]): EncoderInput;
  /** Target token ids -> text, special tokens dropped. */
  detokenize(tokens: readonly (readonly number[])[]): string[];
}

type TokenizerConfig = Record<string, unknown>;

/** A special token's text from tokenizer_config.json: a string, or an AddedToken object (as transformers.js reads it). */
function configToken(config: TokenizerConfig, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const item = config[key];
    if (!item) continue;
    if (typeof item === 'string') return item;
    if (typeof item === 'object' && (item as { __type?: string }).__type === 'AddedToken') return (item as { content: string }).content;
  }
  return undefined;
}

export async function loadModelTokenizer(modelPath: string): Promise<ModelTokenizer> {
  let tokenizer: Tokenizer;
  let padId: number;
  let padLeft: boolean;
  try {
    const [json, config] = await Promise.all(['tokenizer.json', 'tokenizer_config.json'].map(async (name) => JSON.parse(await readFile(join(modelPath, name), 'utf8')) as TokenizerConfig));
    tokenizer = new Tokenizer(json, config);
    // transformers.js: the pad token, else the end-of-sentence token, padded on the right unless the config says left.
    const pad = configToken(config, 'pad_token', 'eos_token');
    const id = pad === undefined ? undefined : tokenizer.token_to_id(pad);
    if (id === undefined) throw new Error('no pad token');
    padId = id;
    padLeft = config.padding_side === 'left';
  } catch (error) {
    const file = join(modelPath, 'tokenizer.json');
    throw new ModelError('bad-tokenizer', `${file}: the tokenizer cannot be loaded (${errorMessage(error)}); download the model again or fix the file`, { file, cause: error });
  }
  return {
    counter: wordTokenCounter((word) => tokenizer.encode(word, { add_special_tokens: false }).ids.length),
    tokenize: (texts) => {
      const rows: number[][] = texts.map((text) => tokenizer.encode(text, { add_special_tokens: true }).ids);
      const length = Math.max(0, ...rows.map((ids) => ids.length));
      const inputIds = new BigInt64Array(rows.length * length).fill(BigInt(padId));
      const attentionMask = new BigInt64Array(rows.length * length);
      rows.forEach((ids, r) => {
        const start = r * length + (padLeft ? length - ids.length : 0);
        ids.forEach((id, j) => {
          inputIds[start + j] = BigInt(id);
          attentionMask[start + j] = 1n;
        });
      });
      return { inputIds, attentionMask, batchSize: rows.length, length };
    },
    detokenize: (tokens) => tokens.map((ids) => (ids.length === 0 ? '' : tokenizer.decode([...ids], { skip_special_tokens: true }))),
  };
}
