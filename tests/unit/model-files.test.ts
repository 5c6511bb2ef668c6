/**
 * modelFiles over an in-test FileSource (a plain object over in-memory files that counts the
 * calls it gets) and an in-memory ModelCacheEntry with the same bookkeeping as the OPFS one
 * (complete files with their sha256, partial files with the stat they were started for). The
 * OPFS implementation itself is covered by the Playwright specs.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import type { CachedFile, CacheWriter, ModelCacheEntry } from '../../src/model/cache/model-cache.ts';
import type { FileProgress } from '../../src/model/file-reader.ts';
import type { FileStat } from '../../src/core/file-stat.ts';
import type { ByteStream, FileSource } from '../../src/model/file-source.ts';
import { modelFiles } from '../../src/model/model-files.ts';

const MODEL = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919 + (i >> 8)) % 256);
const DATA = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 31) % 256);
const CONFIG = new TextEncoder().encode('{"model_type":"qwen3","hidden_size":64}');

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

interface CountingSource extends FileSource {
  stats: string[];
  /** `path@offset` for every open. */
  opens: string[];
}

/** In-memory repo; `withSha` publishes each file's sha256 in its stat, as the Hub does for LFS files. */
function memorySource(files: Record<string, Uint8Array>, withSha = false): CountingSource {
  const source: CountingSource = {
    stats: [],
    opens: [],
    locate: (path) => `memory:/${path}`,
    stat(path) {
      source.stats.push(path);
      const file = files[path];
      return Promise.resolve(file ? { size: file.length, sha256: withSha ? sha(file) : undefined } : undefined);
    },
    open(path, { offset = 0 } = {}): Promise<ByteStream> {
      source.opens.push(`${path}@${offset}`);
      const found = files[path];
      if (!found) return Promise.reject(new EmbedError('MODEL_FILE_MISSING', `${path} missing`));
      const file: Uint8Array = found;
      async function* chunks(): AsyncIterable<Uint8Array> {
        for (let at = offset; at < file.length; at += 16_384) {
          await Promise.resolve();
          yield file.slice(at, at + 16_384);
        }
      }
      return Promise.resolve({ start: offset, size: file.length, chunks: chunks() });
    },
  };
  return source;
}

/** The ModelCacheEntry contract held in Maps; `log` records the discards. */
class MemoryCache implements ModelCacheEntry {
  readonly stats = new Map<string, FileStat | null>();
  readonly complete = new Map<string, CachedFile>();
  readonly partial = new Map<string, { expected: FileStat; bytes: Uint8Array }>();
  readonly log: string[] = [];

  constructor(private readonly space: number | undefined = undefined) {}

  knownStat(path: string): FileStat | null | undefined {
    return this.stats.get(path);
  }
  rememberStat(path: string, stat: FileStat | null): Promise<void> {
    this.stats.set(path, stat);
    return Promise.resolve();
  }
  readComplete(path: string): Promise<CachedFile | undefined> {
    return Promise.resolve(this.complete.get(path));
  }
  completeBlob(path: string): Promise<{ blob: Blob; sha256: string } | undefined> {
    const file = this.complete.get(path);
    return Promise.resolve(
      file ? { blob: new Blob([file.bytes as Uint8Array<ArrayBuffer>]), sha256: file.sha256 } : undefined,
    );
  }
  isComplete(path: string): boolean {
    return this.complete.has(path);
  }
  readPartial(path: string, expected: FileStat): Promise<Uint8Array | undefined> {
    const started = this.partial.get(path);
    const same = started && started.expected.size === expected.size && started.expected.sha256 === expected.sha256;
    return Promise.resolve(same ? started.bytes.slice() : undefined);
  }
  writer(path: string, expected: FileStat, resumeAt: number): Promise<CacheWriter> {
    this.complete.delete(path);
    const kept = (this.partial.get(path)?.bytes ?? new Uint8Array(0)).slice(0, resumeAt);
    const entry = { expected, bytes: kept };
    this.partial.set(path, entry);
    return Promise.resolve({
      write: (chunk, at) => {
        const grown = new Uint8Array(Math.max(entry.bytes.length, at + chunk.length));
        grown.set(entry.bytes);
        grown.set(chunk, at);
        entry.bytes = grown;
      },
      restart: () => {
        entry.bytes = new Uint8Array(0);
      },
      commit: (sha256) => {
        this.partial.delete(path);
        this.complete.set(path, { bytes: entry.bytes, sha256 });
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    });
  }
  discard(path: string): Promise<void> {
    this.log.push(`discard ${path}`);
    this.complete.delete(path);
    this.partial.delete(path);
    return Promise.resolve();
  }
  available(): Promise<number | undefined> {
    return Promise.resolve(this.space);
  }
  release(): Promise<void> {
    return Promise.resolve();
  }
}

function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(actual, expected)).toBe(0);
}

