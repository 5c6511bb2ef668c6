/**
 * The Blob handed to onnxruntime-web's JSPI loader for external data (the lean load).
 *
 * Why: that loader reads each tensor as `blob.slice(start, end).stream()` through a BYOB reader.
 * In Debian's Chromium here, about one load in five on a busy machine never got an answer to the
 * first `read()` of a 32 MiB slice of an OPFS or picked File: the worker's event loop kept
 * running, the read stayed pending, and session creation hung with it (traced in a repeated
 * load spec; the loader has no timeout of its own). This Blob gives the loader a stream of its
 * own instead: not a byte stream, so the loader falls back to its default reader, and each
 * chunk is read with `arrayBuffer()` on a slice of at most CHUNK_BYTES, a different path in
 * the browser (28 of 28 loads completed under the same load, where 3 runs of the same spec had
 * each hung by their sixth). A chunk that does not arrive in time errors the stream, so
 * onnxruntime fails the session with a message instead of waiting forever.
 *
 * Memory: one chunk at a time beside the loader's own buffer of the tensor's size.
 */
import { withTimeout } from './with-timeout.ts';

const CHUNK_BYTES = 4 * 1024 * 1024;
/** No chunk of a local file takes this long on a working disk, even on a loaded machine. */
const CHUNK_TIMEOUT_MS = 60_000;

export class ChunkedBlob extends Blob {
  readonly #file: Blob;
  readonly #timeoutMs: number;

  constructor(file: Blob, options: { timeoutMs?: number } = {}) {
    super();
    this.#file = file;
    this.#timeoutMs = options.timeoutMs ?? CHUNK_TIMEOUT_MS;
  }

  override get size(): number {
    return this.#file.size;
  }

  override get type(): string {
    return this.#file.type;
  }

  override slice(start?: number, end?: number, contentType?: string): ChunkedBlob {
    return new ChunkedBlob(this.#file.slice(start, end, contentType), { timeoutMs: this.#timeoutMs });
  }

  // Every read of the whole goes to the file: `super()` holds no bytes, and would read as empty.
  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#file.arrayBuffer();
  }

  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#file.bytes();
  }

  override text(): Promise<string> {
    return this.#file.text();
  }

  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const file = this.#file;
    const timeoutMs = this.#timeoutMs;
    let offset = 0;
    return new ReadableStream<Uint8Array<ArrayBuffer>>(
      {
        async pull(controller) {
          if (offset >= file.size) {
            controller.close();
            return;
          }
          const end = Math.min(file.size, offset + CHUNK_BYTES);
          const chunk = await withTimeout(
            file.slice(offset, end).arrayBuffer(),
            timeoutMs,
            `reading bytes ${offset}–${end} of a ${file.size}-byte model file`,
          );
          offset = end;
          controller.enqueue(new Uint8Array(chunk));
        },
      },
      // Nothing is read ahead of the loader: one chunk in memory at a time.
      { highWaterMark: 0 },
    );
  }
}
