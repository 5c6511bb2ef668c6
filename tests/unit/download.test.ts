/**
 * downloadFile over an in-test FileSource (a plain object: the unit's input, scripted to drop,
 * end early or ignore ranges on chosen calls) and, for the HTTP path end to end, over httpSource
 * and a real node:http server. Hashes are checked against node:crypto, not against hash-wasm.
 */
import { Blob } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import { blobSource } from '../../src/model/blob-source.ts';
import { downloadFile, type DownloadSink } from '../../src/model/download.ts';
import type { ByteStream, FileSource } from '../../src/model/file-source.ts';
import { httpSource } from '../../src/model/http-source.ts';

/** 100 000 bytes that are not periodic in the chunk size, so a misplaced chunk changes the hash. */
const FILE = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919 + (i >> 8)) % 256);
const FILE_SHA = createHash('sha256').update(FILE).digest('hex');
const CHUNK = 16_384;

/** What one `open` call does: cut the connection (`drop`) or end cleanly (`end`) at that absolute byte. */
interface Call {
  drop?: number;
  end?: number;
}

interface ScriptedSource extends FileSource {
  /** The offset every `open` asked for, in order. */
  offsets: number[];
}

function scriptedSource(
  file: Uint8Array,
  options: { ranges?: boolean; calls?: Call[]; size?: number | undefined; onDrop?: () => void } = {},
): ScriptedSource {
  const offsets: number[] = [];
  const ranges = options.ranges ?? true;
  const size = 'size' in options ? options.size : file.length;
  return {
    offsets,
    locate: (path) => `memory:/${path}`,
    stat: () => Promise.resolve({ size, sha256: undefined }),
    open(_path, { offset = 0 } = {}): Promise<ByteStream> {
      const call = options.calls?.[offsets.length] ?? {};
      offsets.push(offset);
      const start = ranges ? offset : 0;
      const stop = Math.min(file.length, call.drop ?? call.end ?? file.length);
      async function* chunks(): AsyncIterable<Uint8Array> {
        for (let at = start; at < stop; at = Math.min(at + CHUNK, stop)) {
          await Promise.resolve();
          yield file.slice(at, Math.min(at + CHUNK, stop));
        }
        if (call.drop !== undefined) {
          options.onDrop?.();
          throw new EmbedError('MODEL_FETCH_FAILED', `memory source dropped at byte ${call.drop}`);
        }
      }
      return Promise.resolve({ start, size, chunks: chunks() });
    },
  };
}

/** A sink that keeps what it was given, to check that writes land where the bytes belong. */
function recordingSink(length: number): DownloadSink & { bytes: Uint8Array; writes: number[]; restarts: number } {
  const sink = {
    bytes: new Uint8Array(length),
    writes: [] as number[],
    restarts: 0,
    write(chunk: Uint8Array, at: number): void {
      sink.writes.push(at);
      sink.bytes.set(chunk, at);
    },
    restart(): void {
      sink.restarts += 1;
      sink.bytes.fill(0);
    },
  };
  return sink;
}

function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(actual, expected)).toBe(0);
}

const EXPECTED = { size: FILE.length, sha256: FILE_SHA };

