/**
 * The model's tokenizer, on the main thread only: it counts tokens for the budget, tokenizes each
 * batch for the workers and detokenizes the token ids they send back. Workers hold no tokenizer, so
 * their JavaScript heap stays small, and a small heap is what keeps their garbage collections
 * cheap: ONNX Runtime hands every decoder step's cache back as fresh buffers, so a worker
 * collects every few steps (with the tokenizer on board this cost about 20% of throughput).
 */
import { join } from 'node:path';
import { AutoTokenizer } from '@huggingface/transformers';
import { errorMessage } from '../errors.js';
import { ModelError } from '../models/errors.js';
import { detokenize, tokenize, type EncoderInput } from './search/index.js';
import { wordTokenCounter, type TokenCounter } from './token-counter.js';
import { configureTransformers } from './transformers-env.js';

export interface ModelTokenizer {
  readonly counter: TokenCounter;
  /** A padded batch, as the encoder takes it. No truncation: callers keep pieces under the budget. */
  tokenize(texts: readonly string[]): EncoderInput;
  /** Target token ids -> text, special tokens dropped. */
  detokenize(tokens: readonly (readonly number[])[]): string[];
}

export async function loadModelTokenizer(modelPath: string): Promise<ModelTokenizer> {
  configureTransformers();
  let tokenizer: Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(modelPath, { local_files_only: true });
  } catch (error) {
    const file = join(modelPath, 'tokenizer.json');
    throw new ModelError('bad-tokenizer', `${file}: the tokenizer cannot be loaded (${errorMessage(error)}); download the model again or fix the file`, { file, cause: error });
  }
  return {
    counter: wordTokenCounter((word) => tokenizer.encode(word, { add_special_tokens: false }).length),
    tokenize: (texts) => tokenize(tokenizer, texts),
    detokenize: (tokens) => detokenize(tokenizer, tokens),
  };
}