async function blobBytes(blob: Blob | undefined): Promise<Uint8Array> {
  if (!blob) throw new Error('no Blob came back');
  return new Uint8Array(await blob.arrayBuffer());
}

describe('modelFiles with a cache: reading a file as a Blob on disk', () => {
  it('downloads into the cache without keeping the bytes, then serves the stored file, with zero source calls next time', async () => {
    const source = memorySource({ 'onnx/model.onnx': MODEL }, true);
    const cache = new MemoryCache();
    const progress: FileProgress[] = [];
    expectBytes(
      await blobBytes(await modelFiles(source, cache).blob('onnx/model.onnx', { onProgress: (p) => progress.push(p) })),
      MODEL,
    );
    expect(progress.at(-1)).toEqual({ file: 'onnx/model.onnx', loaded: 100_000, total: 100_000, fromCache: false });
    expect(cache.complete.get('onnx/model.onnx')?.sha256).toBe(sha(MODEL));
    expectBytes(await blobBytes(await modelFiles(source, cache).blob('onnx/model.onnx')), MODEL);
    expect(source.opens).toEqual(['onnx/model.onnx@0']);
  });

  it.each([
    ['zero-filled', new Uint8Array(MODEL.length)],
    ['truncated', MODEL.slice(0, 60_000)],
    ['one bit flipped', Uint8Array.from(MODEL, (b, i) => (i === 77_777 ? b ^ 1 : b))],
  ])('hashes a stored file again and downloads it anew when it no longer matches (%s)', async (_kind, stored) => {
    const source = memorySource({ 'onnx/model.onnx': MODEL });
    const cache = new MemoryCache();
    cache.stats.set('onnx/model.onnx', { size: MODEL.length, sha256: undefined });
    cache.complete.set('onnx/model.onnx', { bytes: stored, sha256: sha(MODEL) });
    expectBytes(await blobBytes(await modelFiles(source, cache).blob('onnx/model.onnx')), MODEL);
    expect(cache.log).toEqual(['discard onnx/model.onnx']);
    expect(source.opens).toEqual(['onnx/model.onnx@0']);
  });

  it('gives no Blob without a cache, so the caller reads bytes', async () => {
    expect(await modelFiles(memorySource({ 'onnx/model.onnx': MODEL })).blob('onnx/model.onnx')).toBeUndefined();
  });

  it('reports a file the source does not have as MODEL_FILE_MISSING', async () => {
    await expect(modelFiles(memorySource({}), new MemoryCache()).blob('onnx/model.onnx')).rejects.toThrow(
      expect.objectContaining({ code: 'MODEL_FILE_MISSING' }),
    );
  });
});

/**
 * A cache whose storage breaks at `failing` (one of its methods): that call rejects the way OPFS
 * does (a DOMException) or the way a timed-out call does (a plain Error); `calls` counts every
 * call made to the cache afterwards.
 */
