/**
 * The Blob handed to onnxruntime-web's JSPI loader for external data (the lean load).
 *
 * Why: that loader reads each tensor as `blob.slice(start, end).stream()` through a BYOB reader,
 * a read that can stay pending forever in Chromium here (model/blob-chunks.ts tells how it was
 * found), and it has no timeout of its own. This Blob gives the loader a stream of its own
 * instead: not a byte stream, so the loader falls back to its default reader, fed by
 * `blobChunks`. A chunk that does not arrive in time errors the stream, so onnxruntime fails the
 * session with a message instead of waiting forever.
 *
 * Memory: one chunk at a time beside the loader's own buffer of the tensor's size.
 *
 * Progress: every chunk handed to the loader is counted (`onRead`), so the load can report the
 * upload from the reads onnxruntime really makes, one tensor slice after another.
 *
 * Pacing (`pace`): awaited before each chunk is read; the engine uses it to let the GPU queue
 * catch up with the uploads (upload-pacing.ts says why).
 */
import { blobChunks, CHUNK_TIMEOUT_MS } from '../model/blob-chunks.ts';

export interface ChunkedBlobOptions {
  timeoutMs?: number;
  onRead?: ((bytes: number) => void) | undefined;
  /** Awaited (when it returns a promise) before each chunk of a stream is read. */
  pace?: (() => Promise<void> | undefined) | undefined;
}

export class ChunkedBlob extends Blob {
  readonly #file: Blob;
  readonly #timeoutMs: number;
  readonly #onRead: ((bytes: number) => void) | undefined;
  readonly #pace: (() => Promise<void> | undefined) | undefined;

  constructor(file: Blob, options: ChunkedBlobOptions = {}) {
    super();
    this.#file = file;
    this.#timeoutMs = options.timeoutMs ?? CHUNK_TIMEOUT_MS;
    this.#onRead = options.onRead;
    this.#pace = options.pace;
  }

  override get size(): number {
    return this.#file.size;
  }

  override get type(): string {
    return this.#file.type;
  }

  override slice(start?: number, end?: number, contentType?: string): ChunkedBlob {
    return new ChunkedBlob(this.#file.slice(start, end, contentType), {
      timeoutMs: this.#timeoutMs,
      onRead: this.#onRead,
      pace: this.#pace,
    });
  }

  // Every read of the whole goes to the file: `super()` holds no bytes, and would read as empty.
  override async arrayBuffer(): Promise<ArrayBuffer> {
    const buffer = await this.#file.arrayBuffer();
    this.#onRead?.(buffer.byteLength);
    return buffer;
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    const bytes = await this.#file.bytes();
    this.#onRead?.(bytes.byteLength);
    return bytes;
  }

  override text(): Promise<string> {
    return this.#file.text();
  }

  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const chunks = blobChunks(this.#file, { timeoutMs: this.#timeoutMs });
    const onRead = this.#onRead;
    const pace = this.#pace;
    return new ReadableStream<Uint8Array<ArrayBuffer>>(
      {
        async pull(controller) {
          await pace?.();
          const next = await chunks.next();
          if (next.done) controller.close();
          else {
            controller.enqueue(next.value);
            onRead?.(next.value.byteLength);
          }
        },
        async cancel() {
          await chunks.return(undefined);
        },
      },
      // Nothing is read ahead of the loader: one chunk in memory at a time.
      { highWaterMark: 0 },
    );
  }
}
