import { EmbedError } from '../../core/errors.ts';
import { allocate } from '../download.ts';
import {
  CACHE_ROOT,
  emptyManifest,
  entryName,
  MANIFEST,
  parseManifest,
  type CacheManifest,
} from '../../core/cache-manifest.ts';
import { coalesced } from './coalesced.ts';
import type { CacheWriter, ModelCacheEntry } from './model-cache.ts';

/**
 * The model cache in the Origin Private File System, used from the worker: file bytes are
 * written chunk by chunk through synchronous access handles as they arrive (nothing buffered
 * twice) and read back straight into the one buffer onnxruntime receives. OPFS rather than Cache
 * Storage because a partial file can be resumed in place (see bench/archive/storage-memory.md).
 */
export async function openOpfsCache(
  key: string,
  id: string,
  revision: string | undefined,
  signal?: AbortSignal,
): Promise<ModelCacheEntry | undefined> {
  const { storage, locks } =
    (globalThis as { navigator?: { storage?: StorageManager; locks?: LockManager } }).navigator ?? {};
  if (!storage?.getDirectory) return undefined;
  // One load per model at a time, across tabs and workers: a second waits here until the first
  // has closed its files and written its manifest, then reads that manifest (a finished download
  // is not repeated). A worker that is terminated gives its lock back with it.
  const unlock = locks ? await holdLock(locks, `tabembed:model-cache:${key}`, signal) : () => undefined;
  try {
    return await openEntry(storage, key, id, revision, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

async function openEntry(
  storage: StorageManager,
  key: string,
  id: string,
  revision: string | undefined,
  unlock: () => void,
): Promise<ModelCacheEntry> {
  const root = await storage.getDirectory();
  const dir = await (
    await root.getDirectoryHandle(CACHE_ROOT, { create: true })
  ).getDirectoryHandle(entryName(key), { create: true });
  const manifest = (await readManifest(dir)) ?? emptyManifest(key, id, revision);
  // Nothing stored, nothing to remember: a load that fails before its first byte (a 404, a typo
  // in the model id) leaves no entry behind in the cached-models list.
  const stores = (): boolean => Object.keys(manifest.complete).length + Object.keys(manifest.partial).length > 0;
  const persist = (): Promise<void> =>
    stores()
      ? quotaGuard(() => writeManifest(dir, manifest), `the cache manifest of ${id}`)
      : dir.removeEntry(MANIFEST).catch(() => undefined);
  const save = coalesced(persist);

  const fileHandle = (path: string, create = false): Promise<FileSystemFileHandle> =>
    dir.getFileHandle(entryName(path), { create });

  async function readBytes(path: string, length?: number): Promise<Uint8Array | undefined> {
    const handle = await fileHandle(path).catch(() => undefined);
    if (!handle) return undefined;
    const access = await handle.createSyncAccessHandle();
    try {
      const size = Math.min(access.getSize(), length ?? Number.POSITIVE_INFINITY);
      const out = allocate(size, `cached ${path}`);
      if (access.read(out, { at: 0 }) !== size) return undefined;
      return out;
    } finally {
      access.close();
    }
  }

  return {
    knownStat: (path) => manifest.stats[path],
    async rememberStat(path, stat) {
      manifest.stats[path] = stat;
      await save();
    },
    isComplete: (path) => manifest.complete[path] !== undefined,
    async readComplete(path) {
      const record = manifest.complete[path];
      if (!record) return undefined;
      const bytes = await readBytes(path);
      return bytes ? { bytes, sha256: record.sha256 } : undefined;
    },
    async completeBlob(path) {
      const record = manifest.complete[path];
      const handle = record ? await fileHandle(path).catch(() => undefined) : undefined;
      return record && handle ? { blob: await handle.getFile(), sha256: record.sha256 } : undefined;
    },
    async readPartial(path, expected) {
      const started = manifest.partial[path];
      if (!started || started.size !== expected.size || started.sha256 !== expected.sha256) return undefined;
      return readBytes(path);
    },
    async writer(path, expected, resumeAt) {
      delete manifest.complete[path];
      manifest.partial[path] = expected;
      await save();
      const access = await (await fileHandle(path, true)).createSyncAccessHandle();
      access.truncate(resumeAt);
      return syncWriter(access, path, async (sha256) => {
        access.flush();
        delete manifest.partial[path];
        manifest.complete[path] = { size: access.getSize(), sha256, storedAt: Date.now() };
        await save();
      });
    },
    async discard(path) {
      delete manifest.complete[path];
      delete manifest.partial[path];
      await save();
      await dir.removeEntry(entryName(path)).catch(() => undefined);
    },
    release: () => save.settled().finally(unlock),
    async available() {
      const { quota, usage } = await storage.estimate();
      return quota === undefined || usage === undefined ? undefined : Math.max(0, quota - usage);
    },
  };
}

function syncWriter(
  access: FileSystemSyncAccessHandle,
  path: string,
  onCommit: (sha256: string) => Promise<void>,
): CacheWriter {
  let open = true;
  return {
    write(chunk, at) {
      return quotaGuard(() => {
        access.write(chunk, { at });
      }, `${path} (at byte ${at})`);
    },
    restart() {
      access.truncate(0);
    },
    commit: (sha256) => onCommit(sha256),
    close() {
      if (open) {
        open = false;
        access.flush();
        access.close();
      }
      return Promise.resolve();
    },
  };
}

/** Resolves once the exclusive Web Lock `name` is held, with the function that lets it go. */
function holdLock(locks: LockManager, name: string, signal: AbortSignal | undefined): Promise<() => void> {
  return new Promise((resolve, reject) => {
    locks
      .request(name, signal ? { signal } : {}, () => new Promise<void>((letGo) => resolve(() => letGo())))
      .catch(reject);
  });
}

/** Runs a storage write, turning the browser's QuotaExceededError into our coded error. */
async function quotaGuard(write: () => void | Promise<void>, what: string): Promise<void> {
  try {
    await write();
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'QuotaExceededError') {
      throw new EmbedError(
        'QUOTA_EXCEEDED',
        `the disk or this site's storage quota filled up while storing ${what}: free space, or delete cached models`,
        { cause },
      );
    }
    throw cause;
  }
}

async function readManifest(dir: FileSystemDirectoryHandle): Promise<CacheManifest | undefined> {
  const handle = await dir.getFileHandle(MANIFEST).catch(() => undefined);
  return handle ? parseManifest(await (await handle.getFile()).text()) : undefined;
}

async function writeManifest(dir: FileSystemDirectoryHandle, manifest: CacheManifest): Promise<void> {
  // createWritable writes a swap file and replaces the manifest on close: all or nothing.
  const writable = await (await dir.getFileHandle(MANIFEST, { create: true })).createWritable();
  await writable.write(JSON.stringify(manifest));
  await writable.close();
}
