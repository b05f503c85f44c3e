/** Flags shared by `translate` and `models`: which model, where it lives, where it comes from. */
import type { Argv } from 'yargs';
import { DEFAULTS, DTYPES } from '../config.js';
import { resolveModelEnv, type ModelDtype } from '../models/index.js';

export interface ModelArgs {
  model: string;
  modelsDir: string;
  dtype: ModelDtype;
}

export interface HubArgs {
  offline: boolean;
  hubUrl?: string;
}

export const modelsDirOption = (env: NodeJS.ProcessEnv) =>
  ({ type: 'string', default: resolveModelEnv(env).modelsDir ?? DEFAULTS.modelsDir, describe: 'Where models are stored (env FR2EN_MODELS_DIR)' }) as const;

export const hubUrlOption = (env: NodeJS.ProcessEnv) =>
  ({ type: 'string', default: resolveModelEnv(env).hubUrl, describe: 'Model hub or mirror URL (env HF_ENDPOINT; default https://huggingface.co)' }) as const;

export function modelOptions<T>(yargs: Argv<T>, env: NodeJS.ProcessEnv): Argv<T & ModelArgs> {
  return yargs.options({
    model: { alias: 'm', type: 'string', default: DEFAULTS.model, describe: 'Hub model id (any MarianMT ONNX export) or a local model folder (./path)' },
    'models-dir': modelsDirOption(env),
    dtype: { type: 'string', choices: DTYPES, default: DEFAULTS.dtype, describe: 'Model weights: q8 (int8, fast, small) or fp32' },
  }) as unknown as Argv<T & ModelArgs>;
}

export function hubOptions<T>(yargs: Argv<T>, env: NodeJS.ProcessEnv): Argv<T & HubArgs> {
  return yargs.options({
    offline: {
      type: 'boolean',
      default: resolveModelEnv(env).offline,
      describe: 'Never use the network (also FR2EN_OFFLINE=1, HF_HUB_OFFLINE=1, TRANSFORMERS_OFFLINE=1)',
    },
    'hub-url': hubUrlOption(env),
  }) as unknown as Argv<T & HubArgs>;
}
