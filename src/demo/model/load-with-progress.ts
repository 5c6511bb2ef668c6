import {
  createEmbedder,
  type CreateEmbedderOptions,
  type Embedder,
  type LoadProgress,
  type RemoteEmbedder,
  type RemoteFallback,
} from '../../client/index.ts';
import { renderProgress, startProgress, type ProgressView } from './load-progress.ts';

type LoadOptions = Pick<CreateEmbedderOptions, 'model' | 'device' | 'dtype'> & { signal: AbortSignal };

/**
 * Loads a model for a page, showing its progress in `view`, after disposing the page's previous
 * embedder (two models at once could need twice the memory). A load that a newer one superseded
 * meanwhile is disposed and answers undefined: its result belongs to no one.
 */
export function loadWithProgress(
  view: ProgressView,
  previous: { dispose(): Promise<void> } | undefined,
  options: LoadOptions,
  superseded: () => boolean,
): Promise<{ embedder: Embedder; loadMs: number } | undefined> {
  return load(view, previous, superseded, (onProgress) => createEmbedder({ ...options, onProgress }));
}

/** `loadWithProgress` with a remote fallback the page opted into: the model in this tab, or the engine. */
export function loadWithFallback(
  view: ProgressView,
  previous: { dispose(): Promise<void> } | undefined,
  options: LoadOptions & { remoteFallback: RemoteFallback },
  superseded: () => boolean,
): Promise<{ embedder: Embedder | RemoteEmbedder; loadMs: number } | undefined> {
  return load(view, previous, superseded, (onProgress) => createEmbedder({ ...options, onProgress }));
}

async function load<T extends { dispose(): Promise<void> }>(
  view: ProgressView,
  previous: { dispose(): Promise<void> } | undefined,
  superseded: () => boolean,
  create: (onProgress: (event: LoadProgress) => void) => Promise<T>,
): Promise<{ embedder: T; loadMs: number } | undefined> {
  if (previous) await previous.dispose().catch(() => undefined);
  if (superseded()) return undefined;
  let progress = startProgress();
  const started = performance.now();
  const embedder = await create((event) => {
    if (!superseded()) progress = renderProgress(view, progress, event);
  });
  if (superseded()) {
    await embedder.dispose();
    return undefined;
  }
  return { embedder, loadMs: performance.now() - started };
}
