import { EmbedError } from '../core/errors.ts';
import { DEFAULT_MODEL_ID } from '../core/model-text.ts';
import type { LocalModelFile, ModelSource } from '../core/types.ts';

export { DEFAULT_MODEL_ID };
/**
 * The default model's commit, pinned: a branch moves, and a model that changed underneath would
 * silently alter every vector while an index still reported the same model name.
 */
export const DEFAULT_MODEL_REVISION = 'c25a394dd583836952667c12f008335071b3f43d';
/** Any other Hub repo without an explicit revision follows its main branch. */
export const DEFAULT_REVISION = 'main';
export const DEFAULT_HUB_HOST = 'https://huggingface.co';

/** A model source reduced to where its files are, plus what `info()` reports and the cache key. */
export type ResolvedSource =
  | { kind: 'http'; id: string; revision: string | undefined; baseUrl: string; cacheKey: string; treeUrl?: string }
  | { kind: 'local'; id: string; revision: undefined; files: readonly LocalModelFile[] };

/**
 * Resolves a `ModelSource` against `origin` (the page's location, for relative URLs). Hub ids
 * become `{host}/{id}/resolve/{revision}/`, the Hub's file URL layout.
 */
export function resolveSource(source: ModelSource | undefined, origin: string | undefined): ResolvedSource {
  if (source === undefined) return hub(DEFAULT_MODEL_ID, DEFAULT_MODEL_REVISION, DEFAULT_HUB_HOST);
  if (typeof source === 'string')
    return hub(source, source === DEFAULT_MODEL_ID ? DEFAULT_MODEL_REVISION : DEFAULT_REVISION, DEFAULT_HUB_HOST);
  if ('files' in source) return { kind: 'local', id: 'local files', revision: undefined, files: source.files };
  if ('url' in source) {
    const url = new URL(source.url.endsWith('/') ? source.url : `${source.url}/`, origin);
    return { kind: 'http', id: source.url, revision: undefined, baseUrl: url.href, cacheKey: url.href };
  }
  const revision = source.revision ?? (source.hub === DEFAULT_MODEL_ID ? DEFAULT_MODEL_REVISION : DEFAULT_REVISION);
  return hub(source.hub, revision, source.host ?? DEFAULT_HUB_HOST);
}

/** A Hub model id: `owner/name` or a bare legacy `name`, each part letters, digits, `.`, `_`, `-`. */
export function isHubId(id: string): boolean {
  return /^(?:[A-Za-z0-9][\w.-]{0,95}\/)?[A-Za-z0-9][\w.-]{0,95}$/.test(id) && !id.includes('..') && !id.includes('--');
}

function hub(id: string, revision: string, host: string): ResolvedSource {
  if (!isHubId(id)) {
    throw new EmbedError(
      'INVALID_OPTION',
      `${JSON.stringify(id)} is not a Hub model id (owner/name, e.g. ${DEFAULT_MODEL_ID}); give a model folder as { url } or { files }`,
    );
  }
  const template = host.includes('{') ? host : `${host.replace(/\/+$/, '')}/{model}/resolve/{revision}/`;
  const filled = template.replaceAll('{model}', id).replaceAll('{revision}', encodeURIComponent(revision));
  const baseUrl = filled.endsWith('/') ? filled : `${filled}/`;
  // The listing API exists on the Hub and on hosts that mirror its URL shape, not behind templates.
  const treeUrl = host.includes('{')
    ? undefined
    : `${host.replace(/\/+$/, '')}/api/models/${id}/tree/${encodeURIComponent(revision)}?recursive=true`;
  return { kind: 'http', id, revision, baseUrl, cacheKey: baseUrl, ...(treeUrl ? { treeUrl } : {}) };
}
