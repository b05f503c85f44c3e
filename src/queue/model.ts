/** The model a coordinator asks for and a worker serves, identified by its files (see protocol.ts). */
import { fingerprintModelFiles } from '../cache/index.js';
import { filesForDtype, type ModelDtype } from '../models/files.js';
import type { QueueModel } from './protocol.js';

/**
 * Fingerprints the dtype's files in `modelPath`, as the translation memory does: two machines
 * with the same files get the same fingerprint (hence the same queue), wherever the folder is.
 */
export async function queueModel(id: string, modelPath: string, dtype: ModelDtype): Promise<QueueModel> {
  const fingerprint = await fingerprintModelFiles(modelPath, filesForDtype(dtype).map((file) => file.path));
  return { id, fingerprint, dtype };
}

/** Why `worker` must not translate a job for `wanted`, or undefined when the models are the same. */
export function modelMismatch(served: QueueModel, wanted: QueueModel): string | undefined {
  if (served.fingerprint === wanted.fingerprint && served.dtype === wanted.dtype) return undefined;
  const what = served.dtype !== wanted.dtype ? 'dtype' : 'model files';
  return `different ${what}: this worker serves ${label(served)}, the job asks for ${label(wanted)}`;
}

function label(model: QueueModel): string {
  return `${model.id} (${model.dtype}, files ${model.fingerprint.slice(0, 12)})`;
}
