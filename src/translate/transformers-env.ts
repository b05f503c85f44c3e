import { env, LogLevel } from '@huggingface/transformers';

/**
 * The only place fr2en writes transformers.js' `env` (a per-thread singleton): models are
 * resolved and downloaded by fr2en itself, so the library must never fetch, and its warning that
 * MarianTokenizer has no "fast" implementation says nothing a user can act on.
 */
export function configureTransformers(): void {
  env.allowRemoteModels = false;
  env.logLevel = LogLevel.ERROR;
}
