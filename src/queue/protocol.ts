/**
 * What travels through Redis between a coordinator (`fr2en translate --redis`) and the workers
 * (`fr2en worker`), typed in one place and imported by both sides. A job is one batch: the texts,
 * the decoding settings and the model they must be translated with; its result is the batch's
 * translations. Errors cross Redis as a job's failed reason, a string, so the worker writes a
 * reason code in front of the message and the coordinator rebuilds a typed error from it.
 */
import type { BatchResult } from '../translate/backend.js';
import type { DecodeSettings, ModelDtype } from '../translate/protocol.js';

/**
 * Bumped when a job or its result changes shape. It is part of the queue name, so a coordinator
 * and workers of different protocols never meet; a worker also refuses a job of another version.
 */
export const JOB_PROTOCOL_VERSION = 1;

/** BullMQ's key prefix for fr2en's queues: every key fr2en writes starts with `fr2en:`. */
export const KEY_PREFIX = 'fr2en';

/** The BullMQ job name of a batch (one kind of job per queue, named for monitoring tools). */
export const JOB_NAME = 'translate';

/** The model a job must be translated with, and that a worker serves. */
export interface QueueModel {
  /** The model as configured (`Xenova/opus-mt-fr-en` or a folder): for messages, not for matching. */
  id: string;
  /** `fingerprintModelFiles` over the dtype's files: equal files, equal fingerprint, wherever they live. */
  fingerprint: string;
  dtype: ModelDtype;
}

export interface JobData {
  v: typeof JOB_PROTOCOL_VERSION;
  model: QueueModel;
  decode: DecodeSettings;
  texts: string[];
}

export interface JobResult extends BatchResult {
  /** The worker that translated the batch. */
  worker: string;
  /** Time the worker spent on the batch, ms (the rest of a job's round trip is queue overhead). */
  workMs: number;
}

/**
 * One queue per model files and dtype: a worker only ever sees jobs for the model it holds, so
 * mixing models cannot happen by configuration. 16 hex digits (64 bits) of the fingerprint keep
 * names short; the full fingerprint travels in each job and is checked by the worker.
 */
export function queueName(model: Pick<QueueModel, 'fingerprint' | 'dtype'>): string {
  return `translate.v${JOB_PROTOCOL_VERSION}.${model.dtype}.${model.fingerprint.slice(0, 16)}`;
}

/** A model as people read it in messages: `Xenova/opus-mt-fr-en (q8, files 1f2e3d4c)`. */
export function describeModel(model: QueueModel): string {
  return `${model.id} (${model.dtype}, files ${model.fingerprint.slice(0, 8)})`;
}

/**
 * Why a worker failed a job. `model` and `protocol`: the worker refused the job (a different model
 * or job format), which no retry fixes. The others are the local pool's failures, which another
 * try (on any worker) may not repeat.
 */
export const JOB_FAILURES = ['model', 'protocol', 'crashed', 'timeout', 'translate'] as const;
export type JobFailure = (typeof JOB_FAILURES)[number];

/** A failed reason as the worker writes it: `[reason] message`. */
export function failedReason(reason: JobFailure, message: string): string {
  return `[${reason}] ${message}`;
}

/** The reason and message of a failed job; a reason BullMQ wrote itself (a job stalled too often) has no code. */
export function parseFailedReason(text: string): { reason: JobFailure | undefined; message: string } {
  const match = /^\[(\w+)\] ([\s\S]*)$/.exec(text);
  if (match && (JOB_FAILURES as readonly string[]).includes(match[1])) return { reason: match[1] as JobFailure, message: match[2] };
  return { reason: undefined, message: text };
}

/** Checks the shape of a job read from Redis (anything may be written there). */
export function checkJobData(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return 'the job has no data';
  const job = data as Partial<JobData>;
  if (job.v !== JOB_PROTOCOL_VERSION) return `the job is in protocol v${String(job.v)}, this worker reads v${JOB_PROTOCOL_VERSION} (run the same fr2en version on both sides)`;
  if (!Array.isArray(job.texts) || !job.texts.every((text) => typeof text === 'string')) return 'the job has no texts';
  if (typeof job.decode !== 'object' || job.decode === null || typeof job.decode.beams !== 'number') return 'the job has no decoding settings';
  const model = job.model;
  if (typeof model !== 'object' || model === null || typeof model.fingerprint !== 'string' || typeof model.dtype !== 'string') {
    return 'the job does not name its model';
  }
  return undefined;
}
