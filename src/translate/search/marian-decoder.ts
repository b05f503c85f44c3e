/**
 * A `StepDecoder` over the two ONNX Runtime sessions of a transformers.js Marian model
 * (`sessions.model` = encoder, `sessions.decoder_model_merged` = decoder with cache), run directly
 * so that the rows of the batch and of the key/value cache can be re-formed between steps, which
 * transformers.js' own `generate` cannot do.
 *
 * Merged-decoder contract (see shared/notes/marian-onnx-contract.md): inputs `input_ids`,
 * `encoder_hidden_states`, `encoder_attention_mask`, `past_key_values.{i}.{decoder|encoder}.{key|value}`
 * `[rows, heads, len, head_dim]` and `use_cache_branch`; outputs `logits` and `present.*`. The
 * first step sends empty past tensors and `use_cache_branch = false`; the graph then computes the
 * encoder (cross-attention) keys/values, which later steps pass back unchanged (as transformers.js
 * does) while the decoder (self-attention) entries grow by one position per step.
 *
 * Re-forming rows (`select`): the self-attention cache is gathered along the batch dimension at
 * every step where beams were reordered. The encoder-side tensors (hidden states, mask and the
 * cross-attention cache) depend only on the sentence a row belongs to, so they are gathered only
 * when that row-to-sentence layout changes: when beams are expanded after the first step and when
 * finished sentences leave the batch.
 */
import { Tensor } from '@huggingface/transformers';
import type { StepDecoder } from './beam-search.js';

/** What this module needs of an onnxruntime tensor. */
export interface OrtTensorLike {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

/** What this module needs of an onnxruntime InferenceSession. */
export interface OrtSessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly { name: string; isTensor: boolean; type?: string; shape?: readonly (number | string)[] }[];
  run(feeds: Record<string, unknown>, fetches?: readonly string[]): Promise<Record<string, OrtTensorLike>>;
}

/** The parts of a transformers.js seq2seq model (`AutoModelForSeq2SeqLM.from_pretrained`) used here. */
export interface Seq2SeqModelLike {
  readonly config: object;
  readonly sessions: Record<string, unknown>;
}

/** Token ids and mask of a padded batch, as the tokenizer returns them (int64 `[batch, length]`). */
export interface EncoderInput {
  readonly inputIds: BigInt64Array;
  readonly attentionMask: BigInt64Array;
  readonly batchSize: number;
  readonly length: number;
}

interface ModelDims {
  readonly vocabSize: number;
  readonly decoderHeads: number;
  readonly headDim: number;
}

function ortTensor(type: 'float32' | 'int64' | 'bool', data: Float32Array | BigInt64Array | Uint8Array | boolean[], dims: number[]): unknown {
  // transformers.js' Tensor wraps the onnxruntime tensor class it loaded; reuse it so the
  // sessions get tensors of their own runtime.
  return new Tensor(type, data as never, dims).ort_tensor;
}

function sessionOf(model: Seq2SeqModelLike, name: string): OrtSessionLike {
  const session = model.sessions[name] as OrtSessionLike | undefined;
  if (!session || typeof session.run !== 'function') {
    throw new Error(`The model has no \`${name}\` session; expected a transformers.js Marian model (encoder + decoder_model_merged).`);
  }
  return session;
}

