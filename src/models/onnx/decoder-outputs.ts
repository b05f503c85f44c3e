/**
 * What fr2en adds to or changes in a decoder graph, so that a decoding step hands back only what
 * the search needs (src/translate/search/marian-decoder.ts reads these names):
 *
 * - `logprobs`: LogSoftmax over `logits`' last axis (the model's own log-probabilities).
 * - Token selection: inputs `fr2en_ban_ids` (int64 [rows, 1, bans]: tokens the search forbids for
 *   each row at this step) and `fr2en_top_k` (int64 [1]); outputs `top_logprobs` and `top_ids`
 *   (the k best tokens of each row, best first, ties to the lower id, as TopK sorts) and
 *   `ban_logprobs` (the model's log-probabilities of the listed tokens). The search asks for
 *   k + bans candidates and skips the banned ones, which gives exactly the k best allowed tokens,
 *   and reads from `ban_logprobs` what a forced end-of-sentence or a renormalization needs. So a
 *   step returns a few numbers per row instead of 59,514, and nothing scans the vocabulary in
 *   JavaScript.
 * - New positions only: `present_new.{i}.decoder.{key|value}` replaces `present.{i}.decoder.*`
 *   and holds only the positions this step added (the cached branch's Concat input). The cache
 *   itself stays where the caller keeps it; ONNX Runtime no longer returns the whole, grown cache
 *   as fresh buffers on every step.
 *
 * Each edit checks the structure it relies on and leaves the graph unchanged when it is not there.
 */
import { withOnnxFile } from './check.js';
import { DECODER_NAMES } from './decoder-names.js';
import {
  DATA_TYPE,
  intAttribute,
  makeNode,
  PB,
  producerOf,
  renameUses,
  renameValueInfo,
  valueInfo,
  valueInfoName,
  type Graph,
  intAttributeValue,
  type Node,
} from './graph.js';
import { decodeMessage, firstString } from './message.js';

const PRESENT_SELF = /^present\.(\d+)\.decoder\.(key|value)$/;

/** Whether the decoder file at `path` has a `logits` output to build on (read from its field headers). */
export async function hasLogitsOutput(path: string): Promise<boolean> {
  return withOnnxFile(path, async ({ reader, graphFields }) => {
    for (const field of graphFields.filter((f) => f.number === PB.graph.output)) {
      if (firstString(decodeMessage(await reader.bytes(field)), PB.valueInfo.name) === DECODER_NAMES.logits) return true;
    }
    return false;
  });
}

function outputNames(graph: Graph): string[] {
  return graph.outputs.map(valueInfoName);
}

/** Adds `logprobs` (LogSoftmax of `logits`); false when there is no `logits` output. */
export function addLogProbs(graph: Graph): boolean {
  const names = outputNames(graph);
  if (!names.includes(DECODER_NAMES.logits)) return false;
  if (names.includes(DECODER_NAMES.logProbs)) return true;
  graph.nodes.push(makeNode('LogSoftmax', [DECODER_NAMES.logits], [DECODER_NAMES.logProbs], [intAttribute('axis', -1)]));
  graph.outputs.push(valueInfo(PB.graph.output, DECODER_NAMES.logProbs, DATA_TYPE.float));
  return true;
}

/** Adds the token-selection inputs and outputs (after `addLogProbs`); false without `logprobs`. */
export function addTokenSelection(graph: Graph): boolean {
  const names = outputNames(graph);
  if (!names.includes(DECODER_NAMES.logProbs)) return false;
  if (names.includes(DECODER_NAMES.topIds)) return true;
  const { logProbs, banIds, topK, topLogProbs, topIds, banLogProbs } = DECODER_NAMES;
  graph.nodes.push(
    makeNode('TopK', [logProbs, topK], [topLogProbs, topIds], [intAttribute('axis', -1), intAttribute('largest', 1), intAttribute('sorted', 1)]),
    makeNode('GatherElements', [logProbs, banIds], [banLogProbs], [intAttribute('axis', 2)]),
  );
  graph.inputs.push(valueInfo(PB.graph.input, banIds, DATA_TYPE.int64, ['batch_size', 1, 'fr2en_bans']), valueInfo(PB.graph.input, topK, DATA_TYPE.int64, [1]));
  graph.outputs.push(
    valueInfo(PB.graph.output, topLogProbs, DATA_TYPE.float),
    valueInfo(PB.graph.output, topIds, DATA_TYPE.int64),
    valueInfo(PB.graph.output, banLogProbs, DATA_TYPE.float),
  );
  return true;
}

/**
 * Replaces every `present.{i}.decoder.*` output by `present_new.{i}.decoder.*`, the positions the
 * step added. Applies only when each of them is, in the cached branch, `Concat(past, new, axis 2)`
 * of the matching `past_key_values` input (Optimum's export and fr2en's generator both build it
 * so); returns false and changes nothing otherwise.
 */
export function newPositionsOnly(graph: Graph): boolean {
  const plan: (() => void)[] = [];
  const outputs = outputNames(graph);
  const selfOutputs = outputs.filter((name) => PRESENT_SELF.test(name));
  if (selfOutputs.length === 0) return false;
  for (const name of selfOutputs) {
    const newName = name.replace('present.', DECODER_NAMES.presentNewPrefix);
    const past = name.replace('present.', 'past_key_values.');
    const producer = producerOf(graph, name);
    if (producer === undefined) return false;
    const index = graph.outputs.findIndex((field) => valueInfoName(field) === name);
    const renameOutput = () => (graph.outputs[index] = renameValueInfo(graph.outputs[index], newName));
    if (producer.opType === 'Concat') {
      // A decoder without branches (decoder_with_past): the edit is in the graph itself.
      const edit = concatEdit(graph, producer, past, newName);
      if (edit === undefined) return false;
      plan.push(() => {
        edit();
        renameOutput();
      });
    } else if (producer.opType === 'If') {
      const at = producer.outputs.indexOf(name);
      const edits = producer.attributes.filter((a) => a.graph).map((a) => branchEdit(a.graph!, at, past));
      // Exactly one branch grows the cache; the other (the first step's) has no past to keep.
      const growing = edits.filter((edit) => edit !== undefined);
      if (growing.length !== 1) return false;
      plan.push(() => {
        growing[0]!();
        producer.outputs[at] = newName;
        renameOutput();
      });
    } else return false;
  }
  for (const step of plan) step();
  return true;
}

/** In a branch: its output `at` must be Concat(past, new, axis 2); the edit outputs `new` instead. */
function branchEdit(branch: Graph, at: number, past: string): (() => void) | undefined {
  const name = branch.outputs[at] === undefined ? undefined : valueInfoName(branch.outputs[at]);
  if (name === undefined) return undefined;
  const concat = producerOf(branch, name);
  if (concat === undefined || concat.opType !== 'Concat') return undefined;
  return concatEdit(branch, concat, past, name);
}

/**
 * `concat` = Concat(past, new) along the sequence axis produces a graph output; afterwards
 * `outputName` is an Identity of `new`, and the node's own result is renamed for its other readers.
 */
function concatEdit(graph: Graph, concat: Node, past: string, outputName: string): (() => void) | undefined {
  const axis = intAttributeValue(concat, 'axis');
  if (concat.inputs.length !== 2 || concat.inputs[0] !== past || (axis !== 2n && axis !== -2n)) return undefined;
  const output = concat.outputs[0];
  const added = concat.inputs[1];
  return () => {
    const whole = `${output}_fr2en_whole`;
    concat.outputs[0] = whole;
    renameUses(graph, output, whole);
    graph.nodes.push(makeNode('Identity', [added], [outputName]));
  };
}
