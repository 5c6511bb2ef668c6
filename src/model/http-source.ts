import { EmbedError } from '../core/errors.ts';
import type { FileStat } from '../core/file-stat.ts';
import type { ByteStream, FileSource } from './file-source.ts';
import { fetchHubTree } from './hub-tree.ts';

/** No byte for this long ends a request (the server or a proxy stalled); `download.ts` then resumes it. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

export interface HttpSourceOptions {
  /** A Hub repo's listing: sizes, sha256s and which files exist in one request instead of a HEAD per file. */
  treeUrl?: string;
  fetch?: typeof fetch;
  /** Milliseconds without a byte (headers or body) after which a request is aborted as stalled; default 30 s. */
  idleTimeoutMs?: number;
}

/**
 * A Hub-layout repo over HTTP(S), with every failure mapped to a coded error naming file and URL.
 * A request that receives nothing for `idleTimeoutMs` fails with MODEL_FETCH_FAILED, which the
 * download resumes with a range request like any dropped connection: a stalled mirror costs a
 * retry, never a hang.
 */
export function httpSource(baseUrl: string, options: HttpSourceOptions = {}): FileSource {
  const fetchImpl = options.fetch ?? fetch;
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  if (!(idleMs > 0 && Number.isFinite(idleMs)))
    throw new EmbedError(
      'INVALID_OPTION',
      `idleTimeoutMs must be a positive number of milliseconds, got ${String(options.idleTimeoutMs)}`,
    );
  let tree: Promise<Map<string, FileStat> | undefined> | undefined;
  const locate = (path: string): string => new URL(path, baseUrl).href;

  async function request(path: string, init: RequestInit, watchdog: Watchdog): Promise<Response> {
    const url = locate(path);
    let response: Response;
    try {
      // no-store: the model has its own verified cache; the HTTP cache would hold a second copy
      // of every file and silently resume cut downloads from stale bytes.
      response = await fetchImpl(url, { cache: 'no-store', ...init, signal: watchdog.signal });
    } catch (cause) {
      throw transportError(path, url, init.signal, cause, watchdog);
    }
    watchdog.touch();
    if (response.status === 404) {
      throw new EmbedError(
        'MODEL_FILE_MISSING',
        `${path} was not found at ${url} (HTTP 404): check the model id or URL${externalHint(path)}`,
      );
    }
    if (response.status === 401 || response.status === 403) {
      throw new EmbedError(
        'MODEL_ACCESS_DENIED',
        `${url} answered HTTP ${response.status}: the repo is private, gated, or does not exist; check the model id, or host the files where this page can reach them`,
      );
    }
    if (!response.ok) {
      throw new EmbedError(
        'MODEL_FETCH_FAILED',
        `${path} could not be fetched from ${url}: HTTP ${response.status} ${response.statusText}`.trim(),
      );
    }
    // A proxy, captive portal or SPA fallback answering with a page instead of the file.
    if ((response.headers.get('content-type') ?? '').includes('text/html')) {
      throw new EmbedError(
        'MODEL_FETCH_FAILED',
        `${url} answered with an HTML page instead of ${path}: the server is not serving the model file there`,
      );
    }
    return response;
  }

  return {
    locate,
    async stat(path, signal) {
      if (options.treeUrl) {
        tree ??= fetchHubTree(options.treeUrl, fetchImpl, signal);
        const listing = await tree;
        if (listing) return listing.get(path);
      }
      const watchdog = startWatchdog(idleMs, signal, 0);
      let response: Response;
      try {
        response = await request(path, { method: 'HEAD', signal: signal ?? null }, watchdog);
      } catch (error) {
        if (error instanceof EmbedError && error.code === 'MODEL_FILE_MISSING') return undefined;
        throw error;
      } finally {
        watchdog.stop();
      }
      return statOf(response);
    },
    async open(path, options = {}) {
      const offset = options.offset ?? 0;
      const headers: Record<string, string> = offset > 0 ? { Range: `bytes=${offset}-` } : {};
      const watchdog = startWatchdog(idleMs, options.signal, offset);
      try {
        const response = await request(path, { headers, signal: options.signal ?? null }, watchdog);
        const url = locate(path);
        const start = response.status === 206 ? rangeStart(response) : 0;
        if (response.status === 206 && start !== offset) {
          throw new EmbedError(
            'MODEL_FETCH_FAILED',
            `${url} answered a range request for byte ${offset} with bytes from ${start}`,
          );
        }
        const stat = statOf(response);
        const size = response.status === 206 ? rangeTotal(response) : stat.size;
        watchdog.position = start;
        return { start, size, chunks: chunksOf(response, path, url, options.signal, watchdog) } satisfies ByteStream;
      } catch (error) {
        watchdog.stop();
        throw error;
      }
    },
  };
}

