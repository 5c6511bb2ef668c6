import { EmbedError } from '../core/errors.ts';
import type { ByteStream, FileSource, FileStat } from './file-source.ts';
import { fetchHubTree } from './hub-tree.ts';

/**
 * A Hub-layout repo over HTTP(S), with every failure mapped to a coded error naming file and URL.
 * With `treeUrl` (a Hub repo), sizes, sha256s and which files exist come from one listing
 * request instead of a HEAD per file.
 */
export function httpSource(baseUrl: string, options: { treeUrl?: string; fetch?: typeof fetch } = {}): FileSource {
  const fetchImpl = options.fetch ?? fetch;
  let tree: Promise<Map<string, FileStat> | undefined> | undefined;
  const locate = (path: string): string => new URL(path, baseUrl).href;

  async function request(path: string, init: RequestInit): Promise<Response> {
    const url = locate(path);
    let response: Response;
    try {
      // no-store: the model has its own verified cache; the HTTP cache would hold a second copy
      // of every file and silently resume cut downloads from stale bytes.
      response = await fetchImpl(url, { cache: 'no-store', ...init });
    } catch (cause) {
      throw transportError(path, url, init.signal, cause);
    }
    if (response.status === 404) {
      throw new EmbedError('MODEL_FILE_MISSING', `${path} was not found at ${url} (HTTP 404): check the model id or URL${externalHint(path)}`);
    }
    if (response.status === 401 || response.status === 403) {
      throw new EmbedError('MODEL_ACCESS_DENIED', `${url} answered HTTP ${response.status}: the repo is private, gated, or does not exist; check the model id, or host the files where this page can reach them`);
    }
    if (!response.ok) {
      throw new EmbedError('MODEL_FETCH_FAILED', `${path} could not be fetched from ${url}: HTTP ${response.status} ${response.statusText}`.trim());
    }
    // A proxy, captive portal or SPA fallback answering with a page instead of the file.
    if ((response.headers.get('content-type') ?? '').includes('text/html')) {
      throw new EmbedError('MODEL_FETCH_FAILED', `${url} answered with an HTML page instead of ${path}: the server is not serving the model file there`);
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
      let response: Response;
      try {
        response = await request(path, { method: 'HEAD', signal: signal ?? null });
      } catch (error) {
        if (error instanceof EmbedError && error.code === 'MODEL_FILE_MISSING') return undefined;
        throw error;
      }
      return statOf(response);
    },
    async open(path, options = {}) {
      const offset = options.offset ?? 0;
      const headers: Record<string, string> = offset > 0 ? { Range: `bytes=${offset}-` } : {};
      const response = await request(path, { headers, signal: options.signal ?? null });
      const url = locate(path);
      const start = response.status === 206 ? rangeStart(response) : 0;
      if (response.status === 206 && start !== offset) {
        throw new EmbedError('MODEL_FETCH_FAILED', `${url} answered a range request for byte ${offset} with bytes from ${start}`);
      }
      const stat = statOf(response);
      const size = response.status === 206 ? rangeTotal(response) : stat.size;
      return { start, size, chunks: chunksOf(response, path, url, options.signal) } satisfies ByteStream;
    },
  };
}

function statOf(response: Response): FileStat {
  // The Hub redirects LFS files to a CDN; X-Linked-Size / X-Linked-Etag describe the file itself.
  const linkedSize = response.headers.get('x-linked-size');
  const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  const length = response.headers.get('content-length');
  const size = linkedSize !== null ? Number(linkedSize) : length !== null && !encoded ? Number(length) : undefined;
  const etag = (response.headers.get('x-linked-etag') ?? response.headers.get('etag') ?? '').replace(/^W\//, '').replaceAll('"', '');
  return { size: Number.isFinite(size) ? size : undefined, sha256: /^[0-9a-f]{64}$/i.test(etag) ? etag.toLowerCase() : undefined };
}

function rangeStart(response: Response): number {
  const match = /bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
  return match ? Number(match[1]) : 0;
}

function rangeTotal(response: Response): number | undefined {
  const match = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
  return match ? Number(match[1]) : undefined;
}

async function* chunksOf(response: Response, path: string, url: string, signal: AbortSignal | undefined): AsyncIterable<Uint8Array> {
  if (!response.body) {
    yield new Uint8Array(await response.arrayBuffer());
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (cause) {
        throw transportError(path, url, signal, cause);
      }
      if (step.done) return;
      yield step.value;
    }
  } finally {
    reader.releaseLock();
  }
}

function transportError(path: string, url: string, signal: AbortSignal | null | undefined, cause: unknown): EmbedError {
  if (signal?.aborted) return new EmbedError('ABORTED', `loading ${path} was aborted`, { cause });
  return new EmbedError('MODEL_FETCH_FAILED', `could not fetch ${path} from ${url} (network error, dropped connection or CORS refusal): check the URL, the connection, and that the server allows this origin`, { cause });
}

function externalHint(path: string): string {
  return /\.onnx_data(_\d+)?$|\.onnx\.data$/.test(path) ? '; the export needs its external data file next to the .onnx graph' : '';
}