describe('downloadFile: whole files', () => {
  it('reads the exact bytes into one buffer and returns their sha256 (as node:crypto computes it)', async () => {
    const source = scriptedSource(FILE);
    const progress: [number, number | undefined][] = [];
    const result = await downloadFile(source, 'onnx/model.onnx', {
      expected: EXPECTED,
      onBytes: (loaded, total) => progress.push([loaded, total]),
    });
    expectBytes(result.bytes, FILE);
    expect(result.bytes.buffer.byteLength).toBe(FILE.length);
    expect(result.sha256).toBe(FILE_SHA);
    expect(source.offsets).toEqual([0]);
    expect(progress.map(([loaded]) => loaded)).toEqual([16_384, 32_768, 49_152, 65_536, 81_920, 98_304, 100_000]);
    expect(progress.every(([, total]) => total === 100_000)).toBe(true);
  });

  it('reads a file whose size nobody announced, joining its chunks', async () => {
    const source = scriptedSource(FILE, { size: undefined });
    const result = await downloadFile(source, 'onnx/model.onnx', { expected: { size: undefined, sha256: undefined } });
    expectBytes(result.bytes, FILE);
    expect(result.sha256).toBe(FILE_SHA);
  });

  it('refuses bytes whose sha256 is not the expected one with MODEL_INTEGRITY_FAILED naming both hashes', async () => {
    const wrong = 'f'.repeat(64);
    await expect(
      downloadFile(scriptedSource(FILE), 'onnx/model.onnx', { expected: { size: FILE.length, sha256: wrong } }),
    ).rejects.toThrow(
      expect.objectContaining({
        code: 'MODEL_INTEGRITY_FAILED',
        message: `memory:/onnx/model.onnx has sha256 ${FILE_SHA}, expected ${wrong}: the file is corrupt or was changed`,
      }),
    );
  });

  it('refuses a source whose file is no longer the expected size with MODEL_INTEGRITY_FAILED, before reading it', async () => {
    await expect(
      downloadFile(scriptedSource(FILE), 'onnx/model.onnx', { expected: { size: 50_000, sha256: undefined } }),
    ).rejects.toThrow(
      expect.objectContaining({
        code: 'MODEL_INTEGRITY_FAILED',
        message: `memory:/onnx/model.onnx is now ${FILE.length} bytes, expected 50000: the file changed since its size was read`,
      }),
    );
  });

  it('refuses a size too large to allocate with MODEL_TOO_LARGE, before opening the file', async () => {
    const source = scriptedSource(FILE);
    const p = downloadFile(source, 'onnx/model.onnx', { expected: { size: 2 ** 53, sha256: undefined } });
    await expect(p).rejects.toThrow(EmbedError);
    await expect(p).rejects.toThrow(
      expect.objectContaining({
        code: 'MODEL_TOO_LARGE',
        message: expect.stringContaining(`memory:/onnx/model.onnx is ${2 ** 53} bytes`),
      }),
    );
    expect(source.offsets).toEqual([]);
  });

  it('refuses a too-large size announced only by the stream with MODEL_TOO_LARGE', async () => {
    const source = scriptedSource(FILE, { size: 2 ** 53 });
    await expect(
      downloadFile(source, 'onnx/model.onnx', { expected: { size: undefined, sha256: undefined } }),
    ).rejects.toThrow(expect.objectContaining({ code: 'MODEL_TOO_LARGE' }));
  });
});

