/**
 * One worker and one model per page, however many `<semantic-search>` elements it holds: the
 * load is cached as a promise (DESIGN, "cache the promise of a load, not its result"), keyed by
 * what makes two loads different, so two widgets that start at once still share one load. A
 * failed load leaves the cache, so fixing an attribute and trying again starts a new one.
 *
 * Each widget holds a lease. When the last lease on a model is released (its widgets left the
 * page, or moved to another model) the model is disposed after `IDLE_DISPOSE_MS`, so a page that
 * swaps its search box out (a single-page app changing route) gets its memory and worker back,
 * while one that re-renders it at once keeps the loaded model.
 */
import { canonicalModelId } from './model-id.ts';
import { createEmbedder, type Embedder, type EmbedderOptions, type LoadProgress } from '../client/index.ts';

export interface SharedEmbedderRequest {
  model: EmbedderOptions['model'];
  dtype: NonNullable<EmbedderOptions['dtype']>;
  device: NonNullable<EmbedderOptions['device']>;
}

interface Entry {
  promise: Promise<Embedder>;
  /** Everyone waiting on this load hears its progress, not just the widget that started it. */
  listeners: Set<(event: LoadProgress) => void>;
  /** Leases not yet released. */
  users: number;
  /** The pending dispose once `users` reached 0. */
  idle: ReturnType<typeof setTimeout> | undefined;
}

/** A widget's hold on a shared model: `release()` once it no longer needs it (idempotent). */
export interface EmbedderLease {
  embedder: Promise<Embedder>;
  release(): void;
}

/** How long a model nobody holds stays loaded, in case a widget comes back for it. */
export const IDLE_DISPOSE_MS = 5_000;

const loads = new Map<string, Entry>();

/**
 * A lease on the embedder for this model/dtype/device, started once per page.
 *
 * @example
 * const a = leaseSharedEmbedder({ model: { url: '/models/qwen3-tiny/' }, dtype: 'q8', device: 'auto' });
 * const b = leaseSharedEmbedder({ model: { url: '/models/qwen3-tiny/' }, dtype: 'q8', device: 'auto' });
 * (await a.embedder) === (await b.embedder); // true: one worker, one model
 * a.release(); b.release(); // IDLE_DISPOSE_MS later the model is disposed and its worker ends
 */
export function leaseSharedEmbedder(
  request: SharedEmbedderRequest,
  onProgress?: (event: LoadProgress) => void,
): EmbedderLease {
  const key = embedderKey(request);
  const entry = loads.get(key) ?? startLoad(key, request);
  if (onProgress) entry.listeners.add(onProgress);
  entry.users++;
  clearTimeout(entry.idle);
  entry.idle = undefined;
  let released = false;
  return {
    embedder: entry.promise,
    release() {
      if (released) return;
      released = true;
      if (onProgress) entry.listeners.delete(onProgress);
      if (--entry.users > 0 || loads.get(key) !== entry) return;
      entry.idle = setTimeout(() => {
        if (entry.users > 0 || loads.get(key) !== entry) return;
        loads.delete(key);
        // A failed load has nothing to dispose; a disposed worker's error would reach nobody.
        entry.promise.then((embedder) => embedder.dispose()).catch(() => undefined);
      }, IDLE_DISPOSE_MS);
    },
  };
}

function startLoad(key: string, request: SharedEmbedderRequest): Entry {
  const listeners = new Set<(event: LoadProgress) => void>();
  const promise = createEmbedder({
    ...(request.model === undefined ? {} : { model: request.model }),
    dtype: request.dtype,
    device: request.device,
    onProgress: (event) => listeners.forEach((listener) => listener(event)),
  });
  const created: Entry = { promise, listeners, users: 0, idle: undefined };
  loads.set(key, created);
  promise.then(
    () => listeners.clear(),
    () => {
      if (loads.get(key) === created) loads.delete(key);
    },
  );
  return created;
}

function embedderKey({ model, dtype, device }: SharedEmbedderRequest): string {
  const where =
    model === undefined
      ? '(default model)'
      : typeof model === 'string'
        ? `hub:${model}`
        : 'url' in model
          ? `url:${canonicalModelId(model.url, document.baseURI)}`
          : 'hub' in model
            ? `hub:${model.hub}@${model.revision ?? ''}@${model.host ?? ''}`
            : // Picked files are never shared: two pickers mean two different folders.
              `files:${Math.random()}`;
  return JSON.stringify([where, dtype, device]);
}
