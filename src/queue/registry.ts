/**
 * Which workers are alive, and for which model: each worker renews a short-lived announcement
 * (a key with a TTL, listed in one set) every couple of seconds. A coordinator reads them to size
 * how many jobs it keeps in flight and to say when no worker serves its model; a worker that dies
 * simply stops renewing and drops out within ANNOUNCE_TTL_MS. Plain keys rather than BullMQ's
 * CLIENT LIST: managed Redis services often disable CLIENT, and an announcement carries the
 * worker's model and capacity.
 */
import type { Redis } from 'ioredis';
import { KEY_PREFIX, queueName, type QueueModel } from './protocol.js';

/** How often a worker renews its announcement, and how long one lives without renewal. */
export const ANNOUNCE_EVERY_MS = 2000;
export const ANNOUNCE_TTL_MS = 6000;

const WORKERS_KEY = `${KEY_PREFIX}:workers`;
const workerKey = (id: string) => `${KEY_PREFIX}:worker:${id}`;

export interface WorkerAnnouncement {
  id: string;
  host: string;
  pid: number;
  /** The BullMQ queue it takes jobs from. */
  queue: string;
  model: QueueModel;
  /** Batches it runs at once (its local pool's workers). */
  slots: number;
  /** `loading`: starting its pool; `ready`: taking jobs; `stopping`: finishing its last jobs. */
  state: 'loading' | 'ready' | 'stopping';
}

export async function announce(client: Redis, worker: WorkerAnnouncement): Promise<void> {
  await client.multi().set(workerKey(worker.id), JSON.stringify(worker), 'PX', ANNOUNCE_TTL_MS).sadd(WORKERS_KEY, worker.id).exec();
}

export async function withdraw(client: Redis, id: string): Promise<void> {
  await client.multi().del(workerKey(id)).srem(WORKERS_KEY, id).exec();
}

/** Every live worker, whatever its model; forgets those whose announcement has expired. */
export async function liveWorkers(client: Redis): Promise<WorkerAnnouncement[]> {
  const ids = await client.smembers(WORKERS_KEY);
  if (ids.length === 0) return [];
  const values = await client.mget(ids.map(workerKey));
  const expired = ids.filter((_, i) => values[i] === null);
  if (expired.length > 0) await client.srem(WORKERS_KEY, ...expired);
  return values.flatMap((value) => {
    if (value === null) return [];
    try {
      return [JSON.parse(value) as WorkerAnnouncement];
    } catch {
      return [];
    }
  });
}

/** Workers taking (or about to take) jobs for `model`; one finishing its last jobs takes no more. */
export function workersServing(workers: readonly WorkerAnnouncement[], model: QueueModel): WorkerAnnouncement[] {
  const name = queueName(model);
  return workers.filter((worker) => worker.queue === name && worker.state !== 'stopping');
}
