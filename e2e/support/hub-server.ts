/**
 * A local stand-in for the Hugging Face Hub: serves model folders at the Hub's URLs
 * (`/{org}/{repo}/resolve/{revision}/{path}`, `/api/models/…`) with the Hub's headers (ETag,
 * X-Linked-Etag/Size, ranges, CORS), and with faults a test can switch on and off while it runs,
 * so download, caching and integrity code meets real HTTP failures instead of fetch mocks.
 *
 * @example
 *   const hub = await startHubServer({ repos: { 'tabembed/qwen3-tiny': 'public/models/qwen3-tiny' } });
 *   hub.setFaults([{ path: 'onnx/model_q4.onnx', fault: 'truncate', times: 1 }]);
 *   await fetch(`${hub.origin}/tabembed/qwen3-tiny/resolve/main/onnx/model_q4.onnx`); // short body, once
 *   hub.requests(); // [{ method: 'GET', path: '/tabembed/…', status: 200, bytesSent: 19489926, faults: ['truncate'], … }]
 *   await hub.close();
 */
import { existsSync } from 'node:fs';
import { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, sep } from 'node:path';
import {
  type Fault,
  type FaultPlan,
  type FaultRule,
  NO_FAULTS,
  faultedBytes,
  planFaults,
  sendBody,
  statusFaultResponse,
} from './hub-faults.ts';
import { commitSha, fileInfo, listFiles, readSlice } from './hub-files.ts';

export type { Fault, FaultRule } from './hub-faults.ts';

export interface HubServerOptions {
  /** Repo id → folder, e.g. `{ 'tabembed/qwen3-tiny': 'public/models/qwen3-tiny' }`. */
  repos: Record<string, string>;
  /** When set, only this revision exists (others: 404 RevisionNotFound); else any name resolves. */
  revision?: string;
  /** Base for relative repo folders; default the repository root. */
  root?: string;
}

export interface HubRequest {
  method: string;
  /** The URL path as requested, query included. */
  path: string;
  range?: string;
  /** 0 until the status line is written. */
  status: number;
  /** Body bytes handed to the socket so far. */
  bytesSent: number;
  /** Date.now() when the request arrived. */
  at: number;
  /** The faults that applied to it. */
  faults: Fault[];
  /** True when the client went away before the response finished (not counting `drop`). */
  aborted: boolean;
}

export interface HubServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  /** Replaces the fault rules; each rule's `times` counts down as requests use it. */
  setFaults(rules: FaultRule[]): void;
  clearFaults(): void;
  requests(): HubRequest[];
  resetLog(): void;
  close(): Promise<void>;
}

const REPO_ROOT = resolve(import.meta.dirname, '../..');

const EXPOSED_HEADERS =
  'Content-Length, Content-Range, ETag, X-Linked-Etag, X-Linked-Size, Accept-Ranges, X-Repo-Commit, X-Error-Code';

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  entry: HubRequest;
}

function corsHeaders(req: IncomingMessage): OutgoingHttpHeaders {
  return {
    'Access-Control-Allow-Origin': req.headers.origin ?? '*',
    'Access-Control-Expose-Headers': EXPOSED_HEADERS,
    Vary: 'Origin',
  };
}

function head(ctx: Ctx, status: number, headers: OutgoingHttpHeaders, plan: FaultPlan = NO_FAULTS): void {
  ctx.entry.status = status;
  ctx.res.writeHead(status, {
    'Cross-Origin-Resource-Policy': 'cross-origin',
    ...(plan.noCors ? {} : corsHeaders(ctx.req)),
    ...headers,
  });
}

function sendText(
  ctx: Ctx,
  status: number,
  contentType: string,
  body: string,
  extra: OutgoingHttpHeaders = {},
  plan?: FaultPlan,
): void {
  const bytes = Buffer.from(body);
  head(ctx, status, { 'Content-Type': contentType, 'Content-Length': bytes.length, ...extra }, plan);
  if (ctx.req.method === 'HEAD') {
    ctx.res.end();
    return;
  }
  ctx.entry.bytesSent += bytes.length;
  ctx.res.end(bytes);
}

function sendJson(ctx: Ctx, status: number, value: unknown, extra: OutgoingHttpHeaders = {}): void {
  sendText(ctx, status, 'application/json; charset=utf-8', JSON.stringify(value), extra);
}