describe('downloadFile: resuming and restarting', () => {
  it('resumes after a dropped connection with a request at the byte it had reached, byte-identical', async () => {
    const source = scriptedSource(FILE, { calls: [{ drop: 40_000 }] });
    const sink = recordingSink(FILE.length);
    const result = await downloadFile(source, 'onnx/model.onnx', { expected: EXPECTED, sink });
    expect(source.offsets).toEqual([0, 40_000]);
    expectBytes(result.bytes, FILE);
    expect(result.sha256).toBe(FILE_SHA);
    expect(sink.restarts).toBe(0);
    expect(sink.writes).toEqual([0, 16_384, 32_768, 40_000, 56_384, 72_768, 89_152]);
    expectBytes(sink.bytes, FILE);
  });

  it('resumes after a body that ended early without an error', async () => {
    const source = scriptedSource(FILE, { calls: [{ end: 70_000 }] });
    const result = await downloadFile(source, 'onnx/model.onnx', { expected: EXPECTED });
    expect(source.offsets).toEqual([0, 70_000]);
    expectBytes(result.bytes, FILE);
    expect(result.sha256).toBe(FILE_SHA);
  });

  it('restarts from byte 0 and calls sink.restart() when the source ignores the offset', async () => {
    const source = scriptedSource(FILE, { ranges: false, calls: [{ drop: 40_000 }] });
    const sink = recordingSink(FILE.length);
    const result = await downloadFile(source, 'onnx/model.onnx', { expected: EXPECTED, sink });
    expect(source.offsets).toEqual([0, 40_000]);
    expect(sink.restarts).toBe(1);
    expect(sink.writes).toEqual([0, 16_384, 32_768, 0, 16_384, 32_768, 49_152, 65_536, 81_920, 98_304]);
    expectBytes(result.bytes, FILE);
    expect(result.sha256).toBe(FILE_SHA);
    expectBytes(sink.bytes, FILE);
  });

  it('restarts a file of unknown size without keeping the first attempt’s chunks', async () => {
    const source = scriptedSource(FILE, { ranges: false, size: undefined, calls: [{ drop: 40_000 }] });
    const result = await downloadFile(source, 'onnx/model.onnx', { expected: { size: undefined, sha256: FILE_SHA } });
    expectBytes(result.bytes, FILE);
  });

  it('gives up after `retries` transient failures with MODEL_FETCH_FAILED', async () => {
    const source = scriptedSource(FILE, { calls: [{ drop: 10_000 }, { drop: 20_000 }, { drop: 30_000 }] });
    await expect(downloadFile(source, 'onnx/model.onnx', { expected: EXPECTED, retries: 1 })).rejects.toThrow(
      expect.objectContaining({ code: 'MODEL_FETCH_FAILED', message: 'memory source dropped at byte 20000' }),
    );
    expect(source.offsets).toEqual([0, 10_000]);
  });

  it('does not retry at all with retries: 0', async () => {
    const source = scriptedSource(FILE, { calls: [{ drop: 10_000 }] });
    await expect(downloadFile(source, 'onnx/model.onnx', { expected: EXPECTED, retries: 0 })).rejects.toThrow(
      expect.objectContaining({ code: 'MODEL_FETCH_FAILED' }),
    );
    expect(source.offsets).toEqual([0]);
  });

  it('does not retry an error that is not transient (MODEL_FILE_MISSING)', async () => {
    const offsets: number[] = [];
    const missing: FileSource = {
      locate: (path) => `memory:/${path}`,
      stat: () => Promise.resolve(undefined),
      open: (_path, options) => {
        offsets.push(options?.offset ?? 0);
        return Promise.reject(new EmbedError('MODEL_FILE_MISSING', 'gone'));
      },
    };
    await expect(downloadFile(missing, 'onnx/model.onnx', { expected: EXPECTED })).rejects.toThrow(
      expect.objectContaining({ code: 'MODEL_FILE_MISSING' }),
    );
    expect(offsets).toEqual([0]);
  });

  it('keeps the `prefix` bytes and requests only the rest', async () => {
    const source = scriptedSource(FILE);
    const sink = recordingSink(FILE.length);
    const progress: number[] = [];
    const result = await downloadFile(source, 'onnx/model.onnx', {
      expected: EXPECTED,
      prefix: FILE.slice(0, 30_000),
      sink,
      onBytes: (loaded) => progress.push(loaded),
    });
    expect(source.offsets).toEqual([30_000]);
    expect(sink.writes[0]).toBe(30_000);
    expect(progress[0]).toBe(30_000 + CHUNK);
    expectBytes(result.bytes, FILE);
    expect(result.sha256).toBe(FILE_SHA);
  });

  it('asks the source for nothing when the `prefix` already holds every byte (an HTTP server answers that range with 416)', async () => {
    const source = scriptedSource(FILE);
    const result = await downloadFile(source, 'onnx/model.onnx', { expected: EXPECTED, prefix: FILE.slice() });
    expect(source.offsets).toEqual([]);
    expectBytes(result.bytes, FILE);
    expect(result.sha256).toBe(FILE_SHA);
  });

  it('fails a complete `prefix` whose bytes do not hash to the expected sha256', async () => {
    const damaged = FILE.slice();
    damaged[5] = (damaged[5] ?? 0) ^ 1;
    await expect(
      downloadFile(scriptedSource(FILE), 'onnx/model.onnx', { expected: EXPECTED, prefix: damaged }),
    ).rejects.toThrow(expect.objectContaining({ code: 'MODEL_INTEGRITY_FAILED' }));
  });

  it('drops the `prefix` and restarts when the source ignores the offset', async () => {
    const source = scriptedSource(FILE, { ranges: false });
    const sink = recordingSink(FILE.length);
    const result = await downloadFile(source, 'onnx/model.onnx', {
      expected: EXPECTED,
      prefix: FILE.slice(0, 30_000),
      sink,
    });
    expect(source.offsets).toEqual([30_000]);
    expect(sink.restarts).toBe(1);
    expectBytes(result.bytes, FILE);
    expect(result.sha256).toBe(FILE_SHA);
  });
});

