/**
 * A `CandidateSource` over the two ONNX Runtime sessions of a Marian model (`encoder` and
 * `decoder_model_merged`), run directly so that the rows of the batch and of the key/value cache
 * can be re-formed between steps, which transformers.js' own `generate` cannot do.
 *
 * Merged-decoder contract (see shared/notes/marian-onnx-contract.md): inputs `input_ids`,
 * `encoder_hidden_states`, `encoder_attention_mask`, `past_key_values.{i}.{decoder|encoder}.{key|value}`
 * `[rows, heads, len, head_dim]` and `use_cache_branch`; outputs `logits` and `present.*`. The
 * first step sends empty past tensors and `use_cache_branch = false`; the graph then computes the
 * encoder (cross-attention) keys/values, which later steps pass back unchanged (as transformers.js
 * does) while the decoder (self-attention) entries grow by one position per step.
 *
 * On a decoder prepared by fr2en (src/models/onnx/decoder-outputs.ts) a step does less:
 * - the graph picks each row's best tokens (`top_ids`, `top_logprobs`) under the bans the search
 *   sends (`fr2en_ban_ids`), so no row of 59,514 scores comes back; whole rows are read only for
 *   repetition_penalty, which changes values rather than banning;
 * - the graph returns only the new position of the self-attention cache (`present_new.*`), and
 *   the cache grows here, in buffers reused from step to step (self-cache.ts).
 * Any other Marian export works too, through whole rows and the graph's own cache outputs.
 *
 * Re-forming rows (`select`): the self-attention cache is gathered along the batch dimension at
 * every step where beams were reordered. The encoder-side tensors (hidden states, mask and the
 * cross-attention cache) depend only on the sentence a row belongs to, so they are gathered only
 * when that row-to-sentence layout changes: when beams are expanded after the first step and when
 * finished sentences leave the batch.
 */
import { DECODER_NAMES } from '../../models/onnx/decoder-names.js';
import { candidatesFromRows, type CandidateRequest, type CandidateSource, type StepCandidates } from './candidates.js';
import type { RowRule } from './logits-processors.js';
import { SelfAttentionCache } from './self-cache.js';

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

/** Makes a tensor of the runtime the sessions belong to. */
export type TensorFactory = (type: 'float32' | 'int64' | 'bool', data: Float32Array | BigInt64Array | boolean[], dims: readonly number[]) => OrtTensorLike;

/** A Marian model's sessions, its config.json, and how to make tensors for them. */
export interface MarianSessions {
  readonly encoder: OrtSessionLike;
  readonly decoder: OrtSessionLike;
  readonly config: object;
  readonly tensor: TensorFactory;
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

function isIdentity(sourceRows: Int32Array, rows: number): boolean {
  if (sourceRows.length !== rows) return false;
  for (let r = 0; r < rows; r++) if (sourceRows[r] !== r) return false;
  return true;
}

const PRESENT_NEW = DECODER_NAMES.presentNewPrefix;

export class MarianStepDecoder implements CandidateSource {
  readonly vocabSize: number;
  readonly #decoder: OrtSessionLike;
  readonly #tensor: TensorFactory;
  readonly #dims: ModelDims;
  /** The graph picks tokens itself (top_ids / ban_logprobs). */
  readonly #selection: boolean;
  /** Sentence of each current row: encoder-side tensors follow it. */
  #rowSentence: Int32Array;
  #encoderHidden: OrtTensorLike;
  #encoderMask: OrtTensorLike;
  /** past_key_values.*.encoder.* -> tensor, from the first step on. */
  readonly #cross = new Map<string, OrtTensorLike>();
  /**
   * The sentence of each row of the cross-attention cache, when the graph takes one row per
   * sentence (src/models/onnx/shared-cross.ts); undefined when it takes one per row.
   */
  #crossSentences: Int32Array | undefined;
  /** past_key_values.*.decoder.* -> tensor, when the graph returns the whole cache. */
  readonly #selfWhole = new Map<string, OrtTensorLike>();
  /** The cache kept here, when the graph returns only the new positions (`present_new.*`). */
  readonly #selfCache: SelfAttentionCache | undefined;
  /** Cache outputs fetched at every step (the self-attention entries, whole or new positions only). */
  readonly #selfOutputs: readonly string[];
  /** Cache outputs fetched at the first step only (the cross-attention entries). */
  readonly #crossOutputs: readonly string[];
  #first = true;

