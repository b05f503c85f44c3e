/**
 * The generated models the test suite loads (see tools/modelgen). test/global-setup.ts calls
 * prepareTestModels() once per `vitest run`; test files then load them offline:
 *
 *   env.allowRemoteModels = false;
 *   env.localModelPath = GENERATED_MODELS_DIR;
 *   const translator = await pipeline('translation', 'tiny', { dtype: 'fp32' }); // or 'q8'
 *
 * or pass TINY_MODEL_DIR itself as the model id.
 */
import { fileURLToPath } from 'node:url';
import { generateModel } from '../../tools/modelgen/index.js';

/** Folder holding the generated model folders (git-ignored). */
export const GENERATED_MODELS_DIR = fileURLToPath(new URL('../../models/generated/', import.meta.url));
/** `tiny` preset, fp32 and q8, seed 0: vocabulary 2000, d_model 32, 2+2 layers. */
export const TINY_MODEL_DIR = fileURLToPath(new URL('../../models/generated/tiny', import.meta.url));
/** `tiny` again with attention written as Optimum exports opus-mt (3-D `bmm` products), for graph edits. */
export const TINY_BMM_MODEL_DIR = fileURLToPath(new URL('../../models/generated/tiny-bmm', import.meta.url));
/** `micro` preset, fp32, seed 0: 8 tokens (</s>, <unk>, ▁, e, a, s, t, <pad>), for exhaustive search tests. */
export const MICRO_MODEL_DIR = fileURLToPath(new URL('../../models/generated/micro', import.meta.url));

export async function prepareTestModels(): Promise<void> {
  await generateModel({ preset: 'tiny', outDir: TINY_MODEL_DIR, dtypes: ['fp32', 'q8'], seed: 0 });
  await generateModel({ preset: 'tiny', outDir: TINY_BMM_MODEL_DIR, dtypes: ['fp32', 'q8'], seed: 0, attentionLayout: 'bmm' });
  await generateModel({ preset: 'micro', outDir: MICRO_MODEL_DIR, dtypes: ['fp32'], seed: 0 });
}
