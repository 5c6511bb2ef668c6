import { EmbedError } from '../core/errors.ts';
import type { FileProgress, ModelFileReader } from './file-reader.ts';

/** Reads a Hub-layout repo over HTTP(S) with `fetch`, mapping each failure to a coded error. */
export function httpFiles(baseUrl: string, fetchImpl: typeof fetch = fetch): ModelFileReader {
  const locate = (path: string): string => new URL(path, baseUrl).href;

  /** fetch with network failures and aborts turned into coded errors; status is the caller's. */
  async function request(path: string, init: RequestInit): Promise<Response> {
    const url = locate(path);
    try {
      return await fetchImpl(url, init);
    } catch (cause) {
      throw transportError(path, url, init.signal, cause);
    }
  }

  async function get(path: string, signal: AbortSignal | undefined): Promise<Response> {
    const url = locate(path);
    const response = await request(path, { signal: signal ?? null });
    if (response.status === 404) {
      throw new EmbedError('MODEL_FILE_MISSING', `${path} was not found at ${url} (HTTP 404): check the model id/URL and that the repo has this file`);
    }
    if (!response.ok) {
      throw new EmbedError('MODEL_FETCH_FAILED', `${path} could not be fetched from ${url}: HTTP ${response.status} ${response.statusText}`.trim());
    }
    return response;
  }

  return {
    locate,
    async exists(path, signal) {
      // Only a 404 means "absent"; a refused connection must not pass for a missing dtype.
      const response = await request(path, { method: 'HEAD', signal: signal ?? null });
      if (response.status === 404) return false;
      if (response.ok) return true;
      throw new EmbedError('MODEL_FETCH_FAILED', `checking ${path} at ${locate(path)} failed: HTTP ${response.status} ${response.statusText}`.trim());
    },
    async json(path, signal) {
      const response = await get(path, signal);
      const text = await readText(response, path, locate(path), signal);
      try {
        return JSON.parse(text) as unknown;
      } catch (cause) {
        throw new EmbedError('MODEL_FETCH_FAILED', `${path} from ${locate(path)} is not JSON (starts with ${JSON.stringify(text.slice(0, 30))})`, { cause });
      }
    },
    async bytes(path, options = {}) {
      const url = locate(path);
      const response = await get(path, options.signal);
      if ((response.headers.get('content-type') ?? '').includes('text/html')) {
        throw new EmbedError('MODEL_FETCH_FAILED', `${url} answered with an HTML page instead of ${path}: the server is not serving the model file`);
      }
      // A compressed response's Content-Length counts the compressed bytes, not what we read.
      const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
      const header = response.headers.get('content-length');
      const total = header === null || encoded ? undefined : Number(header);
      try {
        return await readBody(response, path, total, options.onProgress);
      } catch (cause) {
        throw cause instanceof EmbedError ? cause : transportError(path, url, options.signal, cause);
      }
    },
  };
}

function transportError(path: string, url: string, signal: AbortSignal | null | undefined, cause: unknown): EmbedError {
  if (signal?.aborted) return new EmbedError('ABORTED', `loading ${path} was aborted`, { cause });
  return new EmbedError('MODEL_FETCH_FAILED', `could not fetch ${path} from ${url} (network error, dropped connection or CORS refusal): check the URL, the connection, and that the server allows this origin`, { cause });
}

async function readText(response: Response, path: string, url: string, signal: AbortSignal | undefined): Promise<string> {
  try {
    return await response.text();
  } catch (cause) {
    throw transportError(path, url, signal, cause);
  }
}

async function readBody(response: Response, file: string, total: number | undefined, onProgress?: (p: FileProgress) => void): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  // With a known length, stream straight into one buffer: the file is held once, not twice.
  const out = total !== undefined && Number.isFinite(total) ? new Uint8Array(total) : undefined;
  const parts: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (out && loaded + value.length <= out.length) out.set(value, loaded);
    else parts.push(value);
    loaded += value.length;
    onProgress?.({ file, loaded, total });
  }
  if (out && loaded === out.length && parts.length === 0) return out;
  if (out) {
    throw new EmbedError('MODEL_FETCH_FAILED', `${file} arrived with ${loaded} bytes but the server announced ${total}: the download was cut short or the server is misconfigured`);
  }
  const joined = new Uint8Array(loaded);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
