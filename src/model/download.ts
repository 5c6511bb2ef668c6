import { createSHA256 } from 'hash-wasm';
import { EmbedError } from '../core/errors.ts';
import type { FileStat } from '../core/file-stat.ts';
import type { FileSource } from './file-source.ts';

/** Where downloaded bytes also go (the cache), as they arrive. */
export interface DownloadSink {
  write(chunk: Uint8Array, at: number): void | Promise<void>;
  /** The server restarted from byte 0 (no range support): drop what was written. */
  restart(): void | Promise<void>;
}

export interface DownloadOptions {
  /** What the file should be: its size makes one buffer up front, its sha256 is checked at the end. */
  expected: FileStat;
  /** Bytes already held (a partial file from an interrupted download): the download resumes after them. */
  prefix?: Uint8Array;
  sink?: DownloadSink;
  signal?: AbortSignal;
  onBytes?: (loaded: number, total: number | undefined) => void;
  /** Transport failures (drops, cut bodies) survived per file by resuming or restarting. */
  retries?: number;
  /**
   * false: the sink keeps the bytes (the cache), so they are not also gathered in memory and
   * none come back; the size and sha256 are checked all the same. Default true.
   */
  keep?: boolean;
}

export interface Downloaded {
  bytes: Uint8Array<ArrayBuffer>;
  sha256: string;
}

const RETRY_DELAY_MS = 250;

/**
 * Reads one whole file into ONE buffer (sized from the expected size, so the file is never held
 * twice), or only into the sink (`keep: false`), hashing as it streams. A dropped connection or a body cut short resumes with a range
 * request where the source honours it and restarts cleanly where it does not. The size and,
 * when known, the sha256 are checked before the bytes are returned.
 */
export function downloadFile(
  source: FileSource,
  path: string,
  options: DownloadOptions & { keep?: true },
): Promise<Downloaded>;
export function downloadFile(
  source: FileSource,
  path: string,
  options: DownloadOptions & { keep: false; sink: DownloadSink },
): Promise<Omit<Downloaded, 'bytes'>>;
export function downloadFile(
  source: FileSource,
  path: string,
  options: DownloadOptions,
): Promise<Omit<Downloaded, 'bytes'> & { bytes?: Uint8Array<ArrayBuffer> }>;
export async function downloadFile(
  source: FileSource,
  path: string,
  options: DownloadOptions,
): Promise<Omit<Downloaded, 'bytes'> & { bytes?: Uint8Array<ArrayBuffer> }> {
  const { expected, signal, sink } = options;
  const retries = options.retries ?? 3;
  const keep = options.keep ?? true;
  const hasher = await createSHA256();
  hasher.init();
  let total = expected.size;
  let out = total === undefined || !keep ? undefined : allocate(total, source.locate(path));
  let parts: Uint8Array[] = [];
  let loaded = 0;
  if (options.prefix && total !== undefined && options.prefix.length <= total) {
    out?.set(options.prefix);
    hasher.update(options.prefix);
    loaded = options.prefix.length;
  }
  // A prefix may already hold every byte (a load aborted after the last chunk, before the file
  // was recorded complete): then nothing is asked of the source, whose answer to a range that
  // starts at the end is 416, and the hash below decides.
  for (let failures = 0; total === undefined || loaded < total;) {
    try {
      const stream = await source.open(path, { offset: loaded, ...(signal ? { signal } : {}) });
      if (total !== undefined && stream.size !== undefined && stream.size !== total) {
        throw new EmbedError(
          'MODEL_INTEGRITY_FAILED',
          `${source.locate(path)} is now ${stream.size} bytes, expected ${total}: the file changed since its size was read`,
        );
      }
      if (stream.start !== loaded) {
        // The server ignored the range: start over, and tell the sink.
        loaded = 0;
        parts = [];
        hasher.init();
        await sink?.restart();
      }
      total ??= stream.size;
      if (keep) out ??= total === undefined ? undefined : allocate(total, source.locate(path));
      for await (const chunk of stream.chunks) {
        if (total !== undefined && loaded + chunk.length > total) {
          throw new EmbedError(
            'MODEL_INTEGRITY_FAILED',
            `${source.locate(path)} sent more than the ${total} bytes it announced`,
          );
        }
        if (out) out.set(chunk, loaded);
        else if (keep) parts.push(chunk);
        await sink?.write(chunk, loaded);
        hasher.update(chunk);
        loaded += chunk.length;
        options.onBytes?.(loaded, total);
      }
      if (total === undefined || loaded === total) break;
      throw new EmbedError('MODEL_FETCH_FAILED', `${source.locate(path)} ended after ${loaded} of ${total} bytes`);
    } catch (error) {
      // Sources stop on an aborted signal in their own way (DOMException, fetch errors): one code.
      if (signal?.aborted)
        throw error instanceof EmbedError && error.code === 'ABORTED'
          ? error
          : new EmbedError('ABORTED', `loading ${path} was aborted`, { cause: error });
      const transient = error instanceof EmbedError && error.code === 'MODEL_FETCH_FAILED';
      if (!transient || ++failures > retries) throw error;
      await delay(RETRY_DELAY_MS * failures, signal);
    }
  }
  const bytes = keep ? (out ?? concat(parts, loaded)) : undefined;
  const sha256 = hasher.digest('hex');
  if (expected.sha256 !== undefined && sha256 !== expected.sha256) {
    throw new EmbedError(
      'MODEL_INTEGRITY_FAILED',
      `${source.locate(path)} has sha256 ${sha256}, expected ${expected.sha256}: the file is corrupt or was changed`,
    );
  }
  return bytes ? { bytes, sha256 } : { sha256 };
}

/** One buffer for the whole file; a size the browser cannot allocate is a clear error, not a crash. */
export function allocate(size: number, where: string): Uint8Array<ArrayBuffer> {
  try {
    return new Uint8Array(size);
  } catch (cause) {
    throw new EmbedError(
      'MODEL_TOO_LARGE',
      `${where} is ${size} bytes, more than this browser can hold in one ArrayBuffer: choose a smaller dtype (q4, q8) or an export that splits its weights into external data chunks`,
      { cause },
    );
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new EmbedError('ABORTED', 'the load was aborted', { cause: signal.reason }));
      },
      { once: true },
    );
  });
}
