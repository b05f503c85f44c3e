import { existsSync } from 'node:fs';

// Generates the tiny test models once per `vitest run` (a few seconds), so every test file
// loads the same fresh, deterministic model through the real transformers.js path.
export default async function setup(): Promise<void> {
  if (!existsSync(new URL('./helpers/models.ts', import.meta.url))) return; // generator not written yet
  const { prepareTestModels } = await import('./helpers/models.js');
  await prepareTestModels();
}