/** The Hub's error answers: its JSON `{ error }` plus the `X-Error-Code` its clients switch on. */
const hubError = (ctx: Ctx, status: number, code: string, error: string) =>
  sendJson(ctx, status, { error }, { 'X-Error-Code': code });

/** `[start, end]` inclusive, `'unsatisfiable'`, or undefined to ignore the header (as servers do for multi-ranges). */
export function parseRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start >= size || end < start ? 'unsatisfiable' : [start, end];
}

function contentType(path: string): string {
  if (path.endsWith('.json')) return 'application/json';
  if (path.endsWith('.txt') || path.endsWith('.md')) return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

export async function startHubServer(options: HubServerOptions): Promise<HubServer> {
  const root = options.root ?? REPO_ROOT;
  const repos = new Map(Object.entries(options.repos).map(([id, dir]) => [id, resolve(root, dir)]));
  for (const [id, dir] of repos) {
    if (!existsSync(dir))
      throw new Error(
        `hub-server: the folder for ${id} (${dir}) does not exist; generate the fixture first (npm run fixture)`,
      );
  }
  let rules: FaultRule[] = [];
  let log: HubRequest[] = [];

  /** Null (after answering) when the repo or revision does not exist. */
  function repoDir(ctx: Ctx, repoId: string, revision: string): string | null {
    const dir = repos.get(repoId);
    if (!dir) {
      hubError(ctx, 401, 'RepoNotFound', 'Repository not found');
      return null;
    }
    if (options.revision !== undefined && revision !== options.revision && revision !== commitSha(options.revision)) {
      hubError(ctx, 404, 'RevisionNotFound', `Invalid rev id: ${revision}`);
      return null;
    }
    return dir;
  }

  /** `dir/path` when it stays inside `dir`, else undefined. */
  function inside(dir: string, path: string): string | undefined {
    const abs = resolve(dir, path);
    return abs === dir || abs.startsWith(dir + sep) ? abs : undefined;
  }

  async function resolveFile(ctx: Ctx, repoId: string, revision: string, path: string): Promise<void> {
    const { req, res, entry } = ctx;
    const dir = repoDir(ctx, repoId, revision);
    if (!dir) return;
    const plan = planFaults(rules, path, req.method ?? 'GET', req.headers.range !== undefined);
    entry.faults = plan.applied;
    if (req.method === 'OPTIONS') return preflight(ctx, plan);
    if (plan.status) {
      const { status, contentType: type, body } = statusFaultResponse(plan.status);
      return sendText(ctx, status, type, body, {}, plan);
    }
    const abs = inside(dir, path);
    if (!abs || !(await listFiles(dir)).includes(path)) return hubError(ctx, 404, 'EntryNotFound', 'Entry not found');
    const info = await fileInfo(abs);
    const headers: OutgoingHttpHeaders = {
      'Content-Type': contentType(path),
      'Accept-Ranges': 'bytes',
      ETag: `"${info.lfs ? info.sha256 : info.gitSha1}"`,
      'X-Repo-Commit': commitSha(revision),
      ...(info.lfs ? { 'X-Linked-Etag': `"${info.sha256}"`, 'X-Linked-Size': info.size } : {}),
      ...(plan.body?.fault === 'truncate' || plan.body?.fault === 'drop' ? { Connection: 'close' } : {}),
    };
    const range = plan.noRange ? undefined : parseRange(req.headers.range, info.size);
    if (range === 'unsatisfiable')
      return sendText(ctx, 416, 'text/plain', '', { 'Content-Range': `bytes */${info.size}` }, plan);
    const [start, end] = range ?? [0, info.size - 1];
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${info.size}`;
    if (!plan.noLength) headers['Content-Length'] = end - start + 1;
    head(ctx, range ? 206 : 200, headers, plan);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const bytes = faultedBytes(await readSlice(abs, start, end), start, info.size, plan.body);
    await sendBody(res, bytes, plan.body, (n) => (entry.bytesSent += n));
  }

  function preflight(ctx: Ctx, plan: FaultPlan): void {
    head(
      ctx,
      204,
      {
        'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
        'Access-Control-Allow-Headers': 'Range, Content-Type, Authorization',
        // Faults change between tests; a cached preflight would hide `noCors`.
        'Access-Control-Max-Age': '0',
      },
      plan,
    );
    ctx.res.end();
  }

  async function modelInfo(ctx: Ctx, repoId: string, revision: string): Promise<void> {
    const dir = repoDir(ctx, repoId, revision);
    if (!dir) return;
    const files = await listFiles(dir);
    sendJson(ctx, 200, {
      id: repoId,
      modelId: repoId,
      sha: commitSha(revision),
      private: false,
      gated: false,
      siblings: files.map((rfilename) => ({ rfilename })),
    });
  }

  /** The Hub's tree API: one folder's entries, or everything under it with `?recursive=true`. */
  async function tree(ctx: Ctx, repoId: string, revision: string, folder: string, recursive: boolean): Promise<void> {
    const dir = repoDir(ctx, repoId, revision);
    if (!dir) return;
    const prefix = folder === '' ? '' : `${folder.replace(/\/+$/, '')}/`;
    const under = (await listFiles(dir)).filter((p) => p.startsWith(prefix));
    if (prefix !== '' && under.length === 0)
      return hubError(ctx, 404, 'EntryNotFound', `${folder} does not exist on "${revision}"`);
    const entries: unknown[] = [];
    const folders = new Set<string>();
    for (const path of under) {
      const rest = path.slice(prefix.length);
      if (!recursive && rest.includes('/')) {
        const sub = prefix + rest.slice(0, rest.indexOf('/'));
        if (!folders.has(sub)) entries.push({ type: 'directory', oid: commitSha(`tree:${sub}`), size: 0, path: sub });
        folders.add(sub);
        continue;
      }
      const info = await fileInfo(resolve(dir, path));
      entries.push({
        type: 'file',
        oid: info.lfs ? info.lfs.pointerSha1 : info.gitSha1,
        size: info.size,
        path,
        ...(info.lfs ? { lfs: { oid: info.sha256, size: info.size, pointerSize: info.lfs.pointerSize } } : {}),
      });
    }
    sendJson(ctx, 200, entries);
  }

  async function route(ctx: Ctx): Promise<void> {
    const url = new URL(ctx.req.url ?? '/', 'http://hub.local');
    let parts: string[];
    try {
      parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    } catch {
      return hubError(ctx, 400, 'BadRequest', 'Malformed URL');
    }
    const method = ctx.req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS')
      return hubError(ctx, 405, 'MethodNotAllowed', `${method} is not supported`);
    const [a, b, c, d, e, ...rest] = parts;
    if (a !== undefined && b !== undefined && c === 'resolve' && d !== undefined && e !== undefined) {
      return resolveFile(ctx, `${a}/${b}`, d, [e, ...rest].join('/'));
    }
    if (method === 'OPTIONS') return preflight(ctx, NO_FAULTS);
    if (a === 'api' && b === 'models' && c !== undefined && d !== undefined) {
      const repoId = `${c}/${d}`;
      const [kind, revision = 'main', ...folder] = [e, ...rest];
      if (kind === undefined) return modelInfo(ctx, repoId, 'main');
      if (kind === 'revision') return modelInfo(ctx, repoId, revision);
      const recursive = ['1', 'true'].includes(url.searchParams.get('recursive') ?? '');
      if (kind === 'tree') return tree(ctx, repoId, revision, folder.join('/'), recursive);
    }
    return hubError(ctx, 404, 'NotFound', `Sorry, we can't find the page you are looking for (${url.pathname})`);
  }

  const server = createServer((req, res) => {
    const entry: HubRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      status: 0,
      bytesSent: 0,
      at: Date.now(),
      faults: [],
      aborted: false,
    };
    if (req.headers.range !== undefined) entry.range = req.headers.range;
    log.push(entry);
    res.on('close', () => {
      if (!res.writableFinished && !entry.faults.includes('drop')) entry.aborted = true;
    });
    void route({ req, res, entry }).catch((error: unknown) => {
      console.error('[hub-server]', error);
      if (!res.headersSent) hubError({ req, res, entry }, 500, 'InternalError', String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    setFaults(next) {
      rules = next.filter((r) => r.times === undefined || r.times > 0).map((r) => ({ ...r }));
    },
    clearFaults() {
      rules = [];
    },
    requests: () => log.map((r) => ({ ...r, faults: [...r.faults] })),
    resetLog() {
      log = [];
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done())));
    },
  };
}
