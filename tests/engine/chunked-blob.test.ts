import { describe, expect, it } from 'vitest';
import { ChunkedBlob } from '../../src/engine/chunked-blob.ts';

/** How onnxruntime-web's JSPI loader reads one tensor (ort-wasm-simd-threaded.jspi.mjs, 1.30): BYOB if it can, else the default reader. */
async function readLikeTheLoader(
  blob: Blob,
  start: number,
  length: number,
): Promise<{ bytes: Uint8Array; byob: boolean }> {
  const stream = blob.slice(start, start + length).stream();
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    stream.getReader({ mode: 'byob' });
    return { bytes: new Uint8Array(0), byob: true };
  } catch {
    reader = stream.getReader();
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    out.set(value, at);
    at += value.byteLength;
  }
  expect(at).toBe(length);
  return { bytes: out, byob: false };
}

/** A file of distinct bytes, longer than two 4 MiB chunks. */
const FILE = Uint8Array.from({ length: 9 * 1024 * 1024 + 123 }, (_, i) => (i * 7 + (i >> 12)) & 0xff);

describe('ChunkedBlob, the Blob onnxruntime-web reads external data from', () => {
  it('is a Blob of the file’s size and type', () => {
    const blob = new ChunkedBlob(new Blob([FILE], { type: 'application/octet-stream' }));
    expect(blob).toBeInstanceOf(Blob);
    expect(blob.size).toBe(FILE.length);
    expect(blob.type).toBe('application/octet-stream');
    expect(blob.slice(10, 30).size).toBe(20);
  });

  it('reads whole as its file does, never as the empty Blob it extends', async () => {
    const text = 'a model file, read whole';
    const blob = new ChunkedBlob(new Blob([text]));
    expect(await blob.text()).toBe(text);
    expect(new TextDecoder().decode(await blob.slice(2, 7).arrayBuffer())).toBe(text.slice(2, 7));
    expect(new TextDecoder().decode(await blob.bytes())).toBe(text);
  });

  it('gives the loader a stream it reads with its default reader, byte for byte, across chunk edges', async () => {
    const blob = new ChunkedBlob(new Blob([FILE]));
    for (const [start, length] of [
      [0, FILE.length],
      [4 * 1024 * 1024 - 5, 10],
      [123_456, 8 * 1024 * 1024 + 1],
      [FILE.length - 1, 1],
    ] as const) {
      const { bytes, byob } = await readLikeTheLoader(blob, start, length);
      expect(byob).toBe(false);
      expect(Buffer.from(bytes).equals(Buffer.from(FILE.subarray(start, start + length)))).toBe(true);
    }
  });

  it('counts every byte the loader reads, through the slices it makes, as the chunks are handed over', async () => {
    const reads: number[] = [];
    const blob = new ChunkedBlob(new Blob([FILE]), { onRead: (bytes) => reads.push(bytes) });
    await readLikeTheLoader(blob, 10, 5 * 1024 * 1024);
    // One slice of 5 MiB: a 4 MiB chunk, then the rest.
    expect(reads).toEqual([4 * 1024 * 1024, 1024 * 1024]);
    await readLikeTheLoader(blob, 0, 100);
    expect(reads.reduce((sum, n) => sum + n, 0)).toBe(5 * 1024 * 1024 + 100);
  });

  it('awaits its pace before each chunk it reads, through the slices the loader makes', async () => {
    const log: string[] = [];
    const blob = new ChunkedBlob(new Blob([FILE]), {
      onRead: (bytes) => log.push(`read ${bytes}`),
      pace: () => {
        log.push('pace');
        return Promise.resolve();
      },
    });
    await readLikeTheLoader(blob.slice(1000), 10, 5 * 1024 * 1024);
    // The last pace comes before the pull that finds the slice read to its end.
    expect(log).toEqual(['pace', `read ${4 * 1024 * 1024}`, 'pace', `read ${1024 * 1024}`, 'pace']);
  });

  it('a pace that fails errors the stream: the loader is told, no chunk is handed over', async () => {
    const reads: number[] = [];
    const blob = new ChunkedBlob(new Blob([FILE]), {
      onRead: (bytes) => reads.push(bytes),
      pace: () => Promise.reject(new Error('device lost')),
    });
    await expect(blob.slice(0, 100).stream().getReader().read()).rejects.toThrow('device lost');
    expect(reads).toEqual([]);
  });

  it('an empty slice ends at once', async () => {
    const { bytes } = await readLikeTheLoader(new ChunkedBlob(new Blob([FILE])), 100, 0);
    expect(bytes.length).toBe(0);
  });

  it('a chunk that never arrives errors the stream, naming the bytes, instead of waiting forever', async () => {
    /** A file whose reads never answer, as the stalled reads did. */
    class Stalled extends Blob {
      override slice(start?: number, end?: number): Blob {
        return new Stalled([FILE.subarray(start, end)]);
      }
      override arrayBuffer(): Promise<ArrayBuffer> {
        return new Promise(() => {});
      }
    }
    const blob = new ChunkedBlob(new Stalled([FILE]), { timeoutMs: 50 });
    const reader = blob.slice(0, 100).stream().getReader();
    await expect(reader.read()).rejects.toThrow(/^reading bytes 0–100 of a 100-byte model file timed out/);
  });
});
