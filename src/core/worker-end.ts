import { EmbedError } from './errors.ts';

/** What this needs of `navigator.locks` (a page's or a worker's). */
export interface LockRequester {
  request(name: string, callback: () => unknown): Promise<unknown>;
}

/**
 * Rejects with WORKER_FAILED once the embedding worker that holds the Web Lock `name` has ended.
 * The worker takes that lock at start and keeps it for its life (`holdLife`); the browser grants
 * it to the next in line the moment the worker is gone, terminated or crashed, which nothing else
 * reports: a call to a dead worker simply never settles. Never settles without Web Locks or a name.
 *
 * @example
 * const result = await Promise.race([remote.embed(…), workerEnded(navigator.locks, name)]);
 */
export function workerEnded(locks: LockRequester | undefined, name: string | undefined): Promise<never> {
  if (!locks || name === undefined) return new Promise<never>(() => undefined);
  const ended = locks
    .request(name, () => undefined)
    .then((): never => {
      throw new EmbedError(
        'WORKER_FAILED',
        'the embedding worker ended (it crashed, ran out of memory or was terminated): create a new embedder with createEmbedder()',
      );
    });
  ended.catch(() => undefined); // read by whoever races it
  return ended;
}
