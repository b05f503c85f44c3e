/**
 * Which files a MarianMT ONNX model needs, per dtype. One table, read by the downloader, the
 * validator, the integrity check and `models list`.
 *
 * Suffixes follow transformers.js (`utils/dtypes.js`): fp32 has none, q8 is `_quantized`.
 * Only the two dtypes fr2en supports are listed; adding one is one line here.
 */
export const MODEL_DTYPE_SUFFIXES = {
  fp32: '',
  q8: '_quantized',
} as const;

export type ModelDtype = keyof typeof MODEL_DTYPE_SUFFIXES;
export const MODEL_DTYPES = Object.keys(MODEL_DTYPE_SUFFIXES) as ModelDtype[];

/** The model fr2en translates with when none is named. */
export const DEFAULT_MODEL_ID = 'Xenova/opus-mt-fr-en';
/** q8 is the default: a third of the download (about 140 MB vs 420 MB) and 2-3x faster on CPU. */
export const DEFAULT_DTYPE: ModelDtype = 'q8';
/** The branch or tag downloaded when none is named. */
export const DEFAULT_REVISION = 'main';

export interface ModelFileSpec {
  /** Path inside the model folder, with `/` separators, as on the hub. */
  path: string;
  /**
   * An optional file may be absent from the repository: transformers.js loads
   * `generation_config.json` non-fatally, and some Marian exports do not ship one.
   */
  optional: boolean;
}

const COMMON_FILES: readonly ModelFileSpec[] = [
  { path: 'config.json', optional: false },
  { path: 'generation_config.json', optional: true },
  { path: 'tokenizer.json', optional: false },
  { path: 'tokenizer_config.json', optional: false },
];

export function onnxFiles(dtype: ModelDtype): string[] {
  const suffix = MODEL_DTYPE_SUFFIXES[dtype];
  return [`onnx/encoder_model${suffix}.onnx`, `onnx/decoder_model_merged${suffix}.onnx`];
}

/** Every file `dtype` needs, the small JSON files first (they fail fast on a wrong id). */
export function filesForDtype(dtype: ModelDtype): ModelFileSpec[] {
  return [...COMMON_FILES, ...onnxFiles(dtype).map((path) => ({ path, optional: false }))];
}

export function isModelDtype(value: unknown): value is ModelDtype {
  return typeof value === 'string' && Object.hasOwn(MODEL_DTYPE_SUFFIXES, value);
}