function dimsOf(config: Record<string, unknown>): ModelDims {
  const num = (key: string): number => {
    const v = config[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new Error(`config.json: expected \`${key}\` to be a positive integer, got ${JSON.stringify(v)}`);
    return v;
  };
  const vocabSize = typeof config.decoder_vocab_size === 'number' ? config.decoder_vocab_size : num('vocab_size');
  const decoderHeads = num('decoder_attention_heads');
  return { vocabSize, decoderHeads, headDim: num('d_model') / decoderHeads };
}

/** Copies rows `sourceRows` of a `[rows, ...]` float tensor into a new one. */
function gatherRows(tensor: OrtTensorLike, sourceRows: Int32Array): unknown {
  const data = tensor.data as Float32Array | BigInt64Array;
  const rows = tensor.dims[0];
  const rowSize = rows === 0 ? 0 : data.length / rows;
  const out = new (data.constructor as Float32ArrayConstructor | BigInt64ArrayConstructor)(sourceRows.length * rowSize);
  for (let r = 0; r < sourceRows.length; r++) {
    const s = sourceRows[r];
    (out as Float32Array).set((data as Float32Array).subarray(s * rowSize, (s + 1) * rowSize), r * rowSize);
  }
  return ortTensor(tensor.type as 'float32' | 'int64', out, [sourceRows.length, ...tensor.dims.slice(1)]);
}

function isIdentity(sourceRows: Int32Array, rows: number): boolean {
  if (sourceRows.length !== rows) return false;
  for (let r = 0; r < rows; r++) if (sourceRows[r] !== r) return false;
  return true;
}

const LOGITS = 'logits';
const LOG_PROBS = 'logprobs';

export class MarianStepDecoder implements StepDecoder {
  readonly vocabSize: number;
  readonly #decoder: OrtSessionLike;
  /** Outputs wanted after the first step: logits and the self-attention cache. */
  readonly #stepFetches: readonly string[];
  readonly #dims: ModelDims;
  /** Sentence of each current row: encoder-side tensors follow it. */
  #rowSentence: Int32Array;
  #encoderHidden: OrtTensorLike;
  #encoderMask: OrtTensorLike;
  /** past_key_values.* name -> tensor; empty before the first step. */
  #past = new Map<string, OrtTensorLike>();

  /** The decoder has a `logprobs` output (see src/models/onnx/log-softmax.ts): read it instead of `logits`. */
  readonly logProbs: boolean;
  /** Outputs wanted on the first step: everything but the scores not read. */
  readonly #firstFetches: readonly string[];

  private constructor(decoder: OrtSessionLike, dims: ModelDims, hidden: OrtTensorLike, mask: OrtTensorLike, batch: number) {
    this.#decoder = decoder;
    this.logProbs = decoder.outputNames.includes(LOG_PROBS);
    // Scores come out once: log-probabilities when the graph computes them, else the logits.
    const unread = this.logProbs ? LOGITS : LOG_PROBS;
    this.#firstFetches = decoder.outputNames.filter((name) => name !== unread);
    this.#stepFetches = this.#firstFetches.filter((name) => !name.includes('.encoder.'));
    this.#dims = dims;
    this.vocabSize = dims.vocabSize;
    this.#rowSentence = Int32Array.from({ length: batch }, (_, i) => i);
    this.#encoderHidden = hidden;
    this.#encoderMask = mask;
  }

  /** Runs the encoder once for the batch and returns a decoder with one row per sentence. */
  static async start(model: Seq2SeqModelLike, input: EncoderInput): Promise<MarianStepDecoder> {
    const encoder = sessionOf(model, 'model');
    const decoder = sessionOf(model, 'decoder_model_merged');
    const dims = dimsOf(model.config as Record<string, unknown>);
    const shape = [input.batchSize, input.length];
    const ids = ortTensor('int64', input.inputIds, shape);
    const mask = ortTensor('int64', input.attentionMask, shape);
    const feeds: Record<string, unknown> = {};
    for (const name of encoder.inputNames) {
      if (name === 'input_ids') feeds[name] = ids;
      else if (name === 'attention_mask') feeds[name] = mask;
      else throw new Error(`Unexpected encoder input \`${name}\``);
    }
    const out = await encoder.run(feeds);
    const hidden = out.last_hidden_state;
    if (!hidden) throw new Error('The encoder returned no `last_hidden_state`');
    return new MarianStepDecoder(decoder, dims, hidden, mask as OrtTensorLike, input.batchSize);
  }

  get rows(): number {
    return this.#rowSentence.length;
  }

  async step(tokens: Int32Array): Promise<Float32Array> {
    const rows = this.rows;
    if (tokens.length !== rows) throw new Error(`step: expected ${rows} tokens, got ${tokens.length}`);
    const first = this.#past.size === 0;
    const feeds: Record<string, unknown> = {};
    for (const name of this.#decoder.inputNames) {
      switch (name) {
        case 'input_ids':
          feeds[name] = ortTensor('int64', BigInt64Array.from(tokens, (t) => BigInt(t)), [rows, 1]);
          break;
        case 'encoder_hidden_states':
          feeds[name] = this.#encoderHidden;
          break;
        case 'encoder_attention_mask':
          feeds[name] = this.#encoderMask;
          break;
        case 'use_cache_branch':
          feeds[name] = ortTensor('bool', [!first], [1]);
          break;
        default:
          if (!name.startsWith('past_key_values.')) throw new Error(`Unexpected decoder input \`${name}\``);
          feeds[name] = first ? this.#emptyPast(name, rows) : this.#past.get(name);
      }
    }
    // After the first step the cross-attention cache only passes through the decoder: not
    // fetching it saves copying it out of ONNX Runtime on every step (about 15 MB at 16 rows).
    const out = await this.#decoder.run(feeds, first ? this.#firstFetches : this.#stepFetches);
    const logits = out[this.logProbs ? LOG_PROBS : LOGITS];
    if (!logits || logits.type !== 'float32') throw new Error(`The decoder returned no float32 \`${this.logProbs ? LOG_PROBS : LOGITS}\``);
    const [lr, steps, vocab] = logits.dims;
    if (lr !== rows || vocab !== this.vocabSize) {
      throw new Error(`Decoder logits have shape [${logits.dims.join(', ')}], expected [${rows}, 1, ${this.vocabSize}]`);
    }
    for (const name of this.#decoder.outputNames) {
      if (!name.startsWith('present.')) continue;
      const pastName = name.replace('present.', 'past_key_values.');
      // The cross-attention entries are computed on the first step only; the cache branch
      // returns them unchanged (or empty), so the first ones are kept.
      if (name.includes('.encoder.') && !first) continue;
      this.#past.set(pastName, out[name]);
    }
    const data = logits.data as Float32Array;
    if (steps === 1) return data;
    // Only the last position's logits matter.
    const last = new Float32Array(rows * vocab);
    for (let r = 0; r < rows; r++) last.set(data.subarray((r * steps + steps - 1) * vocab, (r * steps + steps) * vocab), r * vocab);
    return last;
  }

  select(sourceRows: Int32Array): void {
    const rows = this.rows;
    for (const s of sourceRows) if (!(s >= 0 && s < rows)) throw new Error(`select: row ${s} out of range [0, ${rows})`);
    if (isIdentity(sourceRows, rows)) return;
    const rowSentence = Int32Array.from(sourceRows, (s) => this.#rowSentence[s]);
    const layoutChanged =
      rowSentence.length !== rows || rowSentence.some((sentence, r) => sentence !== this.#rowSentence[r]);
    for (const [name, tensor] of this.#past) {
      const encoderSide = name.includes('.encoder.');
      if (!encoderSide || layoutChanged) this.#past.set(name, gatherRows(tensor, sourceRows) as OrtTensorLike);
    }
    if (layoutChanged) {
      this.#encoderHidden = gatherRows(this.#encoderHidden, sourceRows) as OrtTensorLike;
      this.#encoderMask = gatherRows(this.#encoderMask, sourceRows) as OrtTensorLike;
    }
    this.#rowSentence = rowSentence;
  }

  /** An empty past tensor for the first step: `[rows, heads, 0, head_dim]` (from the session metadata when given). */
  #emptyPast(name: string, rows: number): unknown {
    const meta = this.#decoder.inputMetadata?.find((m) => m.name === name);
    const shape = meta?.shape?.length
      ? meta.shape.map((d) => (typeof d === 'number' ? d : d === 'batch_size' ? rows : 0))
      : [rows, this.#dims.decoderHeads, 0, this.#dims.headDim];
    return ortTensor('float32', new Float32Array(0), shape);
  }
}