function statOf(response: Response): FileStat {
  // The Hub redirects LFS files to a CDN; X-Linked-Size / X-Linked-Etag describe the file itself.
  const linkedSize = response.headers.get('x-linked-size');
  const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  const length = response.headers.get('content-length');
  const size = linkedSize !== null ? Number(linkedSize) : length !== null && !encoded ? Number(length) : undefined;
  const etag = (response.headers.get('x-linked-etag') ?? response.headers.get('etag') ?? '')
    .replace(/^W\//, '')
    .replaceAll('"', '');
  return {
    size: Number.isFinite(size) ? size : undefined,
    sha256: /^[0-9a-f]{64}$/i.test(etag) ? etag.toLowerCase() : undefined,
  };
}

function rangeStart(response: Response): number {
  const match = /bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
  return match ? Number(match[1]) : 0;
}

function rangeTotal(response: Response): number | undefined {
  const match = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
  return match ? Number(match[1]) : undefined;
}

async function* chunksOf(
  response: Response,
  path: string,
  url: string,
  signal: AbortSignal | undefined,
  watchdog: Watchdog,
): AsyncIterable<Uint8Array> {
  try {
    if (!response.body) {
      let whole: ArrayBuffer;
      try {
        whole = await response.arrayBuffer();
      } catch (cause) {
        throw transportError(path, url, signal, cause, watchdog);
      }
      yield new Uint8Array(whole);
      return;
    }
    const reader = response.body.getReader();
    try {
      for (;;) {
        let step: ReadableStreamReadResult<Uint8Array>;
        try {
          step = await reader.read();
        } catch (cause) {
          throw transportError(path, url, signal, cause, watchdog);
        }
        if (step.done) return;
        watchdog.touch();
        watchdog.position += step.value.length;
        yield step.value;
      }
    } finally {
      // An abandoned or failed read cancels the body: the connection is not left open.
      await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  } finally {
    watchdog.stop();
  }
}

function transportError(
  path: string,
  url: string,
  signal: AbortSignal | null | undefined,
  cause: unknown,
  watchdog: Watchdog,
): EmbedError {
  if (signal?.aborted) return new EmbedError('ABORTED', `loading ${path} was aborted`, { cause });
  if (watchdog.fired) {
    return new EmbedError(
      'MODEL_FETCH_FAILED',
      `${url} sent nothing for ${watchdog.idleMs / 1000} s (${path}, at byte ${watchdog.position}): the server or a proxy stalled`,
      { cause },
    );
  }
  return new EmbedError(
    'MODEL_FETCH_FAILED',
    `could not fetch ${path} from ${url} (network error, dropped connection or CORS refusal): check the URL, the connection, and that the server allows this origin`,
    { cause },
  );
}

/**
 * Aborts one request when nothing arrives for `idleMs`: `touch()` on every byte re-arms it. Its
 * signal also follows the caller's, so either ends the request.
 */
interface Watchdog {
  readonly signal: AbortSignal;
  readonly idleMs: number;
  /** It fired: the request was aborted as stalled. */
  readonly fired: boolean;
  /** The file offset reached, for the message. */
  position: number;
  touch(): void;
  stop(): void;
}

function startWatchdog(idleMs: number, caller: AbortSignal | undefined, position: number): Watchdog {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watchdog = {
    signal: caller ? AbortSignal.any([caller, controller.signal]) : controller.signal,
    idleMs,
    fired: false,
    position,
    touch() {
      clearTimeout(timer);
      timer = setTimeout(() => {
        watchdog.fired = true;
        controller.abort(new Error(`no byte for ${idleMs} ms`));
      }, idleMs);
    },
    stop() {
      clearTimeout(timer);
    },
  };
  watchdog.touch();
  return watchdog;
}

function externalHint(path: string): string {
  return /\.onnx_data(_\d+)?$|\.onnx\.data$/.test(path)
    ? '; the export needs its external data file next to the .onnx graph'
    : '';
}
