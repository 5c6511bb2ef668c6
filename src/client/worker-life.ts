import { workerEnded } from '../core/worker-end.ts';
import type { WorkerCalls } from './worker-calls.ts';

/**
 * When the embedding worker ends, however it ends (core/worker-end.ts says how it is known):
 * `ended` rejects with WORKER_FAILED then, and `race(call)` is the call, or that rejection if the
 * worker ends first. Without Web Locks (not a secure context) nothing changes.
 */
export interface WorkerLife {
  readonly ended: Promise<never>;
  race<T>(call: Promise<T>): Promise<T>;
}

export async function watchWorkerLife(remote: Pick<WorkerCalls, 'holdLife'>): Promise<WorkerLife> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  let name: string | undefined;
  if (locks) {
    name = `tabembed:embed-worker:${crypto.randomUUID()}`;
    await remote.holdLife(name);
  }
  const ended = workerEnded(locks, name);
  return { ended, race: (call) => Promise.race([call, ended]) };
}
