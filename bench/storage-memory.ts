/**
 * Which browser storage should hold downloaded model files: Cache Storage or OPFS?
 *
 *     npx tsx bench/storage-memory.ts [--mb 500] [--json out.json]
 *
 * A node:http server on 127.0.0.1 serves a test page and a dedicated worker (plain JS strings,
 * COOP/COEP so both are cross-origin isolated) and an N-MiB body produced on the fly from a
 * deterministic generator (nothing is kept in Node memory or written to disk; `Range: bytes=S-`
 * is honoured so a download can be resumed). Debian's Chromium runs with a persistent profile in
 * /tmp (NOT a Playwright `newContext()`: those are off-the-record and keep Cache Storage and OPFS
 * in memory), one browser launch per phase, so every phase starts from a cold renderer the way a
 * reload does:
 *
 *   store   cache: fetch → cache.put(url, response)
 *           opfs : fetch → response.body reader → syncAccessHandle.write(chunk, { at }) → flush/close
 *                  (and the same with a BYOB reader reusing one 1 MiB buffer; it rewrites the file)
 *   read    cache-arrayBuffer: (await cache.match(url)).arrayBuffer()
 *           cache-stream     : cache.match(url).body reader → copy into a preallocated Uint8Array
 *           cache-byob       : cache.match(url).body BYOB reader reading straight into one buffer
 *           opfs-file        : (await fileHandle.getFile()).arrayBuffer()
 *           opfs-sync        : syncAccessHandle.read(preallocated Uint8Array, { at })
 *   resume  a download cut at 40 %, then a relaunch: OPFS continues at getSize() with a Range
 *           request; Cache Storage's put() rejects and leaves nothing.
 *
 * Memory: every ~50 ms Node reads VmRSS (and PSS from smaps_rollup) of every process in the
 * Chromium tree (browser pid → /proc/<pid>/stat ppid walk). A phase's figure is the peak of the
 * summed RSS while it runs (plus 300 ms) minus the median over the 500 ms before it, after a
 * forced GC (--js-flags=--expose-gc). The read phases keep the buffer alive until the end of the
 * phase, verify it byte for byte against the generator, and ask
 * performance.measureUserAgentSpecificMemory() (forced eager) while it is held.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { findBrowserPid, median, Sampler } from './process-memory.ts';

const MiB = 1 << 20;

// ---------------------------------------------------------------- arguments

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const SIZE_MB = Number(argValue('--mb') ?? 500);
const JSON_OUT = argValue('--json');
if (!Number.isInteger(SIZE_MB) || SIZE_MB <= 0)
  throw new Error(`--mb must be a positive integer, got ${String(argValue('--mb'))}`);
const TOTAL_BYTES = SIZE_MB * MiB;
const SAMPLE_MS = 50;

// ---------------------------------------------------------------- deterministic body

/** 1 MiB of xorshift32 output; chunk i of the body is this block with bytes 0..7 = (i, ~i) little-endian. */
function makeBaseBlock(): Buffer {
  const b = Buffer.alloc(MiB);
  let x = 0x9e3779b9;
  for (let i = 0; i < MiB; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b.writeUInt32LE(x >>> 0, i);
  }
  return b;
}
const BASE = makeBaseBlock();

function chunk(i: number): Buffer {
  const c = Buffer.from(BASE);
  c.writeUInt32LE(i >>> 0, 0);
  c.writeUInt32LE(~i >>> 0, 4);
  return c;
}

