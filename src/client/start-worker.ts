/**
 * Starts the embedding worker from its bundled script's URL.
 *
 * A worker script must be same-origin with the page, but the library is also loaded from CDNs
 * (`<script type="module" src="https://cdn.example/tabembed/dist/lib/widget.js">`). A module
 * worker may import a cross-origin module (with CORS), so for a cross-origin script the worker
 * is a one-line same-origin blob that imports it. onnxruntime-web handles its own cross-origin
 * glue script the same way (it fetches it into a blob URL before starting its threads).
 * Same-origin scripts start directly: a page whose CSP says `worker-src 'self'` allows those and
 * refuses blob workers.
 */
export function startEmbedWorker(scriptUrl: string): Worker {
  const url = new URL(scriptUrl, import.meta.url);
  const options: WorkerOptions = { type: 'module', name: 'tabembed' };
  if (url.origin === location.origin) return new Worker(url, options);
  const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};\n`], { type: 'text/javascript' }));
  return new Worker(shim, options);
}