class BrokenCache extends MemoryCache {
  calls = 0;
  constructor(
    private readonly failing:
      'readComplete' | 'completeBlob' | 'writer' | 'write' | 'commit' | 'close' | 'rememberStat',
    private readonly failure: Error = new DOMException('storage failed', 'InvalidStateError'),
  ) {
    super();
  }
  private after<T>(name: string, call: () => Promise<T>): Promise<T> {
    this.calls++;
    return name === this.failing ? Promise.reject(this.failure) : call();
  }
  override readComplete(path: string): Promise<CachedFile | undefined> {
    return this.after('readComplete', () => super.readComplete(path));
  }
  override completeBlob(path: string): Promise<{ blob: Blob; sha256: string } | undefined> {
    return this.after('completeBlob', () => super.completeBlob(path));
  }
  override rememberStat(path: string, stat: FileStat | null): Promise<void> {
    return this.after('rememberStat', () => super.rememberStat(path, stat));
  }
  override async writer(path: string, expected: FileStat, resumeAt: number): Promise<CacheWriter> {
    const writer = await this.after('writer', () => super.writer(path, expected, resumeAt));
    return {
      ...writer,
      // The disk fails writes that reach past the file's middle, as an I/O error mid-download would.
      write: (chunk, at) =>
        this.after(at + chunk.length > (expected.size ?? 0) / 2 ? 'write' : 'write before the middle', () =>
          Promise.resolve(writer.write(chunk, at)),
        ),
      commit: (sha256) => this.after('commit', () => writer.commit(sha256)),
      close: () => this.after('close', () => writer.close()),
    };
  }
}

describe('modelFiles with a cache whose storage fails or stalls: the load goes on from the source', () => {
  const stalled = new Error('OPFS: locking onnx/model.onnx timed out after 30 s');

  it.each([
    ['readComplete', 'bytes'],
    ['writer', 'bytes'],
    ['write', 'bytes'],
    ['commit', 'bytes'],
    ['close', 'bytes'],
    ['rememberStat', 'bytes'],
    ['completeBlob', 'blob'],
    ['writer', 'blob'],
    ['write', 'blob'],
    ['commit', 'blob'],
    ['close', 'blob'],
  ] as const)(
    '%s failing, %s still gives the right file, and the cache is asked nothing more',
    async (failing, read) => {
      const source = memorySource({ 'onnx/model.onnx': MODEL, 'onnx/data': DATA }, true);
      const cache = new BrokenCache(failing);
      if (failing === 'readComplete' || failing === 'completeBlob') {
        cache.complete.set('onnx/model.onnx', { bytes: MODEL, sha256: sha(MODEL) });
      }
      const files = modelFiles(source, cache);
      const got = read === 'bytes' ? await files.bytes('onnx/model.onnx') : await files.blob('onnx/model.onnx');
      // A blob read may hand the caller over to bytes (undefined), which must then work without the cache.
      const bytes = got instanceof Uint8Array ? got : got ? await blobBytes(got) : await files.bytes('onnx/model.onnx');
      expectBytes(bytes, MODEL);
      const callsAfterFailure = cache.calls;
      expectBytes(await files.bytes('onnx/data'), DATA);
      expect(cache.calls).toBe(callsAfterFailure);
    },
  );

  it('a write that fails mid-file downloads the file again from byte 0 into memory, and leaves what was written as a partial file, never complete', async () => {
    const source = memorySource({ 'onnx/model.onnx': MODEL }, true);
    const cache = new BrokenCache('write');
    expectBytes(await blobBytes(await modelFiles(source, cache).blob('onnx/model.onnx')), MODEL);
    expect(source.opens).toEqual(['onnx/model.onnx@0', 'onnx/model.onnx@0']);
    expect(cache.complete.size).toBe(0);
    expectBytes(cache.partial.get('onnx/model.onnx')?.bytes ?? new Uint8Array(0), MODEL.slice(0, 49_152));
  });

  it('a storage call that timed out (a plain Error) leaves the cache out just the same', async () => {
    const source = memorySource({ 'onnx/model.onnx': MODEL }, true);
    const cache = new BrokenCache('writer', stalled);
    expectBytes(await blobBytes(await modelFiles(source, cache).blob('onnx/model.onnx')), MODEL);
    expect(cache.complete.size).toBe(0);
  });

  it('still lets the entry go at the end, so the next load is not left waiting for its lock', async () => {
    let released = 0;
    const cache = new BrokenCache('writer');
    cache.release = () => {
      released++;
      return Promise.resolve();
    };
    const files = modelFiles(memorySource({ 'onnx/model.onnx': MODEL }), cache);
    await files.bytes('onnx/model.onnx');
    await files.release();
    expect(released).toBe(1);
  });

  it('passes our own coded errors on: a full disk is QUOTA_EXCEEDED, not a silent uncached load', async () => {
    const cache = new BrokenCache('writer', new EmbedError('QUOTA_EXCEEDED', 'the disk filled up'));
    await expect(
      modelFiles(memorySource({ 'onnx/model.onnx': MODEL }), cache).bytes('onnx/model.onnx'),
    ).rejects.toThrow(expect.objectContaining({ code: 'QUOTA_EXCEEDED' }));
  });
});

