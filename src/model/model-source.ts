import type { ModelSource } from '../core/types.ts';

export const DEFAULT_MODEL_ID = 'onnx-community/Qwen3-Embedding-0.6B-ONNX';
export const DEFAULT_REVISION = 'main';
export const DEFAULT_HUB_HOST = 'https://huggingface.co';

/** A model source reduced to a base URL in Hub layout, plus what `info()` reports. */
export interface ResolvedSource {
  /** Hub id or the URL the user gave. */
  id: string;
  revision: string | undefined;
  /** Ends with '/'; files are `${baseUrl}${path}`. */
  baseUrl: string;
}

/**
 * Resolves a `ModelSource` against `origin` (the page or worker location for relative URLs).
 * Hub ids become `{host}/{id}/resolve/{revision}/`, the Hub's file URL layout.
 */
export function resolveSource(source: ModelSource | undefined, origin: string | undefined): ResolvedSource {
  if (source === undefined) return resolveSource(DEFAULT_MODEL_ID, origin);
  if (typeof source === 'string') return hub(source, DEFAULT_REVISION, DEFAULT_HUB_HOST);
  if ('url' in source) {
    const url = new URL(source.url.endsWith('/') ? source.url : `${source.url}/`, origin);
    return { id: source.url, revision: undefined, baseUrl: url.href };
  }
  return hub(source.hub, source.revision ?? DEFAULT_REVISION, source.host ?? DEFAULT_HUB_HOST);
}

function hub(id: string, revision: string, host: string): ResolvedSource {
  const base = host.endsWith('/') ? host : `${host}/`;
  return { id, revision, baseUrl: `${base}${id}/resolve/${encodeURIComponent(revision)}/` };
}
