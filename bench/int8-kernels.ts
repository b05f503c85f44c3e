/**
 * The int8 kernel comparison (issue 19: "compare ORT's dynamic-quantized MatMulInteger path with
 * other int8 paths ORT offers on CPU, pick by measurement"). Each of the full-size model's matrix
 * products (attention projections, the two feed-forward products, the output projection over the
 * vocabulary) runs as a one-node graph in each of these forms, one thread, on the same seeded
 * weights and inputs:
 *   - `MatMulInteger`: what fr2en's q8 graphs hold, DynamicQuantizeLinear -> MatMulInteger -> Cast
 *     -> Mul -> Add, which ONNX Runtime fuses into one DynamicQuantizeMatMul kernel;
 *   - `MatMulNBits` with 8-bit weights (the same int8 values and per-column scales, repeated per
 *     block) at accuracy level 4, where ONNX Runtime quantizes the input per block and multiplies
 *     in int8, for two block sizes (lower accuracy levels multiply in fp32, 10 to 25 times slower);
 *   - fp32 `MatMul`, the reference for the error column.
 * Rows alternate round by round, so a noisy neighbour hurts every form alike; the table shows each
 * form's median time and its ratio to MatMulInteger's, and the largest error against fp32 relative
 * to the output's largest value.
 *
 *   npx tsc -p bench/tsconfig.json && node build/bench/int8-kernels.js [--rounds 7] [--runs 20]
 *
 * Writes bench/int8-kernels-results.json (`--out` to change).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../tools/modelgen/graph-builder.js';
import { encodeModel } from '../tools/modelgen/onnx-proto.js';
import { PRESETS } from '../tools/modelgen/presets.js';
import { quantizeSymmetric } from '../tools/modelgen/quantize.js';
import { rngFor } from '../tools/modelgen/random.js';
import { machineDetails } from './lib/machine.js';
import { median } from './lib/measure.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    runs: { type: 'string', default: '20' },
    out: { type: 'string', default: 'bench/int8-kernels-results.json' },
  },
});
const ROUNDS = Number(args.rounds);
const RUNS = Number(args.runs);

const dims = PRESETS['opus-mt-fr-en'];
const PRODUCTS = [
  { name: 'attention projection', k: dims.dModel, n: dims.dModel },
  { name: 'feed-forward in', k: dims.dModel, n: dims.ffnDim },
  { name: 'feed-forward out', k: dims.ffnDim, n: dims.dModel },
  { name: 'output projection', k: dims.dModel, n: dims.vocabSize },
];
/** A batch at the defaults (16 rows) and 16 sentences x 4 beams. */
const ROWS = [16, 64];

interface Form {
  name: string;
  /** Adds the product of `x` [rows, k] and the weights to `g`; returns its output [rows, n]. */
  build(g: GraphBuilder, weights: Weights): string;
}

interface Weights {
  k: number;
  n: number;
  fp32: Float32Array;
  int8: Int8Array;
  scales: Float32Array;
  bias: Float32Array;
}

/** MatMulNBits B: [n, k / block, block] unsigned, value = (u - 128) * scale (the default zero point). */
function matMulNBits(block: number, accuracyLevel: number): Form {
  return {
    name: `MatMulNBits 8-bit, block ${block}, accuracy ${accuracyLevel}`,
    build(g, w) {
      const blocks = w.k / block;
      const packed = new Uint8Array(w.n * w.k);
      const scales = new Float32Array(w.n * blocks);
      for (let col = 0; col < w.n; col++) {
        for (let row = 0; row < w.k; row++) packed[col * w.k + row] = w.int8[row * w.n + col] + 128;
        scales.fill(w.scales[col], col * blocks, (col + 1) * blocks);
      }
      const inputs = ['x', g.initializer('b_packed', packed, [w.n, blocks, block]), g.initializer('b_scales', scales, [w.n * blocks]), '', '', g.initializer('bias', w.bias, [w.n])];
      return g.op('MatMulNBits', inputs, { K: w.k, N: w.n, bits: 8, block_size: block, accuracy_level: accuracyLevel });
    },
  };
}

const FORMS: Form[] = [
  {
    name: 'MatMulInteger (fr2en q8)',
    build(g, w) {
      const weight = g.initializer('w_int8', w.int8, [w.k, w.n]);
      const [xq, xScale, xZero] = g.opN('DynamicQuantizeLinear', ['x'], 3);
      const product = g.op('Cast', [g.op('MatMulInteger', [xq, weight, xZero])], { to: 1 });
      const scaled = g.op('Mul', [product, g.op('Mul', [xScale, g.initializer('w_scales', w.scales, [w.n])])]);
      return g.op('Add', [scaled, g.initializer('bias', w.bias, [w.n])]);
    },
  },
  matMulNBits(32, 4),
  matMulNBits(128, 4),
  {
    name: 'MatMul fp32',
    build: (g, w) => g.op('Add', [g.op('MatMul', ['x', g.initializer('w_fp32', w.fp32, [w.k, w.n])]), g.initializer('bias', w.bias, [w.n])]),
  },
];