  private constructor(sessions: MarianSessions, hidden: OrtTensorLike, mask: OrtTensorLike, batch: number, capacity: number) {
    this.#decoder = sessions.decoder;
    this.#tensor = sessions.tensor;
    this.#dims = dimsOf(sessions.config as Record<string, unknown>);
    this.vocabSize = this.#dims.vocabSize;
    const outputs = this.#decoder.outputNames;
    this.#selection = outputs.includes(DECODER_NAMES.topIds) && this.#decoder.inputNames.includes(DECODER_NAMES.banIds);
    const selfNames = this.#decoder.inputNames.filter((name) => /^past_key_values\.\d+\.decoder\./.test(name));
    const newOnly = selfNames.length > 0 && selfNames.every((name) => outputs.includes(name.replace('past_key_values.', PRESENT_NEW)));
    this.#selfCache = newOnly ? new SelfAttentionCache(selfNames, batch, this.#dims.decoderHeads, this.#dims.headDim, capacity) : undefined;
    this.#selfOutputs = outputs.filter((name) => (newOnly ? name.startsWith(PRESENT_NEW) : name.startsWith('present.') && !name.includes('.encoder.')));
    this.#crossOutputs = outputs.filter((name) => name.startsWith('present.') && name.includes('.encoder.'));
    this.#rowSentence = Int32Array.from({ length: batch }, (_, i) => i);
    const crossInput = this.#decoder.inputMetadata?.find((m) => /^past_key_values\.\d+\.encoder\./.test(m.name));
    if (crossInput?.shape?.[0] === DECODER_NAMES.sentenceDim) this.#crossSentences = this.#rowSentence.slice();
    this.#encoderHidden = hidden;
    this.#encoderMask = mask;
  }

  /**
   * Runs the encoder once for the batch and returns a decoder with one row per sentence.
   * `capacity`: the most tokens any sentence may generate (sizes the self-attention cache).
   */
  static async start(sessions: MarianSessions, input: EncoderInput, capacity: number): Promise<MarianStepDecoder> {
    const { encoder, tensor } = sessions;
    const shape = [input.batchSize, input.length];
    const ids = tensor('int64', input.inputIds, shape);
    const mask = tensor('int64', input.attentionMask, shape);
    const feeds: Record<string, unknown> = {};
    for (const name of encoder.inputNames) {
      if (name === 'input_ids') feeds[name] = ids;
      else if (name === 'attention_mask') feeds[name] = mask;
      else throw new Error(`Unexpected encoder input \`${name}\``);
    }
    const out = await encoder.run(feeds);
    const hidden = out.last_hidden_state;
    if (!hidden) throw new Error('The encoder returned no `last_hidden_state`');
    // The decoder re-forms its mask in place as sentences finish: a copy, so the caller's input stays as it was.
    return new MarianStepDecoder(sessions, hidden, tensor('int64', input.attentionMask.slice(), shape), input.batchSize, capacity);
  }

  /** Frees what the batch held for the next one (the cache buffers go back to their pool). */
  release(): void {
    this.#selfCache?.release();
    this.#cross.clear();
    this.#selfWhole.clear();
  }

  get rows(): number {
    return this.#rowSentence.length;
  }

