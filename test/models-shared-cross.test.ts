/**
 * The cross-attention edit (src/models/onnx/shared-cross.ts) on a generated decoder graph: it
 * applies where the cache is read as the generator writes it, and leaves any other graph exactly
 * as it was. That the edited graph decodes the same tokens is tested in models-prepare.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeGraph, parseGraph, PB, valueInfoName, type Graph } from '../src/models/onnx/graph.js';
import { decodeMessage } from '../src/models/onnx/message.js';
import { shareCrossAttention } from '../src/models/onnx/shared-cross.js';
import { TINY_BMM_MODEL_DIR, TINY_MODEL_DIR } from './helpers/models.js';

function decoderGraph(modelDir = TINY_MODEL_DIR): Graph {
  const bytes = readFileSync(path.join(modelDir, 'onnx/decoder_model_merged.onnx'));
  return parseGraph(decodeMessage(bytes).find((field) => field.number === PB.model.graph)!.data);
}

const cachedBranch = (graph: Graph) => graph.nodes.find((node) => node.opType === 'If')!.attributes.find((a) => a.name === 'then_branch')!.graph!;

describe('shareCrossAttention', () => {
  it.each([
    ['4-D', TINY_MODEL_DIR],
    ['3-D (Optimum)', TINY_BMM_MODEL_DIR],
  ])('regroups every cross-attention product of the cached branch by sentence: %s attention', (_, modelDir) => {
    const graph = decoderGraph(modelDir);
    const products = cachedBranch(graph).nodes.filter((node) => node.opType === 'MatMul').length;
    expect(shareCrossAttention(graph)).toBe(true);
    const branch = cachedBranch(graph);
    // Each of the 2 layers' 2 products: its result goes back to one row per beam by name.
    const regrouped = branch.nodes.filter((node) => node.outputs.some((name) => name.endsWith('/fr2en_per_sentence')));
    expect(regrouped).toHaveLength(4);
    expect(branch.nodes.filter((node) => node.opType === 'MatMul')).toHaveLength(products);
    const crossInputs = graph.inputs.filter((field) => /encoder\.(key|value)$/.test(valueInfoName(field)));
    expect(crossInputs).toHaveLength(4);
    for (const field of crossInputs) expect(field.data.includes(Buffer.from('fr2en_sentences'))).toBe(true);
  });

  it('leaves a graph whose cross-attention reads its cache another way unchanged', () => {
    const graph = decoderGraph();
    // A layer whose keys feed something other than the expected Transpose.
    const transpose = cachedBranch(graph).nodes.find((node) => node.opType === 'Transpose' && node.inputs[0] === 'past_key_values.1.encoder.key')!;
    transpose.opType = 'Identity';
    transpose.attributes = [];
    const before = encodeGraph(graph);
    expect(shareCrossAttention(graph)).toBe(false);
    expect(encodeGraph(graph).equals(before)).toBe(true);
  });

  it('leaves a graph without a cached branch unchanged', () => {
    const graph = decoderGraph();
    graph.nodes.find((node) => node.opType === 'If')!.inputs[0] = 'something_else';
    const before = encodeGraph(graph);
    expect(shareCrossAttention(graph)).toBe(false);
    expect(encodeGraph(graph).equals(before)).toBe(true);
  });
});
