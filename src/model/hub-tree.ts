import type { FileStat } from './file-source.ts';

interface TreeEntry {
  type?: string;
  path?: string;
  size?: number;
  lfs?: { oid?: string; size?: number };
}

/**
 * The Hub's listing of a repo at a revision (`/api/models/{id}/tree/{revision}?recursive=true`):
 * every file's size and, for LFS files (the .onnx weights), the sha256 the Hub computed at upload.
 * One request replaces a HEAD per file, and it is where the sha256 is reliably readable: on
 * `resolve/` the X-Linked-Etag sits on the redirect, which fetch follows without showing it.
 * Undefined when the host has no such API (mirrors, CDNs): callers fall back to HEAD.
 */
export async function fetchHubTree(
  treeUrl: string,
  fetchImpl: typeof fetch,
  signal?: AbortSignal,
): Promise<Map<string, FileStat> | undefined> {
  try {
    const response = await fetchImpl(treeUrl, { cache: 'no-store', signal: signal ?? null });
    if (!response.ok) return undefined;
    const entries = (await response.json()) as unknown;
    if (!Array.isArray(entries)) return undefined;
    const files = new Map<string, FileStat>();
    for (const entry of entries as TreeEntry[]) {
      if (entry.type !== 'file' || typeof entry.path !== 'string') continue;
      const oid = entry.lfs?.oid;
      files.set(entry.path, {
        size: entry.lfs?.size ?? entry.size,
        sha256: typeof oid === 'string' && /^[0-9a-f]{64}$/.test(oid) ? oid : undefined,
      });
    }
    return files;
  } catch {
    if (signal?.aborted) throw signal.reason;
    return undefined;
  }
}
