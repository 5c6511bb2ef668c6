import { isRemoteEmbedder, type Embedder, type RemoteEmbedder } from '../../client/index.ts';

/**
 * Where a page's vectors are computed, in plain words, for a line the page always shows: a page
 * that opted into a remote engine must say when its texts leave the tab (issue 14).
 */
export function whereComputed(embedder: Embedder | RemoteEmbedder): { provider: 'local' | 'remote'; text: string } {
  const info = embedder.info();
  const why = info.choice ? ` Why: ${info.choice.reason}.` : '';
  if (isRemoteEmbedder(embedder))
    return {
      provider: 'remote',
      text: `Vectors are computed on ${embedder.info().baseURL} (your texts leave this tab).${why}`,
    };
  const device = embedder.info().device === 'webgpu' ? 'WebGPU' : 'WASM';
  return { provider: 'local', text: `Vectors are computed in this tab (${device}); your texts stay here.${why}` };
}

/** Writes it into `element`, with `data-provider` for styles and tests. */
export function showWhereComputed(element: HTMLElement, embedder: Embedder | RemoteEmbedder): void {
  const where = whereComputed(embedder);
  element.textContent = where.text;
  element.dataset['provider'] = where.provider;
  element.hidden = false;
}
