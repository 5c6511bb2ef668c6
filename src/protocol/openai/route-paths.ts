/**
 * Which paths the embeddings route takes. Pure (no service worker types), so Node tests check it.
 */

export type Endpoint = { kind: 'embeddings' } | { kind: 'models' } | { kind: 'model'; id: string };

/** `/v1/embeddings`, `/v1/models`, `/v1/models/{id}` (ids may hold slashes: `onnx-community/Qwen3-…`). */
export function endpointOf(pathname: string, base: string): Endpoint | undefined {
  if (pathname === `${base}/embeddings`) return { kind: 'embeddings' };
  if (pathname === `${base}/models`) return { kind: 'models' };
  const prefix = `${base}/models/`;
  if (pathname.startsWith(prefix) && pathname.length > prefix.length)
    return { kind: 'model', id: decoded(pathname.slice(prefix.length)) };
  return undefined;
}

/** A malformed escape (`%E0`) stays as sent: throwing here would let the request through to the network. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
