import { CACHE_ROOT, MANIFEST, parseManifest } from '../core/cache-manifest.ts';

/** A model in the cache, as `listCachedModels()` reports it. */
export interface CachedModel {
  /** Pass to `deleteCachedModel`. */
  key: string;
  id: string;
  revision: string | undefined;
  /** Bytes of complete files. */
  bytes: number;
  files: { path: string; size: number }[];
  /** Interrupted downloads that a later load resumes. */
  partialFiles: string[];
}

async function cacheRoot(): Promise<FileSystemDirectoryHandle | undefined> {
  const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
  if (!storage?.getDirectory) return undefined;
  return (await storage.getDirectory()).getDirectoryHandle(CACHE_ROOT, { create: true });
}

/** Every cached model with its size; works from the page or a worker (async OPFS API only). */
export async function listCachedModels(): Promise<CachedModel[]> {
  const root = await cacheRoot();
  if (!root) return [];
  const models: CachedModel[] = [];
  for await (const [name, handle] of root.entries()) {
    if (handle.kind !== 'directory') continue;
    const file = await handle.getFileHandle(MANIFEST).catch(() => undefined);
    const manifest = file ? parseManifest(await (await file.getFile()).text()) : undefined;
    if (!manifest) continue;
    const files = Object.entries(manifest.complete).map(([path, record]) => ({ path, size: record.size }));
    models.push({
      key: decodeURIComponent(name),
      id: manifest.id,
      revision: manifest.revision,
      bytes: files.reduce((sum, f) => sum + f.size, 0),
      files,
      partialFiles: Object.keys(manifest.partial),
    });
  }
  return models;
}

/** Removes one cached model's files; resolves false when there was none under `key`. */
export async function deleteCachedModel(key: string): Promise<boolean> {
  const root = await cacheRoot();
  if (!root) return false;
  try {
    await root.removeEntry(encodeURIComponent(key), { recursive: true });
    return true;
  } catch {
    return false;
  }
}
