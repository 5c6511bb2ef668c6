/**
 * Memory and time of a model load through the product's createEmbedder(), first (network →
 * OPFS) and cached (OPFS only), in Debian's Chromium.
 *
 *     npx tsx bench/load-memory.ts [--only fp32,q4,fp32-nocache,q4-nocache,q06-q4,q06-q8]
 *                                          [--q06 /tmp/q06/qwen3-0.6b-random] [--json out.json]
 *
 * Serving: dist/app (built with `npm run build` first if missing) is copied to a temp dir and
 * served from there by `vite preview --outDir <copy>` on a free port, so a concurrent rebuild of
 * dist/app cannot pull files away mid-run; the copy holds the same files, and vite.config.ts's
 * preview plugin adds COOP/COEP as usual. `--q06 <dir>` (a `npm run fixture -- --preset
 * qwen3-0.6b` output) is symlinked into the copy's models/ as models/<basename>/. The copy,
 * the server and every Chromium profile are removed at the end.
 *
 * Each variant runs in a fresh Chromium launch on a fresh PERSISTENT profile under /tmp (a
 * Playwright newContext() is off-the-record and keeps OPFS in memory), on
 * /e2e/pages/embedder.html:
 *   first    window.harness.create({ model: { url }, device: 'wasm', dtype, cache })
 *   (dispose the embedder)
 *   second   the same create again, in the same page
 *   (dispose, close the browser; for cached variants relaunch on the same profile)
 *   relaunch the same create in a new browser on the same profile: a cached load in a cold
 *            renderer, as after a tab reload
 *
 * Memory: process-memory.ts's Sampler sums VmRSS over the whole Chromium process tree every
 * 50 ms. A load's figure is the peak during create() (plus 300 ms) minus the median over the
 * 500 ms before it (after a forced main-thread GC and 1.5 s of quiet). ΣΔHWM (VmHWM reset via
 * clear_refs) catches peaks between samples; it is an upper bound.
 * Network: every request seen by page.on('request') and context.on('request') (the context's
 * listener also sees dedicated-worker fetches) while create() runs, deduplicated; those whose
 * path contains /models/ are counted.
 * Bytes: `totalBytes` of the load's progress events (every file of the load), and the sum, over
 * files whose download events are not `fromCache`, of their size (what came over the network).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Request } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { findBrowserPid, median, Sampler } from './process-memory.ts';

const MiB = 1 << 20;
const ROOT = resolve(import.meta.dirname, '..');
const SAMPLE_MS = 50;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const ONLY = argValue('--only')?.split(',');
const Q06_DIR = argValue('--q06');
const JSON_OUT = argValue('--json');

interface Variant {
  name: string;
  url: string;
  dtype: string;
  cache: boolean;
}

const VARIANTS: Variant[] = [
  { name: 'fp32', url: '/models/qwen3-tiny/', dtype: 'fp32', cache: true },
  { name: 'q4', url: '/models/qwen3-tiny/', dtype: 'q4', cache: true },
  { name: 'fp32-nocache', url: '/models/qwen3-tiny/', dtype: 'fp32', cache: false },
  { name: 'q4-nocache', url: '/models/qwen3-tiny/', dtype: 'q4', cache: false },
];
if (Q06_DIR) {
  const url = `/models/${basename(Q06_DIR)}/`;
  VARIANTS.push(
    { name: 'q06-q4', url, dtype: 'q4', cache: true },
    { name: 'q06-q8', url, dtype: 'q8', cache: true },
    { name: 'q06-q4-nocache', url, dtype: 'q4', cache: false },
    { name: 'q06-q8-nocache', url, dtype: 'q8', cache: false },
  );
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const toMB = (b: number): number => Math.round((b / MiB) * 10) / 10;

// ---------------------------------------------------------------- server

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

async function startPreview(outDir: string): Promise<{ origin: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(
    join(ROOT, 'node_modules/.bin/vite'),
    ['preview', '--outDir', outDir, '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  proc.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    if (proc.exitCode !== null) throw new Error(`vite preview exited: ${log}`);
    try {
      const r = await fetch(`${origin}/e2e/pages/embedder.html`);
      if (r.ok) return { origin, proc };
    } catch {
      // not up yet
    }
    await sleep(200);
  }
  proc.kill();
  throw new Error(`vite preview did not come up on ${origin}: ${log}`);
}

// ---------------------------------------------------------------- browser

interface Session {
  context: BrowserContext;
  page: Page;
  sampler: Sampler;
  requests: Request[];
}

async function withBrowser<T>(origin: string, profileDir: string, fn: (s: Session) => Promise<T>): Promise<T> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'],
  });
  try {
    const sampler = new Sampler(findBrowserPid(profileDir), SAMPLE_MS);
    const page = context.pages()[0] ?? (await context.newPage());
    const seen = new Set<Request>();
    const requests: Request[] = [];
    const record = (r: Request): void => {
      if (seen.has(r)) return;
      seen.add(r);
      requests.push(r);
    };
    page.on('request', record);
    context.on('request', record);
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        console.log(`    [console.error] ${m.text()}`);
    });
    context.on('response', (r) => {
      if (r.status() >= 400) console.log(`    [${r.status()}] ${r.request().method()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(`${origin}/e2e/pages/embedder.html`);
    await page.waitForFunction(() => document.body.dataset['ready'] === 'true');
    sampler.start();
    try {
      return await fn({ context, page, sampler, requests });
    } finally {
      sampler.stop();
    }
  } finally {
    await context.close();
  }
}

interface ProgressEvent {
  phase: string;
  file?: string;
  loaded?: number;
  total?: number;
  totalLoaded?: number;
  totalBytes?: number;
  fromCache?: boolean;
}

interface LoadResult {
  variant: string;
  load: 'first' | 'second' | 'relaunch';
  wallS: number;
  /** create() plus embedding one short text: when a caller has its first vector. */
  firstVectorS: number;
  coldStart: { loadMs: number; warmupMs: number };
  cached: boolean;
  modelFile: string;
  totalBytes: number;
  networkFileBytes: number;
  files: Record<string, { total: number; fromCache: boolean }>;
  baselineRssMB: number;
  peakDeltaRssMB: number;
  hwmDeltaMB: number | undefined;
  endDeltaRssMB: number;
  peakDeltaByTypeMB: Record<string, number>;
  samples: number;
  maxSampleGapMs: number;
  requests: number;
  modelRequests: string[];
  otherRequests: string[];
  retainedAfterDisposeMB: number[];
}