describe('modelFiles with a cache: reading bytes', () => {
  it('heals a remembered size and hash that no longer match the file (it changed at the source)', async () => {
    const files: Record<string, Uint8Array> = { 'onnx/model.onnx': MODEL };
    const source = memorySource(files, true);
    const cache = new MemoryCache();
    expectBytes(await modelFiles(source, cache).bytes('onnx/model.onnx'), MODEL);
    // The repo moves on: same path, other bytes (and size).
    files['onnx/model.onnx'] = DATA;
    await cache.discard('onnx/model.onnx');
    expectBytes(await modelFiles(source, cache).bytes('onnx/model.onnx'), DATA);
    expect(cache.stats.get('onnx/model.onnx')).toEqual({ size: DATA.length, sha256: sha(DATA) });
    expect(cache.complete.get('onnx/model.onnx')?.sha256).toBe(sha(DATA));
  });

  it('downloads a file once and serves the next load from the cache with zero source calls', async () => {
    const source = memorySource({ 'onnx/model.onnx': MODEL });
    const cache = new MemoryCache();
    expectBytes(await modelFiles(source, cache).bytes('onnx/model.onnx'), MODEL);
    expect(source.stats).toEqual(['onnx/model.onnx']);
    expect(source.opens).toEqual(['onnx/model.onnx@0']);
    expect(cache.complete.get('onnx/model.onnx')?.sha256).toBe(sha(MODEL));

    const progress: FileProgress[] = [];
    const again = await modelFiles(source, cache).bytes('onnx/model.onnx', { onProgress: (p) => progress.push(p) });
    expectBytes(again, MODEL);
    expect(source.stats).toHaveLength(1);
    expect(source.opens).toHaveLength(1);
    expect(progress).toEqual([{ file: 'onnx/model.onnx', loaded: 100_000, total: 100_000, fromCache: true }]);
  });

  it.each([
    ['zero-filled', new Uint8Array(MODEL.length)],
    ['truncated', MODEL.slice(0, 60_000)],
    ['one bit flipped', Uint8Array.from(MODEL, (b, i) => (i === 77_777 ? b ^ 1 : b))],
  ])(
    'discards a cached file that no longer matches its recorded sha256 (%s) and downloads it again',
    async (_kind, stored) => {
      const source = memorySource({ 'onnx/model.onnx': MODEL });
      const cache = new MemoryCache();
      cache.stats.set('onnx/model.onnx', { size: MODEL.length, sha256: undefined });
      cache.complete.set('onnx/model.onnx', { bytes: stored, sha256: sha(MODEL) });
      expectBytes(await modelFiles(source, cache).bytes('onnx/model.onnx'), MODEL);
      expect(cache.log).toEqual(['discard onnx/model.onnx']);
      expect(source.opens).toEqual(['onnx/model.onnx@0']);
      expectBytes(cache.complete.get('onnx/model.onnx')?.bytes ?? new Uint8Array(0), MODEL);
    },
  );

  it('discards a cached file whose recorded sha256 is not the one the source now publishes', async () => {
    const source = memorySource({ 'onnx/model.onnx': MODEL }, true);
    const cache = new MemoryCache();
    const old = MODEL.map((b) => 255 - b);
    cache.complete.set('onnx/model.onnx', { bytes: old, sha256: sha(old) });
    expectBytes(await modelFiles(source, cache).bytes('onnx/model.onnx'), MODEL);
    expect(cache.log).toEqual(['discard onnx/model.onnx']);
  });

  it('resumes a partial file left in the cache, asking the source only for the rest', async () => {
    const source = memorySource({ 'onnx/model.onnx': MODEL }, true);
    const cache = new MemoryCache();
    const expected = { size: MODEL.length, sha256: sha(MODEL) };
    cache.partial.set('onnx/model.onnx', { expected, bytes: MODEL.slice(0, 30_000) });
    expectBytes(await modelFiles(source, cache).bytes('onnx/model.onnx'), MODEL);
    expect(source.opens).toEqual(['onnx/model.onnx@30000']);
    expectBytes(cache.complete.get('onnx/model.onnx')?.bytes ?? new Uint8Array(0), MODEL);
    expect(cache.partial.size).toBe(0);
  });

  it('throws away a corrupt partial file and downloads once more from byte 0 when the result fails its sha256', async () => {
    const source = memorySource({ 'onnx/model.onnx': MODEL }, true);
    const cache = new MemoryCache();
    const expected = { size: MODEL.length, sha256: sha(MODEL) };
    cache.partial.set('onnx/model.onnx', { expected, bytes: new Uint8Array(30_000) });
    expectBytes(await modelFiles(source, cache).bytes('onnx/model.onnx'), MODEL);
    expect(source.opens).toEqual(['onnx/model.onnx@30000', 'onnx/model.onnx@0']);
    expect(cache.log).toEqual(['discard onnx/model.onnx']);
    expect(cache.complete.get('onnx/model.onnx')?.sha256).toBe(sha(MODEL));
  });

  it('reports a file the source does not have as MODEL_FILE_MISSING naming where it looked', async () => {
    await expect(modelFiles(memorySource({}), new MemoryCache()).bytes('onnx/model.onnx')).rejects.toThrow(
      expect.objectContaining({ code: 'MODEL_FILE_MISSING', message: 'memory:/onnx/model.onnx was not found' }),
    );
  });
});