  async candidates(request: CandidateRequest): Promise<StepCandidates> {
    if (this.#selection && !request.processors.needsFullRow) return this.#graphCandidates(request.tokens, request.rules, request.k);
    const out = await this.#step(request.tokens, [DECODER_NAMES.logits], new Map());
    return candidatesFromRows(this.#scores(out, DECODER_NAMES.logits), this.vocabSize, request);
  }

  /** Candidates picked by the graph: the k + bans best of each row, banned ones skipped here. */
  async #graphCandidates(tokens: Int32Array, rules: readonly RowRule[], k: number): Promise<StepCandidates> {
    const rows = tokens.length;
    // Each row's list: its bans, then its forced token (whose log-probability the search needs).
    const lists = rules.map((rule) => (rule.forced === null ? rule.bans : [...rule.bans, rule.forced]));
    const width = Math.max(1, ...lists.map((list) => list.length));
    const banIds = new BigInt64Array(rows * width);
    lists.forEach((list, r) => {
      for (let j = 0; j < width; j++) banIds[r * width + j] = BigInt(list[j] ?? list[0] ?? 0);
    });
    const banned = rules.map((rule) => new Set(rule.bans));
    const wanted = Math.min(this.vocabSize, k + Math.max(0, ...banned.map((set) => set.size)));
    const extra = new Map<string, unknown>([
      [DECODER_NAMES.banIds, this.#tensor('int64', banIds, [rows, 1, width])],
      [DECODER_NAMES.topK, this.#tensor('int64', BigInt64Array.of(BigInt(wanted)), [1])],
    ]);
    const out = await this.#step(tokens, [DECODER_NAMES.topIds, DECODER_NAMES.topLogProbs, DECODER_NAMES.banLogProbs], extra);
    const topIds = out[DECODER_NAMES.topIds].data as BigInt64Array;
    const topLogProbs = out[DECODER_NAMES.topLogProbs].data as Float32Array;
    const banLogProbs = out[DECODER_NAMES.banLogProbs].data as Float32Array;
    const ids = new Int32Array(rows * k).fill(-1);
    const scores = new Float64Array(rows * k).fill(-Infinity);
    for (let r = 0; r < rows; r++) {
      let j = 0;
      for (let t = 0; t < wanted && j < k; t++) {
        const id = Number(topIds[r * wanted + t]);
        if (banned[r].has(id)) continue;
        ids[r * k + j] = id;
        scores[r * k + j] = topLogProbs[r * wanted + t];
        j++;
      }
    }
    const listed = (row: number, token: number) => {
      const at = lists[row].indexOf(token);
      return at < 0 ? Number.NaN : banLogProbs[row * width + at];
    };
    return {
      k,
      ids,
      scores,
      // Bans change no value: a candidate's score is the model's own log-probability.
      modelLogprobs: scores,
      modelLogprobOf: listed,
      processedLogSumExp: (row) => {
        // What is left once the banned tokens' probability is taken out: log(1 - sum p).
        let removed = 0;
        for (const token of banned[row]) removed += Math.exp(listed(row, token));
        return Math.log1p(-Math.min(1, removed));
      },
    };
  }

  /** One decoder step: feeds the cache and `extra`, fetches `scores` and the cache, updates the cache. */
  async #step(tokens: Int32Array, scores: readonly string[], extra: Map<string, unknown>): Promise<Record<string, OrtTensorLike>> {
    const rows = this.rows;
    if (tokens.length !== rows) throw new Error(`step: expected ${rows} tokens, got ${tokens.length}`);
    const first = this.#first;
    const self = this.#selfCache?.tensors();
    const feeds: Record<string, unknown> = {};
    for (const name of this.#decoder.inputNames) {
      switch (name) {
        case 'input_ids':
          feeds[name] = this.#tensor('int64', BigInt64Array.from(tokens, (t) => BigInt(t)), [rows, 1]);
          break;
        case 'encoder_hidden_states':
          feeds[name] = this.#encoderHidden;
          break;
        case 'encoder_attention_mask':
          feeds[name] = this.#encoderMask;
          break;
        case 'use_cache_branch':
          feeds[name] = this.#tensor('bool', [!first], [1]);
          break;
        case DECODER_NAMES.banIds:
          feeds[name] = extra.get(name) ?? this.#tensor('int64', new BigInt64Array(rows), [rows, 1, 1]);
          break;
        case DECODER_NAMES.topK:
          feeds[name] = extra.get(name) ?? this.#tensor('int64', BigInt64Array.of(1n), [1]);
          break;
        default: {
          if (!name.startsWith('past_key_values.')) throw new Error(`Unexpected decoder input \`${name}\``);
          const cached = first ? undefined : name.includes('.encoder.') ? this.#cross.get(name) : self ? self.get(name) : this.#selfWhole.get(name);
          if (cached === undefined) feeds[name] = this.#emptyPast(name, rows);
          else feeds[name] = 'type' in cached ? cached : this.#tensor('float32', cached.data, cached.dims);
        }
      }
    }
    // After the first step the cross-attention cache only passes through the decoder: not
    // fetching it saves copying it out of ONNX Runtime on every step (about 15 MB at 16 rows).
    const cacheOutputs = first ? [...this.#selfOutputs, ...this.#crossOutputs] : this.#selfOutputs;
    const out = await this.#decoder.run(feeds, [...scores, ...cacheOutputs]);
    this.#first = false;
    for (const name of cacheOutputs) {
      const past = name.replace(PRESENT_NEW, 'past_key_values.').replace('present.', 'past_key_values.');
      if (name.includes('.encoder.')) this.#cross.set(past, out[name]);
      else if (!this.#selfCache) this.#selfWhole.set(past, out[name]);
    }
    this.#selfCache?.append((past) => out[past.replace('past_key_values.', PRESENT_NEW)].data as Float32Array);
    return out;
  }

  /** The last position's scores `[rows * vocab]` of output `name`. */
  #scores(out: Record<string, OrtTensorLike>, name: string): Float32Array {
    const tensor = out[name];
    if (!tensor || tensor.type !== 'float32') throw new Error(`The decoder returned no float32 \`${name}\``);
    const [rows, steps, vocab] = tensor.dims;
    if (rows !== this.rows || vocab !== this.vocabSize) {
      throw new Error(`Decoder ${name} have shape [${tensor.dims.join(', ')}], expected [${this.rows}, 1, ${this.vocabSize}]`);
    }
    const data = tensor.data as Float32Array;
    if (steps === 1) return data;
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
    if (layoutChanged) {
      const crossRows = this.#crossSentences ? this.#sentenceRows(rowSentence) : sourceRows;
      if (crossRows) for (const [name, tensor] of this.#cross) this.#cross.set(name, this.#gatherRows(tensor, crossRows));
      this.#encoderHidden = this.#gatherRows(this.#encoderHidden, sourceRows);
      this.#encoderMask = this.#gatherRows(this.#encoderMask, sourceRows);
    }
    for (const [name, tensor] of this.#selfWhole) this.#selfWhole.set(name, this.#gatherRows(tensor, sourceRows));
    this.#selfCache?.select(sourceRows);
    this.#rowSentence = rowSentence;
  }

  /**
   * For a cache of one row per sentence: which of its rows the new layout keeps (undefined: all,
   * as they are). Each sentence's rows must be together and as many for every sentence, as the
   * graph groups them so.
   */
  #sentenceRows(rowSentence: Int32Array): Int32Array | undefined {
    const sentences = rowSentence.filter((sentence, r) => r === 0 || sentence !== rowSentence[r - 1]);
    const group = rowSentence.length / sentences.length;
    if (!Number.isInteger(group) || rowSentence.some((sentence, r) => sentence !== sentences[Math.floor(r / group)])) {
      throw new Error('select: the rows of each sentence must be together and as many for every sentence');
    }
    const kept = this.#crossSentences!;
    if (sentences.length === kept.length && sentences.every((sentence, i) => sentence === kept[i])) return undefined;
    this.#crossSentences = sentences;
    return Int32Array.from(sentences, (sentence) => kept.indexOf(sentence));
  }

  /**
   * Rows `sourceRows` of a `[rows, ...]` tensor. Rows that only leave (finished sentences) move
   * down within the tensor's own buffer; reordered or repeated rows (beams) are copied to a new one.
   */
  #gatherRows(tensor: OrtTensorLike, sourceRows: Int32Array): OrtTensorLike {
    const data = tensor.data as Float32Array | BigInt64Array;
    const rows = tensor.dims[0];
    const rowSize = rows === 0 ? 0 : data.length / rows;
    const dims = [sourceRows.length, ...tensor.dims.slice(1)];
    const type = tensor.type as 'float32' | 'int64';
    if (sourceRows.every((s, r) => s >= r && (r === 0 || s > sourceRows[r - 1]))) {
      sourceRows.forEach((s, r) => s !== r && data.copyWithin(r * rowSize, s * rowSize, s * rowSize + rowSize));
      return this.#tensor(type, data.subarray(0, sourceRows.length * rowSize), dims);
    }
    const out = new (data.constructor as Float32ArrayConstructor | BigInt64ArrayConstructor)(sourceRows.length * rowSize);
    for (let r = 0; r < sourceRows.length; r++) {
      const s = sourceRows[r];
      (out as Float32Array).set((data as Float32Array).subarray(s * rowSize, (s + 1) * rowSize), r * rowSize);
    }
    return this.#tensor(type, out, dims);
  }

  /** An empty past tensor for the first step: `[rows, heads, 0, head_dim]` (from the session metadata when given). */
  #emptyPast(name: string, rows: number): unknown {
    const meta = this.#decoder.inputMetadata?.find((m) => m.name === name);
    const shape = meta?.shape?.length
      ? meta.shape.map((d) => (typeof d === 'number' ? d : d === 'batch_size' ? rows : 0))
      : [rows, this.#dims.decoderHeads, 0, this.#dims.headDim];
    return this.#tensor('float32', new Float32Array(0), shape);
  }
}
