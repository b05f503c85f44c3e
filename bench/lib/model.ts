/**
 * The benchmark model: the full-size generated opus-mt-fr-en (random weights, real shapes and
 * cost per token), fp32 and q8, with EOS unreachable so that every output runs to its forced
 * length. Generated on first use into models/generated/ (git-ignored) and reused while its
 * recorded graph layout, seed and options match.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GRAPH_LAYOUT } from '../../tools/modelgen/config.js';
import { generateModel } from '../../tools/modelgen/index.js';

export const BENCH_MODEL = { preset: 'opus-mt-fr-en', seed: 0, eosUnreachable: true } as const;
const FILES = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'onnx/encoder_model.onnx',
  'onnx/decoder_model_merged.onnx',
  'onnx/encoder_model_quantized.onnx',
  'onnx/decoder_model_merged_quantized.onnx',
];

export function benchModelDir(repoRoot: string): string {
  return path.resolve(repoRoot, 'models/generated', BENCH_MODEL.preset);
}

/** True when `dir` holds a complete model generated with BENCH_MODEL's preset, seed and options. */
export function isBenchModel(dir: string): boolean {
  if (!FILES.every((file) => existsSync(path.join(dir, file)))) return false;
  try {
    const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as {
      fr2en_generated?: { graph_layout?: number; preset?: string; seed?: number; eos_unreachable?: boolean };
    };
    const made = config.fr2en_generated;
    return (
      made?.graph_layout === GRAPH_LAYOUT &&
      made.preset === BENCH_MODEL.preset &&
      made.seed === BENCH_MODEL.seed &&
      made.eos_unreachable === BENCH_MODEL.eosUnreachable
    );
  } catch {
    return false; // unreadable config: regenerate
  }
}

/** The model folder, generated first if missing or made with other options. */
export async function ensureBenchModel(repoRoot: string, log: (line: string) => void): Promise<{ dir: string; generatedMs: number | null }> {
  const dir = benchModelDir(repoRoot);
  if (isBenchModel(dir)) return { dir, generatedMs: null };
  log(`generating ${path.relative(repoRoot, dir)} (full size, fp32 + q8, seed ${BENCH_MODEL.seed}, EOS unreachable)...`);
  const started = performance.now();
  await generateModel({ ...BENCH_MODEL, outDir: dir, dtypes: ['fp32', 'q8'] });
  return { dir, generatedMs: performance.now() - started };
}