describe('modelFiles: json', () => {
  it('parses a JSON file', async () => {
    await expect(modelFiles(memorySource({ 'config.json': CONFIG })).json('config.json')).resolves.toEqual({
      model_type: 'qwen3',
      hidden_size: 64,
    });
  });

  it('rejects a body that is not JSON with MODEL_CONFIG_INVALID, quoting its start', async () => {
    const page = new TextEncoder().encode('<!doctype html><html>nope</html>');
    await expect(modelFiles(memorySource({ 'config.json': page })).json('config.json')).rejects.toThrow(
      expect.objectContaining({
        code: 'MODEL_CONFIG_INVALID',
        message: 'memory:/config.json is not JSON (starts with "<!doctype html><html>nope</htm")',
      }),
    );
  });
});

describe('modelFiles: plan', () => {
  const repo = { 'config.json': CONFIG, 'onnx/model.onnx': MODEL, 'onnx/model.onnx_data': DATA };
  const paths = ['config.json', 'onnx/model.onnx', 'onnx/model.onnx_data'];
  const total = CONFIG.length + MODEL.length + DATA.length;

  it('sums the sizes of the planned files and lists each one', async () => {
    const plan = await modelFiles(memorySource(repo), new MemoryCache()).plan(paths);
    expect(plan.totalBytes).toBe(total);
    expect([...plan.sizes]).toEqual([
      ['config.json', CONFIG.length],
      ['onnx/model.onnx', 100_000],
      ['onnx/model.onnx_data', 20_000],
    ]);
  });

  it('names every missing file with MODEL_FILE_MISSING, with the external-data hint for a _data file', async () => {
    const source = memorySource({ 'config.json': CONFIG });
    const p = modelFiles(source).plan(paths);
    await expect(p).rejects.toThrow(EmbedError);
    await expect(p).rejects.toThrow(
      expect.objectContaining({
        code: 'MODEL_FILE_MISSING',
        message:
          'memory:/onnx/model.onnx, memory:/onnx/model.onnx_data not found: the export needs its external data file(s) next to the .onnx graph',
      }),
    );
  });

  it('names a missing file without the external-data hint when no _data file is missing', async () => {
    await expect(
      modelFiles(memorySource({ 'config.json': CONFIG })).plan(['config.json', 'tokenizer.json']),
    ).rejects.toThrow(
      expect.objectContaining({ code: 'MODEL_FILE_MISSING', message: 'memory:/tokenizer.json not found' }),
    );
  });

  it('throws QUOTA_EXCEEDED before any download when the uncached bytes exceed the space available', async () => {
    const source = memorySource(repo);
    const p = modelFiles(source, new MemoryCache(100_000)).plan(paths);
    await expect(p).rejects.toThrow(
      expect.objectContaining({ code: 'QUOTA_EXCEEDED', message: expect.stringContaining(`(${total} bytes)`) }),
    );
    expect(source.opens).toEqual([]);
  });

  it('does not refuse a load whose files are all cached, even with no space left', async () => {
    const cache = new MemoryCache(0);
    for (const [path, bytes] of Object.entries(repo)) cache.complete.set(path, { bytes, sha256: sha(bytes) });
    await expect(modelFiles(memorySource(repo), cache).plan(paths)).resolves.toMatchObject({ totalBytes: total });
  });

  it('counts only the files still to download against the space available', async () => {
    const cache = new MemoryCache(30_000);
    cache.complete.set('onnx/model.onnx', { bytes: MODEL, sha256: sha(MODEL) });
    // 20 000 + config bytes still to fetch (with 5% headroom) fit in 30 000; the 100 000 cached do not count.
    await expect(modelFiles(memorySource(repo), cache).plan(paths)).resolves.toMatchObject({ totalBytes: total });
  });

  it('does not check quota without a cache', async () => {
    await expect(modelFiles(memorySource(repo)).plan(paths)).resolves.toMatchObject({ totalBytes: total });
  });
});

