/**
 * The embeddings route's options read from its service worker's own URL, so a site sets them
 * when it registers the worker, with no build of its own:
 * `navigator.serviceWorker.register('/embeddings-sw.js?basePath=/api/v1&requestTimeoutMs=60000', { type: 'module' })`.
 * Pure (no service worker types), so Node tests check it.
 */
export interface EmbeddingsRouteOptions {
  /** Path prefix of the API on this origin. Default `/v1`, as OpenAI clients expect next to their base URL. */
  basePath?: string;
  /** How long a host has to acknowledge a request before the next host is tried. */
  ackTimeoutMs?: number;
  /** The longest a request may take once a host has it: 504 after. Chromium ends a fetch event after 5 minutes. */
  requestTimeoutMs?: number;
  /** How long to wait for hosts to answer a probe, when the service worker knows none (it restarted). */
  probeTimeoutMs?: number;
}

const DURATIONS = ['ackTimeoutMs', 'requestTimeoutMs', 'probeTimeoutMs'] as const;

/**
 * The options named in `search` (a URL's query); the others keep their defaults. A value that is
 * not usable throws, naming the parameter and the rule, so the worker fails to register instead
 * of serving with a setting nobody asked for.
 *
 * @example
 * routeOptionsFrom('?requestTimeoutMs=60000'); // { requestTimeoutMs: 60000 }
 * routeOptionsFrom('');                        // {}
 */
export function routeOptionsFrom(search: string): EmbeddingsRouteOptions {
  const params = new URLSearchParams(search);
  const options: EmbeddingsRouteOptions = {};
  const basePath = params.get('basePath');
  if (basePath !== null) {
    if (!/^\/[\w\-./]*$/.test(basePath) || basePath.includes('..'))
      throw new TypeError(
        `the embeddings route's basePath must be a path such as /v1, got ${JSON.stringify(basePath)}`,
      );
    options.basePath = basePath;
  }
  for (const name of DURATIONS) {
    const value = params.get(name);
    if (value === null) continue;
    const ms = Number(value);
    if (value.trim() === '' || !Number.isInteger(ms) || ms < 1)
      throw new TypeError(
        `the embeddings route's ${name} must be a whole number of milliseconds ≥ 1, got ${JSON.stringify(value)}`,
      );
    options[name] = ms;
  }
  return options;
}
