/** Model management: download, verify, list, remove, and resolve a model for translation. */
export { downloadCommand, ensureModel, isLocalModelPath, localModelFolder, type EnsureModelOptions, type ResolvedModel } from './ensure.js';
export { downloadModel, downloadFile, headRemoteFile, type DownloadModelOptions, type DownloadResult, type RemoteFile } from './download.js';
export { ModelError, MODEL_ERROR_REASONS, type ModelErrorReason } from './errors.js';
export {
  DEFAULT_DTYPE,
  DEFAULT_MODEL_ID,
  DEFAULT_REVISION,
  MODEL_DTYPES,
  MODEL_DTYPE_SUFFIXES,
  filesForDtype,
  isModelDtype,
  onnxFiles,
  type ModelDtype,
  type ModelFileSpec,
} from './files.js';
export {
  DEFAULT_HUB_URL,
  createHubFetch,
  hubFileUrl,
  isTruthyEnv,
  resolveModelEnv,
  type EnvLike,
  type FetchLike,
  type ModelEnv,
} from './hub.js';
export { MANIFEST_FILE, readManifest, type ManifestFile, type ModelManifest, type VerifiedBy } from './manifest.js';
export type { ModelProgressEvent, ProgressCallback } from './progress.js';
export { DEFAULT_MODELS_DIR, listModels, modelFolder, parseModelId, removeModel, type InstalledModel } from './store.js';
export { validateMarianFolder, type MarianFolderInfo } from './validate.js';
export { checkOnnxFile, checkOnnxFiles } from './onnx/check.js';
export { describeProblems, verifyModelFolder, type FileCheck, type FileCheckStatus, type VerifyReport } from './verify.js';
