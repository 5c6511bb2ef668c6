import { createSHA256, sha256 as sha256Hex } from 'hash-wasm';
import { EmbedError } from '../core/errors.ts';
import type { CacheWriter, ModelCacheEntry } from './cache/model-cache.ts';
import { downloadFile } from './download.ts';
import type { FileProgress, FilePlan, ModelFileReader, ReadOptions } from './file-reader.ts';
import type { FileStat } from '../core/file-stat.ts';
import type { FileSource } from './file-source.ts';
import { checkQuota } from './quota.ts';

/**
 * The engine's view of a model repo: a `FileSource` (network, local files, disk), optionally
 * backed by a cache entry. With a cache, a file is read from storage when it is complete and
 * its bytes still hash to what was recorded; otherwise it is downloaded (resuming a partial
 * file), streamed into storage as it arrives, verified, and only then recorded complete. A
 * corrupt cached file is discarded and fetched again, never served.
 */
export function modelFiles(source: FileSource, cache?: ModelCacheEntry): ModelFileReader {
  const stats = new Map<string, FileStat | null>();

  async function stat(path: string, signal?: AbortSignal): Promise<FileStat | null> {
    const known = stats.has(path) ? stats.get(path) : cache?.knownStat(path);
    if (known !== undefined) return known;
    return freshStat(path, signal);
  }

  async function fromCache(path: string, expected: FileStat): Promise<Uint8Array | undefined> {
    const cached = cache?.isComplete(path) ? await cache.readComplete(path) : undefined;
    if (!cached) return undefined;
    const sizeOk = expected.size === undefined || cached.bytes.length === expected.size;
    const shaOk =
      (await sha256Hex(cached.bytes)) === cached.sha256 &&
      (expected.sha256 === undefined || expected.sha256 === cached.sha256);
    if (sizeOk && shaOk) return cached.bytes;
    await cache?.discard(path); // truncated, zero-filled, bit-flipped or stale: fetch again
    return undefined;
  }

  /** Asks the source again, replacing what was remembered (the file may have changed since). */
  async function freshStat(path: string, signal?: AbortSignal): Promise<FileStat | null> {
    const fresh = (await source.stat(path, signal)) ?? null;
    stats.set(path, fresh);
    await cache?.rememberStat(path, fresh);
    return fresh;
  }

  /** Downloads into the cache (when there is one); with `keep` false the bytes stay only there. */
  async function download(
    path: string,
    expected: FileStat,
    signal: AbortSignal | undefined,
    onProgress: ((p: FileProgress) => void) | undefined,
    keep: boolean,
  ): Promise<Uint8Array | undefined> {
    const prefix = await cache?.readPartial(path, expected);
    let writer: CacheWriter | undefined = await cache?.writer(path, expected, prefix?.length ?? 0);
    const onBytes = (loaded: number, total: number | undefined): void =>
      onProgress?.({ file: path, loaded, total, fromCache: false });
    try {
      let result;
      try {
        result = await downloadFile(source, path, {
          expected,
          keep,
          ...(prefix ? { prefix } : {}),
          ...(writer ? { sink: writer } : {}),
          ...(signal ? { signal } : {}),
          onBytes,
        });
      } catch (error) {
        if (!(error instanceof EmbedError && error.code === 'MODEL_INTEGRITY_FAILED')) throw error;
        // Corrupt in transit, a bad partial file, or a file that changed since its size and hash
        // were remembered (a moving branch, a regenerated fixture): ask the source what the file
        // is now, then one fresh download from byte 0.
        await writer?.close();
        await cache?.discard(path);
        const now = (await freshStat(path, signal)) ?? expected;
        writer = await cache?.writer(path, now, 0);
        result = await downloadFile(source, path, {
          expected: now,
          keep,
          ...(writer ? { sink: writer } : {}),
          ...(signal ? { signal } : {}),
          onBytes,
        });
      }
      await writer?.commit(result.sha256);
      return result.bytes;
    } finally {
      await writer?.close();
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

  /** A stored file still as recorded: the size, and the sha256 hashed again as it streams from disk. */
  async function verifiedBlob(path: string, expected: FileStat): Promise<Blob | undefined> {
    const cached = cache?.isComplete(path) ? await cache.completeBlob(path) : undefined;
    if (!cached) return undefined;
    const sizeOk = expected.size === undefined || cached.blob.size === expected.size;
    const shaOk =
      sizeOk &&
      (await sha256OfBlob(cached.blob)) === cached.sha256 &&
      (expected.sha256 === undefined || expected.sha256 === cached.sha256);
    if (shaOk) return cached.blob;
    await cache?.discard(path);
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
    if (!cache) return undefined;
    const cached = await verifiedBlob(path, expected);
    if (cached) return report(cached);
    await download(path, expected, options.signal, options.onProgress, false);
    return (await cache.completeBlob(path))?.blob;
  }

  return {
    locate: (path) => source.locate(path),
    bytes,
    blob,
    release: () => cache?.release() ?? Promise.resolve(),
    async exists(path, signal) {
      return (await stat(path, signal)) !== null;
    },
    async plan(paths, signal) {
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
      if (cache) {
        const needed = sizes.filter((f) => !f.cached).reduce((sum, f) => sum + (f.size ?? 0), 0);
        checkQuota(needed, await cache.available());
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

async function sha256OfBlob(blob: Blob): Promise<string> {
  const hasher = await createSHA256();
  hasher.init();
  const reader = blob.stream().getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) hasher.update(chunk.value);
  return hasher.digest('hex');
}
