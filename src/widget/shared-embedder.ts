/**
 * One worker and one model per page, however many `<semantic-search>` elements it holds: the
 * load is cached as a promise (DESIGN, "cache the promise of a load, not its result"), keyed by
 * what makes two loads different, so two widgets that start at once still share one load. A
 * failed load leaves the cache, so fixing an attribute and trying again starts a new one.
 */
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
}

const loads = new Map<string, Entry>();

/**
 * The embedder for this model/dtype/device, started once per page.
 *
 * @example
 * const a = sharedEmbedder({ model: { url: '/models/qwen3-tiny/' }, dtype: 'q8', device: 'auto' });
 * const b = sharedEmbedder({ model: { url: '/models/qwen3-tiny/' }, dtype: 'q8', device: 'auto' });
 * (await a) === (await b); // true: one worker, one model
 */
export function sharedEmbedder(request: SharedEmbedderRequest, onProgress?: (event: LoadProgress) => void): Promise<Embedder> {
  const key = embedderKey(request);
  let entry = loads.get(key);
  if (!entry) {
    const listeners = new Set<(event: LoadProgress) => void>();
    const promise = createEmbedder({
      ...(request.model === undefined ? {} : { model: request.model }),
      dtype: request.dtype,
      device: request.device,
      onProgress: (event) => listeners.forEach((listener) => listener(event)),
    });
    const created: Entry = { promise, listeners };
    entry = created;
    loads.set(key, created);
    promise.then(
      () => listeners.clear(),
      () => {
        if (loads.get(key) === created) loads.delete(key);
      },
    );
  }
  if (onProgress) entry.listeners.add(onProgress);
  return entry.promise;
}

/** How many distinct loads this page has asked for (tests and diagnostics). */
export function sharedEmbedderCount(): number {
  return loads.size;
}

function embedderKey({ model, dtype, device }: SharedEmbedderRequest): string {
  const where =
    model === undefined ? '(default model)'
    : typeof model === 'string' ? `hub:${model}`
    : 'url' in model ? `url:${new URL(model.url, document.baseURI).href.replace(/\/*$/, '/')}`
    : 'hub' in model ? `hub:${model.hub}@${model.revision ?? ''}@${model.host ?? ''}`
    // Picked files are never shared: two pickers mean two different folders.
    : `files:${Math.random()}`;
  return JSON.stringify([where, dtype, device]);
}