async function load(s: Session, v: Variant, which: LoadResult['load']): Promise<LoadResult> {
  await s.page.evaluate(() => (globalThis as { gc?: () => void }).gc?.());
  await sleep(1500);
  const tb = performance.now();
  await sleep(500);
  const base = s.sampler.between(tb, performance.now());
  const hwmBase = s.sampler.resetPeaks();
  const reqStart = s.requests.length;
  const t0 = performance.now();
  const r = await s.page.evaluate(
    async (o) => {
      const { handle, info, progress } = await window.harness.create({
        model: { url: o.url },
        device: 'wasm',
        dtype: o.dtype as 'fp32',
        cache: o.cache,
      });
      return { handle, info, progress: progress as unknown as ProgressEvent[] };
    },
    { url: v.url, dtype: v.dtype, cache: v.cache },
  );
  const t1 = performance.now();
  await s.page.evaluate((h) => window.harness.embed(h, ['the first vector']), r.handle);
  const firstVectorS = (performance.now() - t0) / 1000;
  const reqs = s.requests.slice(reqStart);
  await sleep(300);
  const hwm = s.sampler.hwmSum();
  const during = s.sampler.between(t0, performance.now());
  const end = s.sampler.sample();
  await s.page.evaluate((h) => window.harness.dispose(h), r.handle);
  // What stays resident after dispose() (the worker is terminated): ΔRSS over this load's baseline, 2 s and 8 s later.
  const retainedAfterDisposeMB: number[] = [];
  const td = performance.now();
  for (const at of [2000, 8000]) {
    await s.page.evaluate(() => (globalThis as { gc?: () => void }).gc?.());
    await sleep(Math.max(0, td + at - performance.now()));
    retainedAfterDisposeMB.push(
      toMB(
        median(s.sampler.between(performance.now() - 500, performance.now()).map((x) => x.rss)) -
          median(base.map((x) => x.rss)),
      ),
    );
  }

  const baseRss = median(base.map((x) => x.rss));
  const types = new Set(during.flatMap((x) => [...x.byType.keys()]));
  const peakDeltaByTypeMB: Record<string, number> = {};
  for (const t of types) {
    const b = median(base.map((x) => x.byType.get(t) ?? 0));
    const p = toMB(Math.max(...during.map((x) => (x.byType.get(t) ?? 0) - b)));
    if (Math.abs(p) >= 1) peakDeltaByTypeMB[t] = p;
  }
  let gap = 0;
  for (let i = 1; i < during.length; i++) gap = Math.max(gap, during[i]!.t - during[i - 1]!.t);

  const files: LoadResult['files'] = {};
  let totalBytes = 0;
  for (const e of r.progress) {
    if (e.totalBytes !== undefined) totalBytes = Math.max(totalBytes, e.totalBytes);
    if (e.phase === 'download' && e.file !== undefined)
      files[e.file] = { total: e.total ?? e.loaded ?? 0, fromCache: Boolean(e.fromCache) };
  }
  const networkFileBytes = Object.values(files).reduce((a, f) => a + (f.fromCache ? 0 : f.total), 0);
  const paths = reqs.map((q) => `${q.method()} ${new URL(q.url()).pathname}`);
  const modelRequests = paths.filter((u) => u.includes('/models/'));
  const otherRequests = paths.filter((u) => !u.includes('/models/'));

  const res: LoadResult = {
    variant: v.name,
    load: which,
    wallS: (t1 - t0) / 1000,
    firstVectorS,
    coldStart: r.info.coldStart,
    cached: r.info.cached,
    modelFile: r.info.modelFile,
    totalBytes,
    networkFileBytes,
    files,
    baselineRssMB: toMB(baseRss),
    peakDeltaRssMB: toMB(Math.max(...during.map((x) => x.rss)) - baseRss),
    hwmDeltaMB: hwmBase === undefined ? undefined : toMB(hwm - hwmBase),
    endDeltaRssMB: toMB(end.rss - baseRss),
    peakDeltaByTypeMB,
    samples: during.length,
    maxSampleGapMs: Math.round(gap),
    requests: reqs.length,
    modelRequests,
    otherRequests,
    retainedAfterDisposeMB,
  };
  console.log(
    `${`${v.name} ${which}`.padEnd(24)} wall ${res.wallS.toFixed(2)} s  coldStart ${JSON.stringify(res.coldStart)}  totalBytes ${toMB(totalBytes)} MB  net files ${toMB(networkFileBytes)} MB  ` +
      `peak ΔRSS ${res.peakDeltaRssMB} MB  ΣΔHWM ${String(res.hwmDeltaMB)} MB  end ΔRSS ${res.endDeltaRssMB} MB  base ${res.baselineRssMB} MB  ` +
      `(${res.samples} samples, max gap ${res.maxSampleGapMs} ms)  requests ${res.requests}, /models/ ${modelRequests.length}`,
  );
  console.log(
    `    by process type: ${JSON.stringify(peakDeltaByTypeMB)}  file: ${res.modelFile}  cached: ${String(res.cached)}`,
  );
  console.log(`    ΔRSS after dispose (+2 s, +8 s): ${retainedAfterDisposeMB.join(' MB, ')} MB`);
  console.log(`    other requests: ${otherRequests.join(', ')}`);
  if (modelRequests.length > 0)
    console.log(
      `    /models/ requests: ${modelRequests.slice(0, 8).join(', ')}${modelRequests.length > 8 ? ', …' : ''}`,
    );
  return res;
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const distApp = join(ROOT, 'dist/app');
  if (!existsSync(join(distApp, 'e2e/pages/embedder.html')) || !existsSync(join(distApp, 'models/qwen3-tiny'))) {
    console.log('dist/app (or its model fixture) is missing: npm run fixture && npm run build');
    for (const cmd of ['fixture', 'build']) {
      const r = spawnSync('npm', ['run', cmd], { cwd: ROOT, stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`npm run ${cmd} failed`);
    }
  }
  const work = mkdtempSync(join(tmpdir(), 'tabembed-load-bench-'));
  const snapshot = join(work, 'app');
  cpSync(distApp, snapshot, { recursive: true, dereference: true });
  if (Q06_DIR) symlinkSync(resolve(Q06_DIR), join(snapshot, 'models', basename(Q06_DIR)));

  const out: Record<string, unknown> = { date: new Date().toISOString() };
  const results: LoadResult[] = [];
  const { origin, proc } = await startPreview(snapshot);
  try {
    for (const v of VARIANTS) {
      if (ONLY && !ONLY.includes(v.name)) continue;
      const profile = mkdtempSync(join(work, `profile-${v.name}-`));
      await withBrowser(origin, profile, async (s) => {
        out.userAgent ??= await s.page.evaluate(() => navigator.userAgent);
        out.crossOriginIsolated ??= await s.page.evaluate(() => crossOriginIsolated);
        results.push(await load(s, v, 'first'));
        results.push(await load(s, v, 'second'));
        if (v.cache)
          console.log(
            `    cached entries: ${JSON.stringify(await s.page.evaluate(() => window.harness.listCached()))}`,
          );
      });
      if (v.cache) await withBrowser(origin, profile, async (s) => void results.push(await load(s, v, 'relaunch')));
      rmSync(profile, { recursive: true, force: true });
    }
  } finally {
    proc.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
  out.results = results;

  console.log(
    `\n| variant | load | file bytes MB (network) | peak ΔRSS MB | ΣΔHWM MB | peak / file bytes | wall s | first vector s | coldStart load / warm-up ms | /models/ requests | ΔRSS after dispose +2 s / +8 s MB |`,
  );
  console.log(`|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
  for (const r of results) {
    console.log(
      `| ${r.variant} | ${r.load} | ${toMB(r.totalBytes)} (${toMB(r.networkFileBytes)}) | ${r.peakDeltaRssMB} | ${String(r.hwmDeltaMB)} | ${(r.peakDeltaRssMB / (r.totalBytes / MiB)).toFixed(2)} | ` +
        `${r.wallS.toFixed(2)} | ${r.firstVectorS.toFixed(2)} | ${Math.round(r.coldStart.loadMs)} / ${Math.round(r.coldStart.warmupMs)} | ${r.modelRequests.length} | ${r.retainedAfterDisposeMB.join(' / ')} |`,
    );
  }
  if (JSON_OUT) writeFileSync(JSON_OUT, `${JSON.stringify(out, null, 2)}\n`);
}

await main();
