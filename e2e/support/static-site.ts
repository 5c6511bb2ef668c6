/**
 * A plain static file server for pages that are not ours: a site owner's page with the widget
 * script tag, a consumer app's build, the library behind a CDN-like path. Each mount maps a URL
 * prefix to a folder; headers (COOP/COEP, a Content-Security-Policy) are set per request, and
 * every request is logged so a spec can prove what left the page.
 *
 * @example
 *   const site = await startStaticSite({
 *     mounts: { '/': 'e2e/sites/widget', '/cdn/tabembed@0.1.0/': 'dist/lib', '/models/': 'public/models' },
 *     headers: (path) => (path.endsWith('.html') ? { 'Content-Security-Policy': "script-src 'self'" } : {}),
 *   });
 *   await page.goto(`${site.origin}/index.html`);
 *   site.requests(); // [{ method: 'GET', path: '/index.html', status: 200, body: '', at: 1765000000000 }, …]
 *   await site.close();
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { type IncomingMessage, type OutgoingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

export interface StaticSiteOptions {
  /**
   * URL prefix (starting and ending with `/`) → folder, or an exact path → file (`'/sw.js': 'dist/lib/sw.js'`),
   * relative to the repository root or absolute. The longest prefix wins.
   */
  mounts: Record<string, string>;
  /** Extra headers for a request path (after the isolation headers, so it may override them). */
  headers?: (path: string) => OutgoingHttpHeaders;
  /** Send COOP/COEP/CORP so the page is cross-origin isolated (threads in WASM). Default true. */
  isolate?: boolean;
  /**
   * A host's per-file limit in bytes (Cloudflare Pages: 25 MiB): a larger file is refused with
   * 413 instead of served, as such a host would never serve it.
   */
  maxFileSize?: number;
}

export interface SiteRequest {
  method: string;
  /** As requested, query included. */
  path: string;
  status: number;
  /** The request body as text (empty for GET). */
  body: string;
  /** When the request arrived (Date.now()), to order it against what a page recorded. */
  at: number;
  /** Response body bytes sent (the file's size for a 200 GET; served uncompressed), once answered. */
  bytes?: number;
  /** `Date.now()` when the response was handed to the socket (for byte accounting up to a moment). */
  finishedAt?: number;
}

export interface StaticSite {
  /** `http://localhost:PORT`: localhost, so pages are secure contexts (WebGPU, OPFS, service workers). */
  origin: string;
  requests(): SiteRequest[];
  close(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '../..');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.jsonl': 'application/jsonl',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.onnx_data': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

export async function startStaticSite(options: StaticSiteOptions): Promise<StaticSite> {
  const mounts = Object.entries(options.mounts)
    .map(([prefix, dir]) => ({ prefix, dir: resolve(ROOT, dir) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const log: SiteRequest[] = [];

  const server = createServer((req, res) => {
    const arrived = Date.now();
    void readBody(req).then((body) => {
      const path = req.url ?? '/';
      const entry: SiteRequest = { method: req.method ?? 'GET', path, status: 0, body, at: arrived };
      log.push(entry);
      const send = (status: number, headers: OutgoingHttpHeaders, file?: string): void => {
        entry.status = status;
        res.writeHead(status, headers);
        res.on('finish', () => (entry.finishedAt = Date.now()));
        if (file && req.method !== 'HEAD') {
          entry.bytes = statSync(file).size;
          createReadStream(file).pipe(res);
        } else res.end(status === 200 ? undefined : `${status}\n`);
      };
      const pathname = decodeURIComponent(path.split('?')[0] ?? '/');
      const headers: OutgoingHttpHeaders = {
        ...(options.isolate === false
          ? {}
          : {
              'Cross-Origin-Opener-Policy': 'same-origin',
              'Cross-Origin-Embedder-Policy': 'require-corp',
              'Cross-Origin-Resource-Policy': 'same-origin',
            }),
        'Cache-Control': 'no-cache',
        ...options.headers?.(pathname),
      };
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, headers);
      const file = fileFor(mounts, pathname);
      if (!file) return send(404, headers);
      if (options.maxFileSize !== undefined && statSync(file).size > options.maxFileSize) return send(413, headers);
      send(
        200,
        {
          ...headers,
          'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Length': statSync(file).size,
        },
        file,
      );
    });
  });
  await new Promise<void>((done) => server.listen(0, 'localhost', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    requests: () => log.map((entry) => ({ ...entry })),
    close: () =>
      new Promise<void>((done, fail) => {
        server.closeAllConnections();
        server.close((error) => (error ? fail(error) : done()));
      }),
  };
}

/** The file a path names under the longest matching mount (`index.html` for a folder), or undefined; never outside the mount. */
function fileFor(mounts: { prefix: string; dir: string }[], pathname: string): string | undefined {
  const mount = mounts.find(({ prefix }) => pathname.startsWith(prefix));
  if (!mount) return undefined;
  if (existsSync(mount.dir) && statSync(mount.dir).isFile()) return pathname === mount.prefix ? mount.dir : undefined;
  let file = resolve(join(mount.dir, pathname.slice(mount.prefix.length)));
  if (file !== mount.dir && !file.startsWith(mount.dir + sep)) return undefined;
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => done(Buffer.concat(parts).toString('utf8')));
    req.on('error', fail);
  });
}
