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
import { withTimeout } from '../../core/with-timeout.ts';
import type { CacheWriter, ModelCacheEntry } from './model-cache.ts';

/**
 * How long one storage call may take before the cache is given up on. Calls here are local and
 * take milliseconds; one that has not answered in this time will not (Chromium has left OPFS
 * calls pending forever under load: model/blob-chunks.ts), and the load goes on without the
 * cache instead of waiting with it (model-files.ts).
 */
export const OPFS_TIMEOUT_MS = 30_000;

/**
 * The model cache in the Origin Private File System, used from the worker: file bytes are
 * written chunk by chunk through synchronous access handles as they arrive (nothing buffered
 * twice) and read back straight into the one buffer onnxruntime receives. OPFS rather than Cache
 * Storage because a partial file can be resumed in place (see bench/archive/storage-memory.md).
 * Every asynchronous storage call is time-boxed (`timeoutMs`, default OPFS_TIMEOUT_MS).
 */
export async function openOpfsCache(
  key: string,
  id: string,
  revision: string | undefined,
  options: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined } = {},
): Promise<ModelCacheEntry | undefined> {
  const { signal } = options;
  const timed: Timed = (call, what) => withTimeout(call, options.timeoutMs ?? OPFS_TIMEOUT_MS, `OPFS: ${what}`);
  const { storage, locks } =
    (globalThis as { navigator?: { storage?: StorageManager; locks?: LockManager } }).navigator ?? {};
  if (!storage?.getDirectory) return undefined;
  // One load per model at a time, across tabs and workers: a second waits here until the first
  // has closed its files and written its manifest, then reads that manifest (a finished download
  // is not repeated). A worker that is terminated gives its lock back with it.
  const unlock = locks ? await holdLock(locks, `tabembed:model-cache:${key}`, signal) : () => undefined;
  try {
    return await openEntry(storage, key, id, revision, unlock, timed);
  } catch (error) {
    unlock();
    throw error;
  }
}

/** A storage call, or a rejection naming `what` once it has taken too long. */
type Timed = <T>(call: Promise<T>, what: string) => Promise<T>;

async function openEntry(
  storage: StorageManager,
  key: string,
  id: string,
  revision: string | undefined,
  unlock: () => void,
  timed: Timed,
): Promise<ModelCacheEntry> {
  const root = await timed(storage.getDirectory(), 'opening the origin private file system');
  const models = await timed(root.getDirectoryHandle(CACHE_ROOT, { create: true }), `opening ${CACHE_ROOT}/`);
  const dir = await timed(models.getDirectoryHandle(entryName(key), { create: true }), `opening the entry of ${id}`);
  const manifestHandle = await timed(dir.getFileHandle(MANIFEST, { create: true }), `opening the manifest of ${id}`);
  // The manifest is written through a sync access handle held from here to release(): a write
  // is then a synchronous call of microseconds that nothing can leave pending. (It was a
  // createWritable swap file per write, which OPFS queued behind the open access handles of the
  // files being downloaded, over a second each on two busy cores.) The Web Lock makes this load
  // the entry's only writer; the page's cache list reads the manifest with getFile(), which no
  // access handle blocks.
  const manifestAccess = await timed(manifestHandle.createSyncAccessHandle(), `locking the manifest of ${id}`);
  let manifest: CacheManifest;
  try {
    manifest = readManifest(manifestAccess) ?? emptyManifest(key, id, revision);
  } catch (error) {
    manifestAccess.close();
    throw error;
  }
  const save = (): Promise<void> =>
    quotaGuard(() => writeManifest(manifestAccess, manifest), `the cache manifest of ${id}`);

  const fileHandle = (path: string, create = false): Promise<FileSystemFileHandle> =>
    timed(dir.getFileHandle(entryName(path), { create }), `opening ${path}`);
  // One createSyncAccessHandle call at a time. Asked for three at once (the tokenizer files and
  // the graph, which a load reads side by side), Chromium here left the third unanswered: in the
  // demo spec that loads a second dtype, the graph's call never returned in 3 runs of 3 (CI r18,
  // r19 and locally, until the 30 s limit), and the load hangs CI saw before limits existed
  // stopped at the same place. One at a time: 5 runs of 5, the slowest call 0.7 s.
  let opening: Promise<unknown> = Promise.resolve();
  const accessHandle = (handle: FileSystemFileHandle, path: string): Promise<FileSystemSyncAccessHandle> => {
    const next = opening.then(() => timed(handle.createSyncAccessHandle(), `locking ${path}`));
    opening = next.catch(() => undefined);
    return next;
  };

  async function readBytes(path: string, length?: number): Promise<Uint8Array | undefined> {
    const handle = await fileHandle(path).catch(() => undefined);
    if (!handle) return undefined;
    const access = await accessHandle(handle, path);
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
      return record && handle
        ? { blob: await timed(handle.getFile(), `reading ${path}`), sha256: record.sha256 }
        : undefined;
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
      const access = await accessHandle(await fileHandle(path, true), path);
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
      await timed(dir.removeEntry(entryName(path)), `deleting ${path}`).catch(() => undefined);
    },
    async release() {
      try {
        manifestAccess.close();
        // Nothing stored, nothing to remember: a load that failed before its first byte (a 404,
        // a typo in the model id) leaves no entry behind in the cached-models list.
        if (Object.keys(manifest.complete).length + Object.keys(manifest.partial).length === 0)
          await timed(dir.removeEntry(MANIFEST), `deleting the empty manifest of ${id}`).catch(() => undefined);
      } finally {
        unlock();
      }
    },
    async available() {
      const { quota, usage } = await timed(storage.estimate(), 'asking for the storage estimate');
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
        // Closed even when the flush fails, so the file is not left locked for the next load.
        try {
          access.flush();
        } finally {
          access.close();
        }
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

function readManifest(access: FileSystemSyncAccessHandle): CacheManifest | undefined {
  const bytes = new Uint8Array(access.getSize());
  access.read(bytes, { at: 0 });
  return bytes.length === 0 ? undefined : parseManifest(new TextDecoder().decode(bytes));
}

/**
 * Not all or nothing: a tab killed between the write and the truncate leaves JSON with a tail,
 * which parseManifest refuses, so the entry reads as empty and its files are fetched again. What
 * is stored is never served on a torn record: every file is checked against its sha256.
 */
function writeManifest(access: FileSystemSyncAccessHandle, manifest: CacheManifest): void {
  const bytes = new TextEncoder().encode(JSON.stringify(manifest));
  access.write(bytes, { at: 0 });
  access.truncate(bytes.length);
  access.flush();
}
