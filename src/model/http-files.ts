import { EmbedError } from '../core/errors.ts';
import type { FileProgress, ModelFileReader } from './file-reader.ts';

/** Reads a Hub-layout repo over HTTP(S) with `fetch`, mapping each failure to a coded error. */
export function httpFiles(baseUrl: string, fetchImpl: typeof fetch = fetch): ModelFileReader {
  const locate = (path: string): string => new URL(path, baseUrl).href;

  async function get(path: string, init: RequestInit): Promise<Response> {
    const url = locate(path);
    let response: Response;
    try {
      response = await fetchImpl(url, init);
    } catch (cause) {
      if (init.signal?.aborted) throw new EmbedError('ABORTED', `loading ${path} was aborted`, { cause });
      throw new EmbedError('MODEL_FETCH_FAILED', `could not fetch ${path} from ${url} (network error or CORS refusal): check the URL and that the server allows this origin`, { cause });
    }
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
      const response = await fetchImpl(locate(path), { method: 'HEAD', signal: signal ?? null }).catch(() => undefined);
      return response?.ok === true;
    },
    async json(path, signal) {
      const response = await get(path, { signal: signal ?? null });
      const text = await response.text();
      try {
        return JSON.parse(text) as unknown;
      } catch (cause) {
        throw new EmbedError('MODEL_FETCH_FAILED', `${path} from ${locate(path)} is not JSON (starts with ${JSON.stringify(text.slice(0, 30))})`, { cause });
      }
    },
    async bytes(path, options = {}) {
      const response = await get(path, { signal: options.signal ?? null });
      if ((response.headers.get('content-type') ?? '').includes('text/html')) {
        throw new EmbedError('MODEL_FETCH_FAILED', `${locate(path)} answered with an HTML page instead of ${path}: the server is not serving the model file`);
      }
      // A compressed response's Content-Length counts the compressed bytes, not what we read.
      const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
      const header = response.headers.get('content-length');
      const total = header === null || encoded ? undefined : Number(header);
      return readBody(response, path, total, options.onProgress);
    },
  };
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
