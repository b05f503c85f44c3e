/** A transformers.js seq2seq model (`AutoModelForSeq2SeqLM.from_pretrained`) seen as Marian sessions. */
import { Tensor } from '@huggingface/transformers';
import type { MarianSessions, OrtSessionLike, OrtTensorLike } from './marian-decoder.js';

/** The parts of a transformers.js seq2seq model used here. */
export interface Seq2SeqModelLike {
  readonly config: object;
  readonly sessions: Record<string, unknown>;
}

function sessionOf(model: Seq2SeqModelLike, name: string): OrtSessionLike {
  const session = model.sessions[name] as OrtSessionLike | undefined;
  if (!session || typeof session.run !== 'function') {
    throw new Error(`The model has no \`${name}\` session; expected a transformers.js Marian model (encoder + decoder_model_merged).`);
  }
  return session;
}

export function sessionsOfModel(model: Seq2SeqModelLike): MarianSessions {
  return {
    encoder: sessionOf(model, 'model'),
    decoder: sessionOf(model, 'decoder_model_merged'),
    config: model.config,
    // transformers.js' Tensor wraps the onnxruntime tensor class it loaded; reuse it so the
    // sessions get tensors of their own runtime.
    tensor: (type, data, dims) => new Tensor(type, data as never, [...dims]).ort_tensor as OrtTensorLike,
  };
}