function modelBytes(form: Form, w: Weights): Uint8Array {
  const g = new GraphBuilder('product');
  g.input('x', 'FLOAT', ['rows', w.k]);
  g.output(form.build(g, w), 'y', 'FLOAT');
  const graph = g.build();
  // The builder writes ONNX's own operators; MatMulNBits is ONNX Runtime's.
  for (const node of graph.node) if (node.op_type === 'MatMulNBits') node.domain = 'com.microsoft';
  return encodeModel({
    ir_version: 8,
    producer_name: 'fr2en-bench',
    producer_version: '1',
    graph,
    opset_import: [
      { domain: '', version: 17 },
      { domain: 'com.microsoft', version: 1 },
    ],
  });
}

function weightsFor(k: number, n: number): Weights {
  const rng = rngFor(0, `int8-kernels-${k}x${n}`);
  const fp32 = rng.normalArray(k * n, 0.02);
  const { values, scales } = quantizeSymmetric(fp32, k, n, 1);
  // The fp32 reference multiplies the dequantized weights, so the error column is the kernels'
  // own (activation quantization and accumulation), not the weights' rounding.
  const dequantized = Float32Array.from(values, (v, i) => v * scales[i % n]);
  return { k, n, fp32: dequantized, int8: values, scales, bias: rng.normalArray(n, 0.02) };
}


interface Cell {
  product: string;
  k: number;
  n: number;
  rows: number;
  form: string;
  medianMs: number;
  vsMatMulInteger: number;
  maxRelativeError: number;
}

const options: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' };
const cells: Cell[] = [];
for (const product of PRODUCTS) {
  const weights = weightsFor(product.k, product.n);
  const sessions: { form: Form; session: ort.InferenceSession }[] = [];
  for (const form of FORMS) sessions.push({ form, session: await ort.InferenceSession.create(modelBytes(form, weights), options) });
  for (const rows of ROWS) {
    const input = rngFor(1, `int8-kernels-x-${rows}x${product.k}`).normalArray(rows * product.k, 1);
    const feeds = { x: new ort.Tensor('float32', input, [rows, product.k]) };
    const outputs = new Map<Form, Float32Array>();
    const times = new Map<Form, number[]>(FORMS.map((form) => [form, []]));
    for (const { form, session } of sessions) outputs.set(form, (await session.run(feeds)).y.data as Float32Array);
    for (let round = 0; round < ROUNDS; round++) {
      for (const { form, session } of sessions) {
        const start = performance.now();
        for (let run = 0; run < RUNS; run++) await session.run(feeds);
        times.get(form)!.push((performance.now() - start) / RUNS);
      }
    }
    const reference = outputs.get(FORMS[FORMS.length - 1])!;
    const largest = reference.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
    const baseline = median(times.get(FORMS[0])!);
    for (const { form } of sessions) {
      const out = outputs.get(form)!;
      let maxError = 0;
      for (let i = 0; i < out.length; i++) maxError = Math.max(maxError, Math.abs(out[i] - reference[i]));
      const medianMs = median(times.get(form)!);
      cells.push({ product: product.name, k: product.k, n: product.n, rows, form: form.name, medianMs, vsMatMulInteger: baseline / medianMs, maxRelativeError: maxError / largest });
    }
  }
  for (const { session } of sessions) await session.release();
}

const pad = (s: string, n: number) => s.padEnd(n);
console.log(`${pad('product', 36)} ${pad('rows', 5)} ${pad('form', 40)} ${'ms'.padStart(8)} ${'speed'.padStart(6)} ${'rel err'.padStart(8)}`);
for (const c of cells) {
  console.log(
    `${pad(`${c.product} ${c.k}x${c.n}`, 36)} ${pad(String(c.rows), 5)} ${pad(c.form, 40)} ${c.medianMs.toFixed(3).padStart(8)} ${`${c.vsMatMulInteger.toFixed(2)}x`.padStart(6)} ${c.maxRelativeError.toExponential(1).padStart(8)}`,
  );
}
const out = path.resolve(repoRoot, args.out);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ machine: machineDetails(repoRoot), rounds: ROUNDS, runs: RUNS, cells }, null, 2)}\n`);
console.log(`wrote ${path.relative(repoRoot, out)}`);
