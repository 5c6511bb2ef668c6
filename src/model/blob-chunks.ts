/**
 * Reads a Blob on disk (an OPFS file, a picked File) a chunk at a time, each chunk in limited time.
 *
 * Why not `blob.stream()`: in Debian's Chromium here, about one load in five on a busy machine
 * never got an answer to the first `read()` of a 32 MiB slice of an OPFS or picked File: the
 * worker's event loop kept running, the read stayed pending, and whatever waited on it hung with
 * it (traced in a repeated load spec, where onnxruntime-web's external-data loader read that
 * way). `arrayBuffer()` on a slice of at most CHUNK_BYTES is a different path in the browser
 * (28 of 28 loads completed under the same load, where 3 runs of the same spec had each hung by
 * their sixth), and a chunk that does not arrive in time is an error naming the bytes, never a
 * hang. Memory: one chunk at a time.
 */
import { withTimeout } from '../core/with-timeout.ts';

export const CHUNK_BYTES = 4 * 1024 * 1024;
/** No chunk of a local file takes this long on a working disk, even on a loaded machine. */
export const CHUNK_TIMEOUT_MS = 60_000;

/** Chunks of `blob` in order; `what` names the file in a timeout's message. */
export async function* blobChunks(
  blob: Blob,
  options: { timeoutMs?: number; what?: string } = {},
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  const timeoutMs = options.timeoutMs ?? CHUNK_TIMEOUT_MS;
  const what = options.what ?? `a ${blob.size}-byte model file`;
  for (let offset = 0; offset < blob.size; offset += CHUNK_BYTES) {
    const end = Math.min(blob.size, offset + CHUNK_BYTES);
    const chunk = await withTimeout(
      blob.slice(offset, end).arrayBuffer(),
      timeoutMs,
      `reading bytes ${offset}–${end} of ${what}`,
    );
    yield new Uint8Array(chunk);
  }
}