describe('modelFiles: exists', () => {
  it('answers from the stats the cache remembers without calling the source', async () => {
    const source = memorySource({ 'onnx/model.onnx': MODEL });
    const cache = new MemoryCache();
    cache.stats.set('onnx/model_q4.onnx', { size: 10, sha256: undefined });
    cache.stats.set('onnx/model_fp16.onnx', null);
    const files = modelFiles(source, cache);
    await expect(files.exists('onnx/model_q4.onnx')).resolves.toBe(true);
    await expect(files.exists('onnx/model_fp16.onnx')).resolves.toBe(false);
    expect(source.stats).toEqual([]);
  });

  it('remembers what the source said, present and absent, in the cache', async () => {
    const source = memorySource({ 'onnx/model.onnx': MODEL });
    const cache = new MemoryCache();
    const files = modelFiles(source, cache);
    await expect(files.exists('onnx/model.onnx')).resolves.toBe(true);
    await expect(files.exists('onnx/model_fp16.onnx')).resolves.toBe(false);
    expect(cache.stats.get('onnx/model.onnx')).toEqual({ size: 100_000, sha256: undefined });
    expect(cache.stats.get('onnx/model_fp16.onnx')).toBeNull();
    await expect(files.exists('onnx/model.onnx')).resolves.toBe(true);
    await expect(files.exists('onnx/model_fp16.onnx')).resolves.toBe(false);
    expect(source.stats).toEqual(['onnx/model.onnx', 'onnx/model_fp16.onnx']);
  });

  it('asks the source once per path without a cache, for a present file', async () => {
    const source = memorySource({ 'onnx/model.onnx': MODEL });
    const files = modelFiles(source);
    await expect(files.exists('onnx/model.onnx')).resolves.toBe(true);
    await expect(files.exists('onnx/model.onnx')).resolves.toBe(true);
    expect(source.stats).toEqual(['onnx/model.onnx']);
  });

  it('asks the source once per path without a cache, for an absent file too', async () => {
    const source = memorySource({});
    const files = modelFiles(source);
    await expect(files.exists('onnx/model_fp16.onnx')).resolves.toBe(false);
    await expect(files.exists('onnx/model_fp16.onnx')).resolves.toBe(false);
    expect(source.stats).toEqual(['onnx/model_fp16.onnx']);
  });
});