describe('downloadFile: abort', () => {
  it('rejects with ABORTED when aborted while waiting to retry', async () => {
    const controller = new AbortController();
    const source = scriptedSource(FILE, {
      calls: [{ drop: 10_000 }],
      onDrop: () => setTimeout(() => controller.abort(), 5),
    });
    await expect(
      downloadFile(source, 'onnx/model.onnx', { expected: EXPECTED, signal: controller.signal }),
    ).rejects.toThrow(expect.objectContaining({ code: 'ABORTED' }));
    expect(source.offsets).toEqual([0]);
  });

  // blobSource is the source for picked local files: its abort must read as ABORTED too, not as
  // the DOMException that AbortSignal.throwIfAborted() raises.
  it('rejects with ABORTED when aborted while a picked local file (blobSource) streams', async () => {
    const controller = new AbortController();
    const big = new Uint8Array(20 * 1024 * 1024);
    const source = blobSource([{ path: 'model/onnx/model.onnx', file: new Blob([big]) }]);
    const p = downloadFile(source, 'onnx/model.onnx', {
      expected: { size: big.length, sha256: undefined },
      signal: controller.signal,
      onBytes: () => controller.abort(),
    });
    await expect(p).rejects.toThrow(expect.objectContaining({ code: 'ABORTED' }));
  });
});

describe('downloadFile over httpSource and a real local server', () => {
  let server: Server;
  let base: string;
  const ranges: (string | undefined)[] = [];
  let dropNext = true;
  let stallNext = true;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/repo/silent.onnx') return; // never answers: no headers, no byte
      if (req.url === '/repo/stall-once.onnx' && stallNext) {
        // A mirror that hangs mid-file once: headers, 30,000 bytes, then nothing, socket open.
        stallNext = false;
        ranges.push(req.headers.range);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(FILE.length) });
        res.write(FILE.subarray(0, 30_000));
        return;
      }
      if (req.url === '/repo/slow.onnx') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(FILE.length) });
        res.write(FILE.subarray(0, 1000));
        return;
      }
      ranges.push(req.headers.range);
      const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      const start = match ? Number(match[1]) : 0;
      res.writeHead(match ? 206 : 200, {
        'content-type': 'application/octet-stream',
        'content-length': String(FILE.length - start),
        ...(match ? { 'content-range': `bytes ${start}-${FILE.length - 1}/${FILE.length}` } : {}),
      });
      if (dropNext) {
        dropNext = false;
        res.write(FILE.subarray(start, 40_000), () => setTimeout(() => res.socket?.destroy(), 20));
        return;
      }
      res.end(FILE.subarray(start));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/repo/`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('resumes a dropped HTTP body with a Range request and returns the identical bytes', async () => {
    const result = await downloadFile(httpSource(base), 'onnx/model.onnx', { expected: EXPECTED });
    expect(ranges).toEqual([undefined, 'bytes=40000-']);
    expectBytes(result.bytes, FILE);
    expect(result.sha256).toBe(FILE_SHA);
  });

  it('abandons a body that stalls mid-file after the idle timeout and resumes it with a Range request', async () => {
    ranges.length = 0;
    const result = await downloadFile(httpSource(base, { idleTimeoutMs: 300 }), 'stall-once.onnx', {
      expected: EXPECTED,
    });
    expect(ranges).toEqual([undefined, 'bytes=30000-']);
    expectBytes(result.bytes, FILE);
    expect(result.sha256).toBe(FILE_SHA);
  });

  it('ends a body that always stalls in MODEL_FETCH_FAILED naming the file, the wait and the byte reached', async () => {
    const p = downloadFile(httpSource(base, { idleTimeoutMs: 200 }), 'slow.onnx', { expected: EXPECTED, retries: 2 });
    await expect(p).rejects.toThrow(expect.objectContaining({ code: 'MODEL_FETCH_FAILED' }));
    await expect(p).rejects.toThrow(
      /slow\.onnx sent nothing for 0\.2 s \(slow\.onnx, at byte 1000\): the server or a proxy stalled/,
    );
  });

  it('gives up on a server that never answers, for a file and for its size', async () => {
    const source = httpSource(base, { idleTimeoutMs: 200 });
    await expect(source.stat('silent.onnx')).rejects.toThrow(
      /silent\.onnx sent nothing for 0\.2 s \(silent\.onnx, at byte 0\)/,
    );
    await expect(downloadFile(source, 'silent.onnx', { expected: EXPECTED, retries: 1 })).rejects.toThrow(
      expect.objectContaining({ code: 'MODEL_FETCH_FAILED' }),
    );
  });

  it('rejects with ABORTED when aborted while the body streams', async () => {
    const controller = new AbortController();
    const p = downloadFile(httpSource(base), 'slow.onnx', {
      expected: EXPECTED,
      signal: controller.signal,
      onBytes: () => controller.abort(),
    });
    await expect(p).rejects.toThrow(expect.objectContaining({ code: 'ABORTED' }));
  });
});
