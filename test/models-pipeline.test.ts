/**
 * End to end: the generated tiny Marian model served in the hub's layout, downloaded by
 * ensureModel, then loaded by transformers.js with remote loading switched off.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env, pipeline, type TranslationPipeline } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureModel } from '../src/models/index.js';
import { filesFromFolder, startHubServer, type HubServer } from './helpers/hub-server.js';
import { TINY_MODEL_DIR } from './helpers/models.js';

const ID = 'fr2en-test/tiny-marian';
let dir: string;
let hub: HubServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fr2en-pipeline-'));
  hub = await startHubServer({ models: { [ID]: filesFromFolder(TINY_MODEL_DIR) } });
});
afterAll(async () => {
  await hub.close();
  await rm(dir, { recursive: true, force: true });
});

async function translate(localModelPath: string, modelId: string, text: string): Promise<string> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = localModelPath;
  const translator = (await pipeline('translation', modelId, { dtype: 'q8' })) as TranslationPipeline;
  try {
    const out = (await translator(text, { max_new_tokens: 8 })) as { translation_text: string }[];
    return out[0]!.translation_text;
  } finally {
    await translator.dispose();
  }
}

describe('download then load with transformers.js', () => {
  it('translates with the downloaded q8 model, exactly as with the original folder', async () => {
    const resolved = await ensureModel({ model: ID, dtype: 'q8', modelsDir: dir, hubUrl: hub.url });
    expect(resolved.source).toBe('downloaded');
    const connections = hub.connections();

    const downloaded = await translate(resolved.localModelPath, resolved.modelId, 'Le chat dort sur le canapé.');
    expect(typeof downloaded).toBe('string');
    expect(downloaded.length).toBeGreaterThan(0);
    expect(hub.connections()).toBe(connections); // loading used the local files only

    const original = await translate(join(TINY_MODEL_DIR, '..'), 'tiny', 'Le chat dort sur le canapé.');
    expect(downloaded).toBe(original);
  });
});