async function streamBody(req: IncomingMessage, res: ServerResponse, total: number): Promise<void> {
  let start = 0;
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/octet-stream',
    'Accept-Ranges': 'bytes',
  };
  if (range) {
    start = Number(range[1]);
    if (start >= total) {
      res.writeHead(416, { ...headers, 'Content-Range': `bytes */${total}` }).end();
      return;
    }
    res.writeHead(206, {
      ...headers,
      'Content-Length': total - start,
      'Content-Range': `bytes ${start}-${total - 1}/${total}`,
    });
  } else {
    res.writeHead(200, { ...headers, 'Content-Length': total });
  }
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  for (let i = Math.floor(start / MiB); i * MiB < total && !closed; i++) {
    let c = chunk(i);
    if (i * MiB < start) c = c.subarray(start - i * MiB);
    if (!res.write(c)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  res.end();
}

// ---------------------------------------------------------------- page and worker

const PAGE_HTML = `<!doctype html><meta charset="utf-8"><title>storage-memory</title>
<script>
  const worker = new Worker('/worker.js');
  let next = 0;
  const pending = new Map();
  worker.onmessage = (e) => { const p = pending.get(e.data.id); pending.delete(e.data.id); p(e.data.result); };
  worker.onerror = (e) => { document.title = 'worker error: ' + e.message; };
  window.call = (msg) => new Promise((resolve) => { const id = next++; pending.set(id, resolve); worker.postMessage({ id, msg }); });
  window.measureMemory = async () => {
    if (!self.crossOriginIsolated || !performance.measureUserAgentSpecificMemory) return { error: 'unavailable (crossOriginIsolated=' + self.crossOriginIsolated + ')' };
    const timeout = new Promise((r) => setTimeout(() => r({ error: 'timed out after 30 s' }), 30000));
    try {
      const m = await Promise.race([performance.measureUserAgentSpecificMemory(), timeout]);
      if (m.error) return m;
      const byType = {};
      for (const b of m.breakdown) for (const a of b.attribution) {
        const k = a.scope ?? 'unknown'; byType[k] = (byType[k] ?? 0) + b.bytes;
      }
      return { bytes: m.bytes, byScope: byType };
    } catch (e) { return { error: String(e) }; }
  };
</script>`;

const WORKER_JS = `
'use strict';
const MiB = ${MiB};
let held = null;
const gcNow = () => { if (typeof gc === 'function') { gc(); return true; } return false; };

async function storeCache({ url, abortAfter }) {
  const cache = await caches.open('bench');
  await cache.delete(url);
  const ctrl = new AbortController();
  const resp = await fetch(url, { signal: ctrl.signal });
  let body = resp;
  if (abortAfter) {
    let n = 0;
    const cut = new TransformStream({ transform(c, out) { n += c.byteLength; out.enqueue(c); if (n >= abortAfter) ctrl.abort(new Error('simulated network drop')); } });
    body = new Response(resp.body.pipeThrough(cut), { status: resp.status, headers: resp.headers });
  }
  let error = null;
  try { await cache.put(url, body); } catch (e) { error = String(e); }
  const stored = await cache.match(url);
  return { status: resp.status, error, storedAfter: stored ? Number(stored.headers.get('content-length')) : null };
}

async function storeOpfs({ url, name, abortAfter, resume, byob }) {
  const root = await navigator.storage.getDirectory();
  const fh = await root.getFileHandle(name, { create: true });
  const ah = await fh.createSyncAccessHandle();
  try {
    let at = resume ? ah.getSize() : 0;
    const startedAt = at;
    if (!resume) ah.truncate(0);
    const ctrl = new AbortController();
    const resp = await fetch(url, { signal: ctrl.signal, headers: at > 0 ? { Range: 'bytes=' + at + '-' } : {} });
    if (at > 0 && resp.status !== 206) { ah.truncate(0); at = 0; }
    // byob: one reusable 1 MiB buffer (transferred to the stream and back) instead of a fresh
    // chunk per read, so the store leaves no garbage behind.
    const reader = byob ? resp.body.getReader({ mode: 'byob' }) : resp.body.getReader();
    let scratch = byob ? new ArrayBuffer(MiB) : null;
    let fetched = 0, writes = 0, error = null;
    try {
      for (;;) {
        const { done, value } = byob ? await reader.read(new Uint8Array(scratch)) : await reader.read();
        if (done) break;
        if (byob) scratch = value.buffer;
        let off = 0;
        while (off < value.byteLength) off += ah.write(value.subarray(off), { at: at + off });
        at += value.byteLength; fetched += value.byteLength; writes++;
        if (abortAfter && fetched >= abortAfter) ctrl.abort(new Error('simulated network drop'));
      }
    } catch (e) { error = String(e); }
    ah.flush();
    return { status: resp.status, startedAt, fetched, writes, size: ah.getSize(), error };
  } finally { ah.close(); }
}

async function read({ variant, url, name }) {
  held = null; gcNow();
  const t0 = performance.now();
  if (variant === 'cache-arrayBuffer') {
    const r = await (await caches.open('bench')).match(url);
    if (!r) throw new Error('not in cache');
    held = new Uint8Array(await r.arrayBuffer());
  } else if (variant === 'cache-stream') {
    const r = await (await caches.open('bench')).match(url);
    if (!r) throw new Error('not in cache');
    const len = Number(r.headers.get('content-length'));
    const buf = new Uint8Array(len);
    const reader = r.body.getReader();
    let at = 0;
    for (;;) { const { done, value } = await reader.read(); if (done) break; buf.set(value, at); at += value.byteLength; }
    if (at !== len) throw new Error('short read ' + at + ' of ' + len);
    held = buf;
  } else if (variant === 'cache-byob') {
    // BYOB reader: the stream writes straight into the one big buffer (transferred back and
    // forth, no copy), so no per-chunk garbage.
    const r = await (await caches.open('bench')).match(url);
    if (!r) throw new Error('not in cache');
    const len = Number(r.headers.get('content-length'));
    const reader = r.body.getReader({ mode: 'byob' });
    let buf = new ArrayBuffer(len), at = 0;
    while (at < len) {
      const { done, value } = await reader.read(new Uint8Array(buf, at, len - at));
      if (done) break;
      buf = value.buffer; at += value.byteLength;
    }
    if (at !== len) throw new Error('short read ' + at + ' of ' + len);
    held = new Uint8Array(buf);
  } else if (variant === 'opfs-file') {
    const fh = await (await navigator.storage.getDirectory()).getFileHandle(name);
    held = new Uint8Array(await (await fh.getFile()).arrayBuffer());
  } else if (variant === 'opfs-sync') {
    const fh = await (await navigator.storage.getDirectory()).getFileHandle(name);
    const ah = await fh.createSyncAccessHandle();
    try {
      const size = ah.getSize();
      const buf = new Uint8Array(size);
      let at = 0;
      while (at < size) { const n = ah.read(buf.subarray(at), { at }); if (n <= 0) throw new Error('read returned ' + n); at += n; }
      held = buf;
    } finally { ah.close(); }
  } else throw new Error('unknown variant ' + variant);
  return { bytes: held.byteLength, ms: performance.now() - t0 };
}

async function verify() {
  const base = new Uint8Array(await (await fetch('/base.bin')).arrayBuffer());
  const b32 = new Uint32Array(base.buffer);
  const h = held;
  if (!h) return { ok: false, why: 'nothing held' };
  const chunks = Math.ceil(h.byteLength / MiB);
  for (let i = 0; i < chunks; i++) {
    const c = new Uint32Array(h.buffer, h.byteOffset + i * MiB, Math.min(MiB, h.byteLength - i * MiB) >> 2);
    if (c[0] !== (i >>> 0) || c[1] !== (~i >>> 0)) return { ok: false, why: 'header of chunk ' + i };
    for (let k = 2; k < c.length; k++) if (c[k] !== b32[k]) return { ok: false, why: 'chunk ' + i + ' word ' + k };
  }
  return { ok: true, chunks };
}

async function info() {
  const est = await navigator.storage.estimate();
  return {
    crossOriginIsolated: self.crossOriginIsolated,
    hasGc: typeof gc === 'function',
    hasSyncAccessHandle: typeof FileSystemFileHandle !== 'undefined' && 'createSyncAccessHandle' in FileSystemFileHandle.prototype,
    quota: est.quota, usage: est.usage, usageDetails: est.usageDetails ?? null,
    persisted: navigator.storage.persisted ? await navigator.storage.persisted().catch((e) => String(e)) : 'n/a (worker)',
  };
}

const ops = {
  info,
  gc: async () => ({ gc: gcNow() }),
  store: async (m) => {
    held = null; gcNow();
    const t0 = performance.now();
    const r = m.strategy === 'cache' ? await storeCache(m) : await storeOpfs(m);
    return { ...r, ms: performance.now() - t0 };
  },
  read,
  verify,
  release: async () => { held = null; return { gc: gcNow() }; },
};

self.onmessage = async (e) => {
  const { id, msg } = e.data;
  let result;
  try { result = await ops[msg.op](msg); } catch (err) { result = { error: String(err && err.stack || err) }; }
  self.postMessage({ id, result });
};
`;

function startServer(): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    // Keep the body out of Chromium's HTTP disk cache: only the strategy under test may store it.
    res.setHeader('Cache-Control', 'no-store');
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(PAGE_HTML);
    } else if (path === '/worker.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(WORKER_JS);
    } else if (path === '/base.bin') {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': MiB }).end(BASE);
    } else if (path === '/model.bin') {
      streamBody(req, res, TOTAL_BYTES).catch((e: unknown) => {
        console.error('body stream failed', e);
        res.destroy();
      });
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

// ---------------------------------------------------------------- sessions and phases

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type Msg = Record<string, unknown> & { op: string };
type Call = (msg: Msg) => Promise<Record<string, unknown>>;

interface Session {
  page: Page;
  sampler: Sampler;
  call: Call;
}

async function withBrowser<T>(origin: string, profileDir: string, fn: (s: Session) => Promise<T>): Promise<T> {
  const context: BrowserContext = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc', '--enable-blink-features=ForceEagerMeasureMemory'],
  });
  try {
    const sampler = new Sampler(findBrowserPid(profileDir), SAMPLE_MS);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${origin}/`);
    const call: Call = async (msg) => {
      const r = await page.evaluate(
        (m) => (window as unknown as { call: (m: unknown) => Promise<Record<string, unknown>> }).call(m),
        msg,
      );
      if (typeof r.error === 'string' && msg.op !== 'store') throw new Error(`${msg.op}: ${r.error}`);
      return r;
    };
    sampler.start();
    try {
      return await fn({ page, sampler, call });
    } finally {
      sampler.stop();
    }
  } finally {
    await context.close();
  }
}

interface PhaseResult {
  label: string;
  wallS: number;
  workerS: number;
  baselineRssMB: number;
  peakDeltaRssMB: number;
  peakDeltaPssMB: number;
  /** Σ over processes of (VmHWM after − RSS before): catches sub-50 ms peaks; an upper bound. */
  hwmDeltaMB: number | undefined;
  endDeltaRssMB: number;
  peakDeltaByTypeMB: Record<string, number>;
  samples: number;
  maxSampleGapMs: number;
  result: Record<string, unknown>;
  verify?: Record<string, unknown>;
  uaMemory?: Record<string, unknown>;
}

const toMB = (b: number): number => Math.round((b / MiB) * 10) / 10;

async function phase(s: Session, label: string, msg: Msg, opts: { hold?: boolean } = {}): Promise<PhaseResult> {
  await s.call({ op: 'gc' });
  await sleep(1500);
  const tb = performance.now();
  await sleep(500);
  const base = s.sampler.between(tb, performance.now());
  const hwmBase = s.sampler.resetPeaks();
  const t0 = performance.now();
  const result = await s.call(msg);
  const t1 = performance.now();
  await sleep(300);
  const hwmDelta = hwmBase === undefined ? undefined : toMB(s.sampler.hwmSum() - hwmBase);
  const during = s.sampler.between(t0, performance.now());
  if (base.length === 0 || during.length === 0) throw new Error(`${label}: no samples`);
  const endSample = s.sampler.sample();
  const baseRss = median(base.map((x) => x.rss));
  const basePss = median(base.map((x) => x.pss));
  const types = new Set(during.flatMap((x) => [...x.byType.keys()]));
  const peakDeltaByTypeMB: Record<string, number> = {};
  for (const t of types) {
    const b = median(base.map((x) => x.byType.get(t) ?? 0));
    peakDeltaByTypeMB[t] = toMB(Math.max(...during.map((x) => (x.byType.get(t) ?? 0) - b)));
  }
  let gap = 0;
  for (let i = 1; i < during.length; i++) gap = Math.max(gap, during[i]!.t - during[i - 1]!.t);
  const r: PhaseResult = {
    label,
    wallS: (t1 - t0) / 1000,
    workerS: Number(result.ms) / 1000,
    baselineRssMB: toMB(baseRss),
    peakDeltaRssMB: toMB(Math.max(...during.map((x) => x.rss)) - baseRss),
    peakDeltaPssMB: toMB(Math.max(...during.map((x) => x.pss)) - basePss),
    hwmDeltaMB: hwmDelta,
    endDeltaRssMB: toMB(endSample.rss - baseRss),
    peakDeltaByTypeMB,
    samples: during.length,
    maxSampleGapMs: Math.round(gap),
    result,
  };
  if (opts.hold) {
    r.uaMemory = await s.page.evaluate(() =>
      (window as unknown as { measureMemory: () => Promise<Record<string, unknown>> }).measureMemory(),
    );
    r.verify = await s.call({ op: 'verify' });
    await s.call({ op: 'release' });
  }
  console.log(
    `${label.padEnd(28)} wall ${r.wallS.toFixed(2)} s  peak ΔRSS ${r.peakDeltaRssMB} MB  ΔPSS ${r.peakDeltaPssMB} MB  ΣΔHWM ${String(r.hwmDeltaMB)} MB  ` +
      `end ΔRSS ${r.endDeltaRssMB} MB  (${r.samples} samples, max gap ${r.maxSampleGapMs} ms)`,
  );
  console.log(`    by process type: ${JSON.stringify(r.peakDeltaByTypeMB)}`);
  console.log(
    `    result: ${JSON.stringify(r.result)}${r.verify ? `  verify: ${JSON.stringify(r.verify)}` : ''}${r.uaMemory ? `  uaMemory: ${JSON.stringify(r.uaMemory)}` : ''}`,
  );
  return r;
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const server = await startServer();
  const url = `${server.origin}/model.bin`;
  const name = 'model.bin';
  const profiles: string[] = [];
  const newProfile = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'tabembed-storage-bench-'));
    profiles.push(d);
    return d;
  };
  const out: Record<string, unknown> = { sizeMB: SIZE_MB, date: new Date().toISOString() };
  const phases: PhaseResult[] = [];
  try {
    // Cache Storage: store in one launch, each read in a later launch (a reload).
    const cacheProfile = newProfile();
    await withBrowser(server.origin, cacheProfile, async (s) => {
      out.browserInfo = await s.call({ op: 'info' });
      console.log('info:', JSON.stringify(out.browserInfo));
      out.chromiumVersion = await s.page.evaluate(() => navigator.userAgent);
      phases.push(await phase(s, 'cache store (put)', { op: 'store', strategy: 'cache', url }));
      out.cacheUsageAfterStore = await s.call({ op: 'info' });
    });
    for (const variant of ['cache-arrayBuffer', 'cache-stream', 'cache-byob']) {
      await withBrowser(server.origin, cacheProfile, async (s) => {
        phases.push(await phase(s, `${variant} read`, { op: 'read', variant, url }, { hold: true }));
      });
    }

    // OPFS.
    const opfsProfile = newProfile();
    await withBrowser(server.origin, opfsProfile, async (s) => {
      phases.push(await phase(s, 'opfs store (sync handle)', { op: 'store', strategy: 'opfs', url, name }));
      phases.push(
        await phase(s, 'opfs store (sync handle, byob)', { op: 'store', strategy: 'opfs', url, name, byob: true }),
      );
      out.opfsUsageAfterStore = await s.call({ op: 'info' });
    });
    for (const variant of ['opfs-file', 'opfs-sync']) {
      await withBrowser(server.origin, opfsProfile, async (s) => {
        phases.push(await phase(s, `${variant} read`, { op: 'read', variant, name }, { hold: true }));
      });
    }

    // Resume after a cut at 40 %.
    const cut = Math.floor(TOTAL_BYTES * 0.4);
    const resume: Record<string, unknown> = {};
    const resumeProfile = newProfile();
    await withBrowser(server.origin, resumeProfile, async (s) => {
      resume.opfsCut = await s.call({ op: 'store', strategy: 'opfs', url, name, abortAfter: cut });
      resume.cacheCut = await s.call({ op: 'store', strategy: 'cache', url, abortAfter: cut });
    });
    await withBrowser(server.origin, resumeProfile, async (s) => {
      resume.opfsResume = await s.call({ op: 'store', strategy: 'opfs', url, name, resume: true });
      await s.call({ op: 'read', variant: 'opfs-sync', name });
      resume.opfsVerify = await s.call({ op: 'verify' });
      await s.call({ op: 'release' });
      resume.cacheAfterRelaunch = await s
        .call({ op: 'read', variant: 'cache-arrayBuffer', url })
        .catch((e: unknown) => ({ error: String(e) }));
    });
    console.log('resume:', JSON.stringify(resume, null, 2));
    out.resume = resume;
  } finally {
    await server.close();
    for (const d of profiles) rmSync(d, { recursive: true, force: true });
  }
  out.phases = phases;

  console.log(
    `\n| phase | peak ΔRSS MB | peak ΔPSS MB | ΣΔHWM MB | ΔRSS at end MB | time s |\n|---|---:|---:|---:|---:|---:|`,
  );
  for (const p of phases) {
    console.log(
      `| ${p.label} | ${p.peakDeltaRssMB} | ${p.peakDeltaPssMB} | ${String(p.hwmDeltaMB)} | ${p.endDeltaRssMB} | ${p.workerS.toFixed(2)} |`,
    );
  }
  if (JSON_OUT) writeFileSync(JSON_OUT, `${JSON.stringify(out, null, 2)}\n`);
}

await main();
