import type * as Comlink from 'comlink';
import { EmbedError } from '../core/errors.ts';
import type { EmbedWorkerApi } from '../protocol/worker-api.ts';

/**
 * When the embedding worker ends, however it ends. A terminated worker fires no event and a
 * crashed one not always, and a Comlink call to either never settles: without this an embed
 * in flight would wait forever. So the worker holds a Web Lock of its own for its whole life,
 * and the page queues for that lock; the browser grants it the moment the worker is gone.
 *
 * `ended` rejects with WORKER_FAILED then; `race(call)` is the call, or that rejection if the
 * worker ends first. Without Web Locks (not a secure context) `ended` never settles: calls
 * behave as they did before.
 */
export interface WorkerLife {
  readonly ended: Promise<never>;
  race<T>(call: Promise<T>): Promise<T>;
}

export async function watchWorkerLife(remote: Comlink.Remote<EmbedWorkerApi>): Promise<WorkerLife> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  let ended: Promise<never> = new Promise<never>(() => undefined);
  if (locks) {
    const name = `tabembed:embed-worker:${crypto.randomUUID()}`;
    await remote.holdLife(name);
    ended = locks
      .request(name, () => undefined)
      .then(() => {
        throw new EmbedError(
          'WORKER_FAILED',
          'the embedding worker ended (it crashed, ran out of memory or was terminated): create a new embedder with createEmbedder()',
        );
      });
    ended.catch(() => undefined); // rejections are read through race()
  }
  return { ended, race: (call) => Promise.race([call, ended]) };
}
