import { blobSource } from './blob-source.ts';
import { openOpfsCache } from './cache/opfs-cache.ts';
import type { ModelFileReader } from './file-reader.ts';
import { httpSource } from './http-source.ts';
import { modelFiles } from './model-files.ts';
import { packAware } from './packed-source.ts';
import type { ResolvedSource } from './model-source.ts';

/**
 * The files of a model in the browser worker: the user's own files as they are, anything over
 * HTTP through the OPFS cache (when the browser offers OPFS and the caller did not opt out).
 */
export async function browserModelFiles(
  source: ResolvedSource,
  useCache: boolean,
  options: { idleTimeoutMs?: number | undefined; signal?: AbortSignal } = {},
): Promise<{ files: ModelFileReader; cached: boolean }> {
  const { idleTimeoutMs, signal } = options;
  if (source.kind === 'local') return { files: modelFiles(blobSource(source.files)), cached: false };
  // No OPFS (old browser, some private modes), or storage that does not answer: load without a
  // cache rather than fail. A storage call is given as long as a silent request (idleTimeoutMs).
  const cache = useCache
    ? await openOpfsCache(source.cacheKey, source.id, source.revision, { signal, timeoutMs: idleTimeoutMs }).catch(
        () => undefined,
      )
    : undefined;
  const http = httpSource(source.baseUrl, {
    ...(source.treeUrl ? { treeUrl: source.treeUrl } : {}),
    ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
  });
  // A Hub repo has its listing for sizes and sha256s; a plain folder may carry a pack manifest.
  return { files: modelFiles(source.treeUrl ? http : packAware(http), cache), cached: cache !== undefined };
}
