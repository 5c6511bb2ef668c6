import { createSHA256, sha256 as sha256Hex } from 'hash-wasm';
import { blobChunks } from './blob-chunks.ts';
import { EmbedError } from '../core/errors.ts';
import type { CacheWriter, ModelCacheEntry } from './cache/model-cache.ts';
import { downloadFile, type DownloadSink } from './download.ts';
import type { FileProgress, FilePlan, ModelFileReader, ReadOptions } from './file-reader.ts';
import type { FileStat } from '../core/file-stat.ts';
import type { FileSource } from './file-source.ts';
import { checkQuota } from './quota.ts';

/**
 * The engine's view of a model repo: a `FileSource` (network, local files, disk), optionally
 * backed by a cache entry. With a cache, a file is read from storage when it is complete and
 * its bytes still hash to what was recorded; otherwise it is downloaded (resuming a partial
 * file), streamed into storage as it arrives, verified, and only then recorded complete. A
 * corrupt cached file is discarded and fetched again, never served. Storage that fails or stops
 * answering is left out of the rest of the load, which goes on from the source: the cache saves
 * time, and losing it must not cost the load. (A write that fails mid-download starts that file
 * again from the source into memory; what was written stays a partial file the next load resumes.)
 */
export function modelFiles(source: FileSource, entry?: ModelCacheEntry): ModelFileReader {
  const stats = new Map<string, FileStat | null>();
  /** The cache while its storage works. */
  let cache = entry;

  /**
   * `use(cache)`, or `otherwise` without a cache. A failure of the storage itself (a DOMException,
   * a call that timed out) leaves the cache out from then on and `otherwise` stands in; our own
   * coded errors (QUOTA_EXCEEDED) are the caller's to see.
   */
  async function withCache<T>(use: (cache: ModelCacheEntry) => Promise<T>, otherwise: T): Promise<T> {
    if (!cache) return otherwise;
    try {
      return await use(cache);
    } catch (error) {
      if (error instanceof EmbedError) throw error;
      cache = undefined;
      return otherwise;
    }
  }

  async function stat(path: string, signal?: AbortSignal): Promise<FileStat | null> {
    const known = stats.has(path) ? stats.get(path) : cache?.knownStat(path);
    if (known !== undefined) return known;
    return freshStat(path, signal);
  }

  async function fromCache(path: string, expected: FileStat): Promise<Uint8Array | undefined> {
    const cached = await withCache(
      async (c) => (c.isComplete(path) ? await c.readComplete(path) : undefined),
      undefined,
    );
    if (!cached) return undefined;
    const sizeOk = expected.size === undefined || cached.bytes.length === expected.size;
    const shaOk =
      (await sha256Hex(cached.bytes)) === cached.sha256 &&
      (expected.sha256 === undefined || expected.sha256 === cached.sha256);
    if (sizeOk && shaOk) return cached.bytes;
    await withCache((c) => c.discard(path), undefined); // truncated, zero-filled, bit-flipped or stale: fetch again
    return undefined;
  }

  /** Asks the source again, replacing what was remembered (the file may have changed since). */
  async function freshStat(path: string, signal?: AbortSignal): Promise<FileStat | null> {
    const fresh = (await source.stat(path, signal)) ?? null;
    stats.set(path, fresh);
    await withCache((c) => c.rememberStat(path, fresh), undefined);
    return fresh;
  }

  /**
   * The cache writer as a download's sink. A write the storage fails (an I/O error: Chromium's
   * InvalidStateError) leaves the cache out like any storage failure and stops the download
   * (StorageLost); our own coded errors (QUOTA_EXCEEDED) pass on to the caller.
   */
  function cacheSink(writer: CacheWriter, path: string): DownloadSink {
    const guard = async (step: () => void | Promise<void>): Promise<void> => {
      const done = await withCache(async () => {
        await step();
        return true;
      }, false);
      if (!done) throw new StorageLost(`the cache's storage failed while ${path} was written`);
    };
    return { write: (chunk, at) => guard(() => writer.write(chunk, at)), restart: () => guard(() => writer.restart()) };
  }

  /**
   * Closes a writer even when the cache was left out, so its file is not left locked; a close
   * that fails leaves the cache out too (what was written is checked against its sha256 when resumed).
   */
  async function close(writer: CacheWriter | undefined): Promise<void> {
    try {
      await writer?.close();
    } catch {
      cache = undefined;
    }
  }

  /**
   * One download of `path` as `stat` describes it, into the cache when there is one, from the
   * partial file when `resume`; with `keep` false the bytes stay only in the cache, and none come
   * back unless the cache was lost on the way. Storage that fails under the download leaves the
   * cache out, and the file comes again from byte 0 into memory: its bytes so far were only there.
   */
  async function attempt(
    path: string,
    stat: FileStat,
    resume: boolean,
    keep: boolean,
    signal: AbortSignal | undefined,
    onProgress: ((p: FileProgress) => void) | undefined,
  ): Promise<Uint8Array<ArrayBuffer> | undefined> {
    const prefix = resume ? await withCache((c) => c.readPartial(path, stat), undefined) : undefined;
    const writer = await withCache<CacheWriter | undefined>(
      (c) => c.writer(path, stat, prefix?.length ?? 0),
      undefined,
    );
    try {
      const { bytes, sha256 } = await downloadFile(source, path, {
        expected: stat,
        keep: keep || !writer,
        ...(prefix ? { prefix } : {}),
        ...(writer ? { sink: cacheSink(writer, path) } : {}),
        ...(signal ? { signal } : {}),
        onBytes: (loaded, total) => onProgress?.({ file: path, loaded, total, fromCache: false }),
      });
      await withCache(async () => writer?.commit(sha256), undefined);
      return bytes;
    } catch (error) {
      if (!(error instanceof StorageLost)) throw error;
    } finally {
      await close(writer);
    }
    return attempt(path, stat, false, keep, signal, onProgress);
  }

  /** Downloads `path`, resuming a partial file; once more from byte 0 when what arrived is not the file. */
  async function download(
    path: string,
    expected: FileStat,
    signal: AbortSignal | undefined,
    onProgress: ((p: FileProgress) => void) | undefined,
    keep: boolean,
  ): Promise<Uint8Array<ArrayBuffer> | undefined> {
    try {
      return await attempt(path, expected, true, keep, signal, onProgress);
    } catch (error) {
      if (!(error instanceof EmbedError && error.code === 'MODEL_INTEGRITY_FAILED')) throw error;
      // Corrupt in transit, a bad partial file, or a file that changed since its size and hash
      // were remembered (a moving branch, a regenerated fixture): ask the source what the file
      // is now, then one fresh download from byte 0.
      await withCache((c) => c.discard(path), undefined);
      const now = (await freshStat(path, signal)) ?? expected;
      return attempt(path, now, false, keep, signal, onProgress);
    }
  }

  async function expectedStat(path: string, signal: AbortSignal | undefined): Promise<FileStat> {
    const expected = (await stat(path, signal)) ?? undefined;
    if (!expected) throw new EmbedError('MODEL_FILE_MISSING', `${source.locate(path)} was not found`);
    return expected;
  }

  async function bytes(path: string, options: ReadOptions = {}): Promise<Uint8Array> {
    const expected = await expectedStat(path, options.signal);
    const cached = await fromCache(path, expected);
    if (cached) {
      options.onProgress?.({ file: path, loaded: cached.length, total: cached.length, fromCache: true });
      return cached;
    }
    const downloaded = await download(path, expected, options.signal, options.onProgress, true);
    if (!downloaded) throw new Error(`unreachable: a download of ${path} kept no bytes`);
    return downloaded;
  }

  /** A stored file still as recorded: the size, and the sha256 hashed again as it is read from disk. */
  async function verifiedBlob(cache: ModelCacheEntry, path: string, expected: FileStat): Promise<Blob | undefined> {
    const cached = cache.isComplete(path) ? await cache.completeBlob(path) : undefined;
    if (!cached) return undefined;
    const sizeOk = expected.size === undefined || cached.blob.size === expected.size;
    const shaOk =
      sizeOk &&
      (await sha256OfBlob(cached.blob, source.locate(path))) === cached.sha256 &&
      (expected.sha256 === undefined || expected.sha256 === cached.sha256);
    if (shaOk) return cached.blob;
    await cache.discard(path);
    return undefined;
  }

  async function blob(path: string, options: ReadOptions = {}): Promise<Blob | undefined> {
    const expected = await expectedStat(path, options.signal);
    const report = (file: Blob): Blob => {
      options.onProgress?.({ file: path, loaded: file.size, total: file.size, fromCache: true });
      return file;
    };
    const own = await source.blob?.(path);
    if (own) return report(own);
    const cached = await withCache((c) => verifiedBlob(c, path, expected), undefined);
    if (cached) return report(cached);
    if (!cache) return undefined; // none, or lost: the caller reads bytes
    const bytes = await download(path, expected, options.signal, options.onProgress, false);
    // Bytes come back only when the cache was lost on the way.
    if (bytes) return new Blob([bytes]);
    return withCache(async (c) => (await c.completeBlob(path))?.blob, undefined);
  }

  return {
    locate: (path) => source.locate(path),
    bytes,
    blob,
    // The entry, even when its storage was left out: its lock is let go all the same.
    release: () => entry?.release() ?? Promise.resolve(),
    async exists(path, signal) {
      return (await stat(path, signal)) !== null;
    },
    async plan(paths, signal, check) {
      const entries = await Promise.all(paths.map(async (path) => [path, await stat(path, signal)] as const));
      const missing = entries.filter(([, s]) => s === null).map(([path]) => path);
      if (missing.length > 0) {
        throw new EmbedError(
          'MODEL_FILE_MISSING',
          `${missing.map((p) => source.locate(p)).join(', ')} not found${missing.some((p) => p.includes('_data')) ? ': the export needs its external data file(s) next to the .onnx graph' : ''}`,
        );
      }
      const sizes = entries.map(([path, s]) => ({ path, size: s?.size, cached: cache?.isComplete(path) === true }));
      const plan: FilePlan = {
        totalBytes: sizes.reduce((sum, f) => sum + (f.size ?? 0), 0),
        sizes: new Map(sizes.map((f) => [f.path, f.size])),
      };
      check?.(plan);
      if (cache) {
        const needed = sizes.filter((f) => !f.cached).reduce((sum, f) => sum + (f.size ?? 0), 0);
        checkQuota(needed, await withCache((c) => c.available(), undefined));
      }
      return plan;
    },
    async json(path, signal) {
      const text = new TextDecoder().decode(await bytes(path, signal ? { signal } : {}));
      try {
        return JSON.parse(text) as unknown;
      } catch (cause) {
        throw new EmbedError(
          'MODEL_CONFIG_INVALID',
          `${source.locate(path)} is not JSON (starts with ${JSON.stringify(text.slice(0, 30))})`,
          { cause },
        );
      }
    },
  };
}

async function sha256OfBlob(blob: Blob, where: string): Promise<string> {
  const hasher = await createSHA256();
  hasher.init();
  for await (const chunk of blobChunks(blob, { what: where })) hasher.update(chunk);
  return hasher.digest('hex');
}

/** A download stopped because the cache's storage failed under it; modelFiles starts it again without the cache. */
class StorageLost extends Error {}
