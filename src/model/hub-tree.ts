import type { FileStat } from '../core/file-stat.ts';
import { isRecord } from '../core/is-record.ts';

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
    const entries: unknown = await response.json();
    if (!Array.isArray(entries)) return undefined;
    const files = new Map<string, FileStat>();
    // Each entry: { type: 'file', path, size, lfs?: { oid, size } }; anything else is skipped.
    for (const entry of entries) {
      if (!isRecord(entry) || entry['type'] !== 'file' || typeof entry['path'] !== 'string') continue;
      const lfs = isRecord(entry['lfs']) ? entry['lfs'] : {};
      const size = lfs['size'] ?? entry['size'];
      const oid = lfs['oid'];
      files.set(entry['path'], {
        size: typeof size === 'number' ? size : undefined,
        sha256: typeof oid === 'string' && /^[0-9a-f]{64}$/.test(oid) ? oid : undefined,
      });
    }
    return files;
  } catch {
    if (signal?.aborted) throw signal.reason;
    return undefined;
  }
}
