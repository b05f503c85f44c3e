/**
 * Is a folder a MarianMT seq2seq ONNX export that transformers.js can translate with? Checked
 * before any worker starts, so a wrong `--model` fails with one clear message instead of an
 * ONNX Runtime error in a worker (see shared/notes/marian-onnx-contract.md for why each field).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelError } from './errors.js';
import { onnxFiles, type ModelDtype } from './files.js';

export interface MarianFolderInfo {
  folder: string;
  dtype: ModelDtype;
  /** config.json's fields that size the decoder cache. */
  dModel: number;
  encoderLayers: number;
  decoderLayers: number;
  vocabSize: number | undefined;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

export async function validateMarianFolder(folder: string, dtype: ModelDtype): Promise<MarianFolderInfo> {
  const isDir = await stat(folder).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    throw new ModelError('not-a-folder', `Model folder ${folder} does not exist or is not a folder.`, { file: folder });
  }
  const configPath = join(folder, 'config.json');
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (error) {
    throw new ModelError(
      'missing-config',
      `${configPath} is missing: ${folder} is not a transformers.js model folder (expected config.json, ` +
        'tokenizer.json, tokenizer_config.json and onnx/).',
      { file: configPath, cause: error },
    );
  }
  let config: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    config = parsed as Record<string, unknown>;
  } catch (error) {
    throw new ModelError('bad-config', `${configPath} is not valid JSON: ${(error as Error).message}.`, {
      file: configPath,
      cause: error,
    });
  }
  if (config.model_type !== 'marian') {
    throw new ModelError(
      'not-marian',
      `${configPath} says model_type ${JSON.stringify(config.model_type ?? null)}; fr2en needs a MarianMT ` +
        "model (model_type 'marian', e.g. an opus-mt-* ONNX export).",
      { file: configPath },
    );
  }
  if (config.is_encoder_decoder !== true) {
    throw new ModelError(
      'not-encoder-decoder',
      `${configPath} lacks "is_encoder_decoder": true; transformers.js then never builds the decoder's ` +
        'past-key-value inputs. Add it (MarianMT is an encoder-decoder model).',
      { file: configPath },
    );
  }
  const num = (key: string) => (typeof config[key] === 'number' ? (config[key] as number) : undefined);
  const missingKeys = ['d_model', 'encoder_layers', 'decoder_layers', 'decoder_attention_heads'].filter(
    (k) => num(k) === undefined,
  );
  if (missingKeys.length > 0) {
    throw new ModelError('bad-config', `${configPath} lacks numeric ${missingKeys.join(', ')}.`, { file: configPath });
  }
  const tokenizerFiles = ['tokenizer.json', 'tokenizer_config.json'];
  const missingTokenizer: string[] = [];
  for (const f of tokenizerFiles) if (!(await isFile(join(folder, f)))) missingTokenizer.push(f);
  if (missingTokenizer.length > 0) {
    throw new ModelError(
      'missing-tokenizer',
      `${folder} has no ${missingTokenizer.join(' or ')}: the tokenizer must be exported to tokenizer.json ` +
        '(transformers.js cannot read the sentencepiece .spm files).',
      { file: join(folder, missingTokenizer[0]!), files: missingTokenizer },
    );
  }
  const missingOnnx: string[] = [];
  for (const f of onnxFiles(dtype)) if (!(await isFile(join(folder, f)))) missingOnnx.push(f);
  if (missingOnnx.length > 0) {
    throw new ModelError(
      'missing-onnx',
      `${folder} has no ${missingOnnx.join(', ')} for dtype ${dtype}. Download that dtype ` +
        `(fr2en models download <id> --dtype ${dtype}) or pick the dtype the folder has.`,
      { file: join(folder, missingOnnx[0]!), files: missingOnnx },
    );
  }
  return {
    folder,
    dtype,
    dModel: num('d_model')!,
    encoderLayers: num('encoder_layers')!,
    decoderLayers: num('decoder_layers')!,
    vocabSize: num('vocab_size'),
  };
}
