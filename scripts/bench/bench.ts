/**
 * tabembed vs transformers.js, side by side in one run: same model file, same device, same
 * dtype, same texts.
 *
 *     npm run bench                # 1,000 texts, q8 + fp32, the full-size 0.6B preset
 *     npm run bench -- --quick     # 200 texts, q8 in Chromium, no 0.6B (< 5 min on 2 cores)
 *     flags: --texts N  --skip-node  --skip-chromium  --skip-full  --full-texts N  --no-write
 *
 * Phases (every contender in its own process or browser launch, so memory peaks never mix):
 *  1. Node: tabembed (createNodeEmbedder, backend native = onnxruntime-node and backend wasm =
 *     onnxruntime-web's WASM in Node) vs transformers.js's pipeline (Node, onnxruntime-node) on
 *     qwen3-tiny q8 and fp32. One child process per contender and batch size; texts/s, tokens/s
 *     (tokens counted as tabembed feeds them, <|endoftext|> included), peak RSS (VmHWM), CPU use.
 *  2. Chromium (Debian's, headless) WASM: tabembed through createEmbedder (device wasm) vs the
 *     pipeline in a module worker (e2e/pages/bench.html), one browser launch per contender;
 *     peak memory = the browser process tree's summed PSS/RSS sampled from /proc every 50 ms.
 *  3. onnxruntime-web WASM vs onnxruntime-node: tabembed wasm vs native in Node (from 1).
 *  4. The full-size qwen3-0.6b preset (q4, q8; not with --quick): WASM in Node for both.
 *  5. A warm short query: tabembed embed(['short query']) p50 of 50 vs a bare session.run on the
 *     same tensors (src/core/left-pad.ts) — in Node (native, wasm) and in Chromium (worker).
 * transformers.js runs at its default use (the whole list in one call) and in chunks of 1, 8,
 * 32, 128; its best is the fastest of those. Prints one table and ends with one JSON line;
 * writes bench/results.md.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import type { RunResult } from '../../e2e/pages/bench-page.ts'; // and window.bench's type
import { CHROMIUM_ARGS } from '../../playwright.config.ts';
import { toModelIds } from '../../src/core/model-ids.ts';
import { buildPrompt } from '../../src/core/prompt.ts';
import { buildCorpus, describeCorpus } from './corpus.ts';
import { descendants, findBrowserPid, median, readText, Sampler } from './process-memory.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const MiB = 1 << 20;

// ------------------------------------------------------------------ arguments

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(name);
function argValue(name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

type Dtype = 'fp32' | 'fp16' | 'q8' | 'q4';
const FILE_OF: Record<Dtype, { file: string; external: string[] }> = {
  fp32: { file: 'model.onnx', external: ['model.onnx_data'] },
  fp16: { file: 'model_fp16.onnx', external: ['model_fp16.onnx_data'] },
  q8: { file: 'model_quantized.onnx', external: [] },
  q4: { file: 'model_q4.onnx', external: [] },
};

// ------------------------------------------------------------------ child processes (one contender each)

type Job =
  | { kind: 'tabembed'; model: string; dtype: Dtype; backend: 'native' | 'wasm'; textsFile: string; reps: number }
  | { kind: 'tjs'; modelRoot: string; modelId: string; dtype: Dtype; runtime: 'node' | 'wasm'; batch: number; textsFile: string; reps: number }
  | { kind: 'query'; model: string; dtype: Dtype; backend: 'native' | 'wasm'; text: string; runs: number };

interface ChildResult {
  ok: boolean;
  error?: string;
  loadMs?: number;
  ms?: number;
  n?: number;
  tokens?: number;
  batches?: number;
  head?: number[][];
  /** VmHWM: the process's peak resident set, load included. */
  peakRss?: number;
  /** VmRSS once loaded and warmed up. */
  rssLoaded?: number;
  /** CPU time (user + system) over the measured phase. */
  cpuMs?: number;
  tabembedTimes?: number[];
  bareTimes?: number[];
}

function procStatus(field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

function cpuMsNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function tjsPipeline(job: Extract<Job, { kind: 'tjs' }>) {
  if (job.runtime === 'wasm') {
    // transformers.js in Node always picks onnxruntime-node, unless a runtime is handed over
    // through this symbol. Give it onnxruntime-web configured like tabembed's --backend wasm
    // (plain wasm build, bytes, the same thread count); local wasmPaths keep it off its CDN default.
    const ortWeb = await import('onnxruntime-web');
    const wasm = require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm');
    ortWeb.env.wasm.wasmBinary = readFileSync(wasm);
    ortWeb.env.wasm.wasmPaths = `${pathToFileURL(dirname(wasm)).href}/`;
    ortWeb.env.wasm.numThreads = Math.min(4, availableParallelism());
    (globalThis as Record<symbol, unknown>)[Symbol.for('onnxruntime')] = ortWeb;
  }
  const { env, pipeline } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.localModelPath = job.modelRoot.endsWith('/') ? job.modelRoot : `${job.modelRoot}/`;
  return job.runtime === 'wasm'
    ? pipeline('feature-extraction', job.modelId, { dtype: job.dtype, device: 'auto', session_options: { executionProviders: ['wasm'] } })
    : pipeline('feature-extraction', job.modelId, { dtype: job.dtype, device: 'cpu' });
}

async function runChild(job: Job): Promise<ChildResult> {
  if (job.kind === 'query') return runQueryChild(job);
  const texts = (JSON.parse(readFileSync(job.textsFile, 'utf8')) as string[]).slice();
  const warm = texts.slice(0, 4);
  const t0 = performance.now();
  if (job.kind === 'tabembed') {
    const { createNodeEmbedder } = await import('../../src/node/node-embedder.ts');
    const engine = await createNodeEmbedder({ model: job.model, dtype: job.dtype, backend: job.backend });
    const loadMs = performance.now() - t0;
    await engine.embed(warm);
    const rssLoaded = procStatus('VmRSS');
    let ms = Infinity;
    let cpuMs = NaN;
    let out = await engine.embed(warm);
    for (let rep = 0; rep < job.reps; rep++) {
      const c0 = cpuMsNow();
      const t1 = performance.now();
      out = await engine.embed(texts);
      const took = performance.now() - t1;
      if (took < ms) [ms, cpuMs] = [took, cpuMsNow() - c0];
    }
    const head = [0, 1, 2].map((i) => Array.from(out.vectors.subarray(i * out.dimensions, (i + 1) * out.dimensions)));
    const tokens = out.tokens.reduce((a, b) => a + b, 0);
    await engine.dispose();
    return { ok: true, loadMs, ms, n: texts.length, tokens, head, rssLoaded, cpuMs, peakRss: procStatus('VmHWM') };
  }
  const extractor = await tjsPipeline(job);
  const loadMs = performance.now() - t0;
  (await extractor(warm, { pooling: 'last_token', normalize: true })).dispose();
  const rssLoaded = procStatus('VmRSS');
  const size = job.batch > 0 ? job.batch : texts.length;
  let head: number[][] = [];
  let batches = 0;
  let ms = Infinity;
  let cpuMs = NaN;
  for (let rep = 0; rep < job.reps; rep++) {
    const c0 = cpuMsNow();
    const t1 = performance.now();
    head = [];
    batches = 0;
    for (let i = 0; i < texts.length; i += size) {
      const out = await extractor(texts.slice(i, i + size), { pooling: 'last_token', normalize: true });
      const dims = out.dims[1] ?? 0;
      const data = out.data as Float32Array;
      for (let r = 0; head.length < 3 && r < (out.dims[0] ?? 0); r++) head.push(Array.from(data.subarray(r * dims, (r + 1) * dims)));
      out.dispose();
      batches++;
    }
    const took = performance.now() - t1;
    if (took < ms) [ms, cpuMs] = [took, cpuMsNow() - c0];
  }
  await extractor.dispose();
  return { ok: true, loadMs, ms, n: texts.length, head, batches, rssLoaded, cpuMs, peakRss: procStatus('VmHWM') };
}

/** Warm single short query: tabembed's embed() vs a bare session.run on the same tensors, interleaved. */
async function runQueryChild(job: Extract<Job, { kind: 'query' }>): Promise<ChildResult> {
  const { createNodeEmbedder } = await import('../../src/node/node-embedder.ts');
  const { leftPad } = await import('../../src/core/left-pad.ts');
  const engine = await createNodeEmbedder({ model: job.model, dtype: job.dtype, backend: job.backend });
  const tokenizer = await loadTokenizer(job.model);
  const ids = toModelIds(tokenizer, buildPrompt(job.text, 'document'), tokenizer.eosId, 8192);
  const config = JSON.parse(readFileSync(join(job.model, 'config.json'), 'utf8')) as Record<string, number>;
  const { file, external } = FILE_OF[job.dtype];
  const options = { graphOptimizationLevel: 'all' as const };
  // The engine configured the runtime (wasm binary, threads) on this same module instance.
  const ort = job.backend === 'native' ? await import('onnxruntime-node') : await import('onnxruntime-web');
  const modelBytes = readFileSync(join(job.model, 'onnx', file));
  const externalData = external.map((path) => ({ path, data: readFileSync(join(job.model, 'onnx', path)) }));
  const session = await ort.InferenceSession.create(modelBytes, {
    ...options,
    executionProviders: [job.backend === 'native' ? 'cpu' : 'wasm'],
    ...(externalData.length > 0 ? { externalData } : {}),
  });
  const batch = leftPad([ids], tokenizer.eosId);
  const shape = [1, batch.length];
  const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
    input_ids: new ort.Tensor('int64', batch.inputIds, shape),
    attention_mask: new ort.Tensor('int64', batch.attentionMask, shape),
  };
  if (session.inputNames.includes('position_ids')) feeds['position_ids'] = new ort.Tensor('int64', batch.positionIds, shape);
  const kv = config['num_key_value_heads'] ?? 1;
  const headDim = config['head_dim'] ?? (config['hidden_size'] ?? 0) / (config['num_attention_heads'] ?? 1);
  for (const name of session.inputNames.filter((n) => n.startsWith('past_key_values'))) feeds[name] = new ort.Tensor('float32', new Float32Array(0), [1, kv, 0, headDim]);
  const output = session.outputNames.includes('last_hidden_state') ? 'last_hidden_state' : (session.outputNames[0] ?? '');
  const tabembedTimes: number[] = [];
  const bareTimes: number[] = [];
  for (let i = 0; i < job.runs + 5; i++) {
    let t = performance.now();
    await engine.embed([job.text]);
    const a = performance.now() - t;
    t = performance.now();
    const out = await session.run(feeds, [output]);
    const b = performance.now() - t;
    out[output]?.dispose();
    if (i >= 5) {
      tabembedTimes.push(a);
      bareTimes.push(b);
    }
  }
  await session.release();
  await engine.dispose();
  return { ok: true, tabembedTimes, bareTimes, n: ids.length, peakRss: procStatus('VmHWM') };
}

/**
 * Imported on demand: load-tokenizer imports @huggingface/transformers, which picks its
 * onnxruntime once, at import — a child running transformers.js on onnxruntime-web must hand
 * that over before anything imports it.
 */
async function loadTokenizer(modelDir: string) {
  const { createTokenizer } = await import('../../src/model/load-tokenizer.ts');
  return createTokenizer(
    JSON.parse(readFileSync(join(modelDir, 'tokenizer.json'), 'utf8')),
    JSON.parse(readFileSync(join(modelDir, 'tokenizer_config.json'), 'utf8')),
    join(modelDir, 'tokenizer.json'),
  );
}

const RESULT_TAG = '@@BENCH_RESULT@@';

let cachedCap: number | undefined;
/** The most RSS one child may use: MemAvailable when the bench started, less 3 GiB. */
function memoryCap(): number {
  if (cachedCap === undefined) {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readText('/proc/meminfo') ?? '');
    cachedCap = Math.max(2 * 2 ** 30, (m ? Number(m[1]) * 1024 : totalmem() / 2) - 3 * 2 ** 30);
  }
  return cachedCap;
}

function spawnChild(job: Job, workDir: string, timeoutMs: number): Promise<ChildResult> {
  const jobFile = join(workDir, `job-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  return new Promise((resolvePromise) => {
    const child: ChildProcess = spawn(process.execPath, [...process.execArgv, import.meta.filename, '--child', jobFile], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    // A whole-list transformers.js call can want more memory than the machine has; stop it
    // before the kernel's OOM killer picks a process (maybe someone else's) on a shared machine.
    let capped = 0;
    const cap = memoryCap();
    const watch = setInterval(() => {
      const m = /^VmRSS:\s+(\d+) kB/m.exec(readText(`/proc/${child.pid}/status`) ?? '');
      const rss = m ? Number(m[1]) * 1024 : 0;
      if (rss > cap) {
        capped = rss;
        child.kill('SIGKILL');
      }
    }, 100);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearInterval(watch);
      if (capped > 0) {
        resolvePromise({ ok: false, error: `stopped at ${(capped / 2 ** 30).toFixed(1)} GiB RSS (the bench's cap, ${(cap / 2 ** 30).toFixed(1)} GiB: memory available at start − 3 GiB)`, peakRss: capped });
        return;
      }
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_TAG));
      if (line) {
        resolvePromise(JSON.parse(line.slice(RESULT_TAG.length)) as ChildResult);
        return;
      }
      const why = signal === 'SIGKILL' ? `killed after ${Math.round(timeoutMs / 1000)} s (timeout) or by the OOM killer` : `exit ${code ?? signal}`;
      const last = stderr.split('\n').filter((l) => l.trim() && l.length < 400).slice(-3).join(' | ');
      resolvePromise({ ok: false, error: `${why}${last ? `: ${last}` : ''}` });
    });
  });
}

// ------------------------------------------------------------------ Chromium

interface BrowserRun {
  ok: boolean;
  error?: string;
  loadMs?: number;
  ms?: number;
  n?: number;
  head?: number[][];
  batches?: number;
  peakPss?: number;
  peakRss?: number;
  /** PSS just before the measured run (model loaded, warmed up). */
  pssLoaded?: number;
  hwmSum?: number;
  cpuMs?: number;
  tabembedTimes?: number[];
  bareTimes?: number[];
  env?: { crossOriginIsolated: boolean; hardwareConcurrency: number; userAgent: string; numThreads: number };
  threads?: number;
}

function treeCpuMs(root: number): number {
  const ticks = 100; // USER_HZ on Linux
  let sum = 0;
  for (const pid of descendants(root)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      sum += Number(f[11]) + Number(f[12]);
    } catch {
      // exited
    }
  }
  return (sum / ticks) * 1000;
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms)));
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

type BrowserContender =
  | { kind: 'tabembed'; dtype: Dtype; query?: { text: string; ids: number[]; padId: number; runs: number } }
  | { kind: 'tjs'; dtype: Dtype; batch: number };

async function runInChromium(baseUrl: string, contender: BrowserContender, texts: string[], timeoutMs: number, reps: number): Promise<BrowserRun> {
  const profile = mkdtempSync(join(tmpdir(), 'tbench-chromium-'));
  let context: BrowserContext | undefined;
  let sampler: Sampler | undefined;
  const pageErrors: string[] = [];
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const browserPid = findBrowserPid(profile);
    sampler = new Sampler(browserPid, 50);
    sampler.start();
    const page: Page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('crash', () => pageErrors.push('renderer crashed'));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text().slice(0, 300));
    });
    await page.goto(`${baseUrl}/e2e/pages/bench.html`);
    await page.waitForSelector('body[data-ready="true"]');
    const env = await page.evaluate(() => window.bench.env());
    const model = '/models/qwen3-tiny/';
    let loadMs: number;
    if (contender.kind === 'tabembed') {
      loadMs = (await withTimeout(page.evaluate(([u, d]) => window.bench.tabembedLoad(u, d, 'wasm'), [model, contender.dtype] as const), timeoutMs, 'load')).ms;
      await page.evaluate((t) => window.bench.tabembedRun(t), texts.slice(0, 4));
    } else {
      loadMs = (await withTimeout(page.evaluate((d) => window.bench.tjsLoad({ modelId: 'qwen3-tiny', localModelPath: '/models/', dtype: d, device: 'wasm' }), contender.dtype), timeoutMs, 'load')).ms;
      await page.evaluate(([t, b]) => window.bench.tjsRun(t, b), [texts.slice(0, 4), contender.batch] as const);
    }
    const pssLoaded = sampler.sample().pss;
    let r: RunResult | undefined;
    let cpuMs = NaN;
    for (let rep = 0; rep < reps; rep++) {
      const c0 = treeCpuMs(browserPid);
      const next =
        contender.kind === 'tabembed'
          ? await withTimeout(page.evaluate((t) => window.bench.tabembedRun(t), texts), timeoutMs, 'embed')
          : await withTimeout(page.evaluate(([t, b]) => window.bench.tjsRun(t, b), [texts, contender.batch] as const), timeoutMs, 'embed');
      if (!r || next.ms < r.ms) [r, cpuMs] = [next, treeCpuMs(browserPid) - c0];
    }
    if (!r) throw new Error('no run');
    sampler.sample();
    sampler.stop();
    const hwmSum = sampler.hwmSum();
    const peakPss = Math.max(...sampler.samples.map((s) => s.pss));
    const peakRss = Math.max(...sampler.samples.map((s) => s.rss));
    const run: BrowserRun = { ok: true, loadMs, ms: r.ms, n: r.n, head: r.head, peakPss, peakRss, pssLoaded, hwmSum, cpuMs, env, threads: env.numThreads, ...(r.batches === undefined ? {} : { batches: r.batches }) };
    if (contender.kind === 'tabembed' && contender.query) {
      // After the memory phase: the bare session would otherwise count against tabembed's peak.
      const q = contender.query;
      const { file, external } = FILE_OF[contender.dtype];
      await page.evaluate(([t]) => window.bench.tabembedQuery(t, 5), [q.text] as const);
      run.tabembedTimes = await withTimeout(page.evaluate(([t, n]) => window.bench.tabembedQuery(t, n), [q.text, q.runs] as const), timeoutMs, 'query');
      await page.evaluate(([u, f, e]) => window.bench.bareLoad(u, f, e), [model, file, external] as const);
      await page.evaluate(([ids, pad]) => window.bench.bareQuery(ids, pad, 5), [q.ids, q.padId] as const);
      run.bareTimes = await withTimeout(page.evaluate(([ids, pad, n]) => window.bench.bareQuery(ids, pad, n), [q.ids, q.padId, q.runs] as const), timeoutMs, 'bare query');
    }
    return run;
  } catch (error) {
    sampler?.stop();
    const peakPss = sampler && sampler.samples.length > 0 ? Math.max(...sampler.samples.map((s) => s.pss)) : undefined;
    const msg = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    return { ok: false, error: [msg, ...pageErrors.slice(0, 2)].join(' | ').slice(0, 500), ...(peakPss === undefined ? {} : { peakPss }) };
  } finally {
    await context?.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Builds the app into a private folder (others may rebuild dist/app meanwhile) and serves it with `vite preview`. */
async function startPreview(outDir: string): Promise<{ url: string; stop: () => void }> {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
  const port = 4300 + Math.floor(Math.random() * 600);
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'preview', '--outDir', outDir, '--port', String(port), '--strictPort'], { cwd: ROOT, stdio: 'ignore' });
  const url = `http://localhost:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/e2e/pages/bench.html`)).ok) return { url, stop: () => child.kill() };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error(`vite preview did not answer on ${url}`);
}

// ------------------------------------------------------------------ reporting helpers

interface Row {
  where: string;
  model: string;
  dtype: string;
  contender: string;
  batch: string;
  texts: number;
  tokens: number;
  result: ChildResult | BrowserRun;
  memLabel: 'peak RSS' | 'peak PSS';
  /** 1-minute load average when the row started (other work on a shared machine). */
  load: number;
}

const fmt = (x: number | undefined, d = 0): string => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));
const mb = (b: number | undefined): string => (b === undefined ? '—' : fmt(b / MiB));
const textsPerS = (r: ChildResult | BrowserRun): number | undefined => (r.ok && r.ms ? ((r.n ?? 0) / r.ms) * 1000 : undefined);
const peakOf = (r: ChildResult | BrowserRun): number | undefined => ('peakPss' in r && r.peakPss !== undefined ? r.peakPss : 'peakRss' in r ? r.peakRss : undefined);

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] ?? 0) * (b[i] ?? 0);
    na += (a[i] ?? 0) ** 2;
    nb += (b[i] ?? 0) ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

function agreement(a: ChildResult | BrowserRun | undefined, b: ChildResult | BrowserRun | undefined): number | undefined {
  if (!a?.head || !b?.head || a.head.length === 0) return undefined;
  return Math.min(...a.head.map((v, i) => (b.head?.[i] ? cosine(v, b.head[i]) : NaN)));
}

function table(rows: Row[], tabembedBaseline: (r: Row) => Row | undefined): string {
  const head = ['where', 'model', 'dtype', 'contender', 'batch', 'texts/s', 'tokens/s', 'peak MB', 'loaded MB', 'CPU cores busy', 'load avg', 'load s', 'vs tabembed', 'status'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const tps = textsPerS(r.result);
    const base = tabembedBaseline(r);
    const baseTps = base ? textsPerS(base.result) : undefined;
    const cpu = r.result.cpuMs !== undefined && r.result.ms ? r.result.cpuMs / r.result.ms : undefined;
    const loaded = 'pssLoaded' in r.result ? r.result.pssLoaded : 'rssLoaded' in r.result ? r.result.rssLoaded : undefined;
    lines.push(
      `| ${[
        r.where,
        r.model,
        r.dtype,
        r.contender,
        r.batch,
        fmt(tps, 1),
        fmt(tps === undefined ? undefined : (r.tokens / r.texts) * tps, 0),
        `${mb(peakOf(r.result))} ${r.memLabel === 'peak PSS' ? '(PSS)' : '(RSS)'}`,
        mb(loaded),
        fmt(cpu, 2),
        fmt(r.load, 1),
        fmt(r.result.loadMs === undefined ? undefined : r.result.loadMs / 1000, 2),
        r.contender.startsWith('transformers') && tps && baseTps ? `${fmt(baseTps / tps, 2)}× faster, ${fmt((peakOf(base!.result) ?? NaN) / (peakOf(r.result) ?? NaN), 2)}× mem` : '',
        r.result.ok ? 'ok' : `FAILED: ${r.result.error ?? ''}`.replace(/\|/g, '/'),
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

function machine(): { text: string; nproc: number; memGiB: number; cpu: string } {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const nproc = availableParallelism();
  const memGiB = totalmem() / 2 ** 30;
  return { text: `${nproc}× ${cpu}, ${memGiB.toFixed(1)} GiB`, nproc, memGiB, cpu };
}

function versionOf(pkg: string): string {
  let dir = dirname(require.resolve(pkg));
  while (!existsSync(join(dir, 'package.json')) || (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name !== pkg) {
    const up = dirname(dir);
    if (up === dir) return '?';
    dir = up;
  }
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  const childJob = argValue('--child');
  if (childJob) {
    let result: ChildResult;
    try {
      result = await runChild(JSON.parse(readFileSync(childJob, 'utf8')) as Job);
    } catch (error) {
      result = { ok: false, error: (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 400) ?? '', peakRss: procStatus('VmHWM') };
    }
    process.stdout.write(`${RESULT_TAG}${JSON.stringify(result)}\n`);
    process.exit(0);
  }

  const quick = flag('--quick');
  const started = performance.now();
  const count = Number(argValue('--texts') ?? (quick ? 200 : 1000));
  const tinyDir = join(ROOT, 'public/models/qwen3-tiny');
  if (!existsSync(join(tinyDir, 'onnx/model_quantized.onnx'))) execFileSync('npx', ['tsx', 'scripts/fixture/main.ts'], { cwd: ROOT, stdio: 'inherit' });
  const workDir = mkdtempSync(join(tmpdir(), 'tbench-'));
  const notes: string[] = [];
  const log = (s: string): void => console.log(s);

  const m = machine();
  memoryCap();
  const versions = {
    node: process.version,
    chromium: '?',
    'onnxruntime-node': versionOf('onnxruntime-node'),
    'onnxruntime-web': versionOf('onnxruntime-web'),
    '@huggingface/transformers': versionOf('@huggingface/transformers'),
  };
  log(`tabembed bench${quick ? ' --quick' : ''}: ${m.text}; node ${versions.node}`);

  // Corpus, tokens counted the way tabembed feeds them (documents: raw text + <|endoftext|>).
  const tokenizer = await loadTokenizer(tinyDir);
  const countTokens = (t: string): number => toModelIds(tokenizer, buildPrompt(t, 'document'), tokenizer.eosId, 8192).length;
  const corpus = buildCorpus({ count, countTokens });
  const texts = corpus.map((c) => c.text);
  const tokenCounts = texts.map(countTokens);
  const totalTokens = tokenCounts.reduce((a, b) => a + b, 0);
  const corpusLine = describeCorpus(corpus, tokenCounts);
  log(`corpus: ${corpusLine}`);
  const textsFile = join(workDir, 'texts.json');
  writeFileSync(textsFile, JSON.stringify(texts));

  const rows: Row[] = [];
  const tjsBatches = [0, 1, 8, 32, 128];
  const batchLabel = (b: number): string => (b === 0 ? `all (${count})` : String(b));
  const childTimeout = (quick ? 3 : 10) * 60_000;
  /** Each measured run is repeated and the fastest kept: other work on a shared machine only ever slows a run down. */
  const reps = Number(argValue('--reps') ?? 2);
  const printRow = (r: Row): void => {
    const tps = textsPerS(r.result);
    log(`  ${r.where} ${r.model} ${r.dtype} ${r.contender.padEnd(22)} batch ${r.batch.padEnd(10)} ${r.result.ok ? `${fmt(tps, 1)} texts/s, peak ${mb(peakOf(r.result))} MB` : `FAILED ${r.result.error ?? ''}`}`);
  };

  // 1. Node.
  const query = { text: 'short query', runs: 50 };
  const queryNode: Record<string, ChildResult> = {};
  if (!flag('--skip-node')) {
    for (const dtype of ['q8', 'fp32'] as const) {
      const contenders: [string, string, Job][] = [
        ['tabembed native', 'auto', { kind: 'tabembed', model: tinyDir, dtype, backend: 'native', textsFile, reps }],
        ['tabembed wasm', 'auto', { kind: 'tabembed', model: tinyDir, dtype, backend: 'wasm', textsFile, reps }],
        ...tjsBatches.map((b): [string, string, Job] => ['transformers.js (node)', batchLabel(b), { kind: 'tjs', modelRoot: join(ROOT, 'public/models'), modelId: 'qwen3-tiny', dtype, runtime: 'node', batch: b, textsFile, reps }]),
      ];
      for (const [contender, batch, job] of contenders) {
        const load = loadavg()[0] ?? NaN;
        const result = await spawnChild(job, workDir, childTimeout);
        const row: Row = { where: 'node', model: 'qwen3-tiny', dtype, contender, batch, texts: count, tokens: totalTokens, result, memLabel: 'peak RSS', load };
        if (result.ok && result.tokens !== undefined && result.tokens !== totalTokens) notes.push(`tabembed counted ${result.tokens} tokens, the runner ${totalTokens}`);
        rows.push(row);
        printRow(row);
      }
    }
    for (const backend of ['native', 'wasm'] as const) {
      queryNode[backend] = await spawnChild({ kind: 'query', model: tinyDir, dtype: 'q8', backend, ...query }, workDir, childTimeout);
      const q = queryNode[backend];
      log(`  node query q8 ${backend}: ${q.ok ? `tabembed p50 ${fmt(median(q.tabembedTimes ?? []), 3)} ms, bare session.run p50 ${fmt(median(q.bareTimes ?? []), 3)} ms` : `FAILED ${q.error ?? ''}`}`);
    }
  }

  // 2. Chromium WASM.
  let chromiumQuery: BrowserRun | undefined;
  if (!flag('--skip-chromium')) {
    try {
      const out = execFileSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      versions.chromium = /Chrom\S* [\d.]+/.exec(out)?.[0] ?? out.trim();
    } catch {
      // keep '?'
    }
    const distDir = join(workDir, 'dist');
    const preview = await startPreview(distDir);
    try {
      const queryIds = toModelIds(tokenizer, buildPrompt(query.text, 'document'), tokenizer.eosId, 8192);
      for (const dtype of quick ? (['q8'] as const) : (['q8', 'fp32'] as const)) {
        const contenders: [string, string, BrowserContender][] = [
          ['tabembed', 'auto', { kind: 'tabembed', dtype, ...(dtype === 'q8' ? { query: { text: query.text, ids: queryIds, padId: tokenizer.eosId, runs: query.runs } } : {}) }],
          ...tjsBatches.map((b): [string, string, BrowserContender] => ['transformers.js (worker)', batchLabel(b), { kind: 'tjs', dtype, batch: b }]),
        ];
        for (const [contender, batch, c] of contenders) {
          const load = loadavg()[0] ?? NaN;
          const result = await runInChromium(preview.url, c, texts, childTimeout, reps);
          const row: Row = { where: 'chromium wasm', model: 'qwen3-tiny', dtype, contender, batch, texts: count, tokens: totalTokens, result, memLabel: 'peak PSS', load };
          rows.push(row);
          printRow(row);
          if (c.kind === 'tabembed' && c.query) {
            chromiumQuery = result;
            log(`  chromium query q8: ${result.tabembedTimes ? `tabembed p50 ${fmt(median(result.tabembedTimes), 3)} ms, bare session.run p50 ${fmt(median(result.bareTimes ?? []), 3)} ms` : 'not measured'}`);
          }
        }
      }
    } finally {
      preview.stop();
    }
  }

  // 4. Full-size preset.
  if (!quick && !flag('--skip-full')) {
    const fullRoot = join(tmpdir(), 'tbench-models');
    const fullDir = join(fullRoot, 'qwen3-0.6b-random');
    const freeGiB = (statfsSync(tmpdir()).bavail * statfsSync(tmpdir()).bsize) / 2 ** 30;
    if (!existsSync(join(fullDir, 'onnx/model_q4.onnx')) && freeGiB < 8) {
      notes.push(`full-size preset skipped: ${freeGiB.toFixed(1)} GiB free in ${tmpdir()} (needs ~8)`);
    } else {
      if (!existsSync(join(fullDir, 'onnx/model_q4.onnx')) || !existsSync(join(fullDir, 'onnx/model_quantized.onnx'))) {
        log(`generating the qwen3-0.6b preset into ${fullRoot} (~100 s)…`);
        execFileSync('npx', ['tsx', 'scripts/fixture/main.ts', '--preset', 'qwen3-0.6b', '--out', fullRoot], { cwd: ROOT, stdio: 'inherit' });
      }
      const fullCount = Number(argValue('--full-texts') ?? 32);
      const fullTexts = texts.slice(0, fullCount);
      const fullTokens = tokenCounts.slice(0, fullCount).reduce((a, b) => a + b, 0);
      const fullFile = join(workDir, 'full-texts.json');
      writeFileSync(fullFile, JSON.stringify(fullTexts));
      for (const dtype of ['q4', 'q8'] as const) {
        const contenders: [string, string, Job][] = [
          ['tabembed wasm', 'auto', { kind: 'tabembed', model: fullDir, dtype, backend: 'wasm', textsFile: fullFile, reps: 1 }],
          ['transformers.js (node wasm)', batchLabel(0), { kind: 'tjs', modelRoot: fullRoot, modelId: 'qwen3-0.6b-random', dtype, runtime: 'wasm', batch: 0, textsFile: fullFile, reps: 1 }],
          ['transformers.js (node wasm)', '8', { kind: 'tjs', modelRoot: fullRoot, modelId: 'qwen3-0.6b-random', dtype, runtime: 'wasm', batch: 8, textsFile: fullFile, reps: 1 }],
        ];
        for (const [contender, batch, job] of contenders) {
          const load = loadavg()[0] ?? NaN;
          const result = await spawnChild(job, workDir, 20 * 60_000);
          const row: Row = { where: 'node wasm', model: 'qwen3-0.6b', dtype, contender, batch: batch === batchLabel(0) ? `all (${fullCount})` : batch, texts: fullCount, tokens: fullTokens, result, memLabel: 'peak RSS', load };
          rows.push(row);
          printRow(row);
        }
      }
    }
  } else if (quick) {
    notes.push('full-size qwen3-0.6b preset: not run with --quick');
  }

  // ---------------------------------------------------------------- summary
  const find = (where: string, model: string, dtype: string, contender: string, batch?: string): Row | undefined =>
    rows.find((r) => r.where === where && r.model === model && r.dtype === dtype && r.contender === contender && (batch === undefined || r.batch === batch));
  const tabembedOf = (r: Row): Row | undefined =>
    r.where === 'chromium wasm' ? find(r.where, r.model, r.dtype, 'tabembed') : r.where === 'node wasm' ? find(r.where, r.model, r.dtype, 'tabembed wasm') : find(r.where, r.model, r.dtype, 'tabembed native');
  const bestTjs = (where: string, model: string, dtype: string): Row | undefined =>
    rows
      .filter((r) => r.where === where && r.model === model && r.dtype === dtype && r.contender.startsWith('transformers') && r.result.ok)
      .sort((a, b) => (textsPerS(b.result) ?? 0) - (textsPerS(a.result) ?? 0))[0];
  const ratioOf = (a: Row | undefined, b: Row | undefined): number | undefined => {
    const x = a ? textsPerS(a.result) : undefined;
    const y = b ? textsPerS(b.result) : undefined;
    return x && y ? x / y : undefined;
  };
  const memRatioOf = (a: Row | undefined, b: Row | undefined): number | undefined => {
    const x = a?.result.ok ? peakOf(a.result) : undefined;
    const y = b?.result.ok ? peakOf(b.result) : undefined;
    return x && y ? x / y : undefined;
  };
  const round = (x: number | undefined, d = 3): number | null => (x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(d)));

  const chTab = find('chromium wasm', 'qwen3-tiny', 'q8', 'tabembed');
  const chBest = bestTjs('chromium wasm', 'qwen3-tiny', 'q8');
  const chDefault = find('chromium wasm', 'qwen3-tiny', 'q8', 'transformers.js (worker)', batchLabel(0));
  const nodeNative = find('node', 'qwen3-tiny', 'q8', 'tabembed native');
  const nodeWasm = find('node', 'qwen3-tiny', 'q8', 'tabembed wasm');
  /** texts/s per CPU core kept busy (CPU time ÷ wall time): the same-cores comparison when thread counts differ. */
  const perCore = (r: Row | undefined): number | undefined => {
    const tps = r ? textsPerS(r.result) : undefined;
    return tps && r?.result.cpuMs && r.result.ms ? tps / (r.result.cpuMs / r.result.ms) : undefined;
  };
  const overhead = (r: { tabembedTimes?: number[]; bareTimes?: number[] } | undefined): number | undefined =>
    r?.tabembedTimes && r.bareTimes ? median(r.tabembedTimes) / median(r.bareTimes) : undefined;

  const summary: Record<string, unknown> = {
    tabembed_texts_per_s: round(chTab ? textsPerS(chTab.result) : undefined, 1),
    transformersjs_texts_per_s: round(chBest ? textsPerS(chBest.result) : undefined, 1),
    ratio: round(ratioOf(chTab, chBest)),
    memory_ratio: round(memRatioOf(chTab, chBest)),
    ort_web_vs_node: round(ratioOf(nodeWasm, nodeNative)),
    query_overhead: round(overhead(chromiumQuery)),
    machine: m.text,
    mode: quick ? 'quick' : 'full',
    texts: count,
    tokens: totalTokens,
    transformersjs_best_batch: chBest?.batch ?? null,
    chromium_q8_ratio_vs_tjs_default: round(ratioOf(chTab, chDefault)),
    chromium_q8_memory_ratio_vs_tjs_default: round(memRatioOf(chTab, chDefault)),
    chromium_q8_agreement_cosine: round(agreement(chTab?.result, chBest?.result), 5),
    ort_web_chromium_vs_node_native: round(ratioOf(chTab, nodeNative)),
    ort_web_vs_node_per_busy_core: round(perCore(nodeWasm) && perCore(nodeNative) ? perCore(nodeWasm)! / perCore(nodeNative)! : undefined),
    query_overhead_node_native: round(overhead(queryNode['native'])),
    query_overhead_node_wasm: round(overhead(queryNode['wasm'])),
    query_p50_ms_chromium: round(chromiumQuery?.tabembedTimes ? median(chromiumQuery.tabembedTimes) : undefined),
    query_bare_p50_ms_chromium: round(chromiumQuery?.bareTimes ? median(chromiumQuery.bareTimes) : undefined),
  };
  for (const [where, model, dtypes, tabName] of [
    ['node', 'qwen3-tiny', ['q8', 'fp32'], 'tabembed native'],
    ['node wasm', 'qwen3-0.6b', ['q4', 'q8'], 'tabembed wasm'],
    ['chromium wasm', 'qwen3-tiny', ['fp32'], 'tabembed'],
  ] as const) {
    for (const dtype of dtypes) {
      const tab = find(where, model, dtype, tabName);
      const best = bestTjs(where, model, dtype);
      if (!tab && !best) continue;
      const key = `${where.replace(/ /g, '_')}_${model.replace(/[-.]/g, '_')}_${dtype}`;
      summary[`${key}_tabembed_texts_per_s`] = round(tab ? textsPerS(tab.result) : undefined, 1);
      summary[`${key}_transformersjs_texts_per_s`] = round(best ? textsPerS(best.result) : undefined, 1);
      summary[`${key}_ratio`] = round(ratioOf(tab, best));
      summary[`${key}_memory_ratio`] = round(memRatioOf(tab, best));
    }
  }
  summary['node_tiny_q8_agreement_cosine'] = round(agreement(nodeNative?.result, bestTjs('node', 'qwen3-tiny', 'q8')?.result), 5);
  summary['seconds'] = round((performance.now() - started) / 1000, 1);

  const tableText = table(rows, tabembedOf);
  const queryRuns: [string, ChildResult | BrowserRun | undefined][] = [
    ['node native (onnxruntime-node)', queryNode['native']],
    [`node wasm (onnxruntime-web, ${Math.min(4, availableParallelism())} threads)`, queryNode['wasm']],
    ['chromium wasm (worker + Comlink)', chromiumQuery],
  ];
  const queryLines = queryRuns
    .filter((x): x is [string, ChildResult | BrowserRun] => x[1] !== undefined)
    .map(([name, r]) =>
      r.ok && r.tabembedTimes
        ? `| ${name} | ${fmt(median(r.tabembedTimes), 3)} | ${fmt(median(r.bareTimes ?? []), 3)} | ${fmt(overhead(r), 3)} |`
        : `| ${name} | — | — | FAILED: ${(r.error ?? 'not measured').replace(/\|/g, '/')} |`,
    );
  const queryTable = ['| warm query "short query" (q8, p50 of 50) | tabembed embed() ms | bare session.run ms | ratio |', '|---|---|---|---|', ...queryLines].join('\n');
  const threadsNote =
    'Threads: onnxruntime-node uses its default intra-op pool (both contenders, same process options); tabembed --backend wasm in Node runs onnxruntime-web on min(4, cores) threads (src/engine/node/ort-wasm.ts), and transformers.js on onnxruntime-web gets the same, ' +
    'so "ort_web_vs_node" compares those WASM threads with the native pool on the same machine ("CPU cores busy" = CPU time ÷ wall time shows what each used); ' +
    `in Chromium both contenders get numThreads = min(4, hardwareConcurrency) = ${chTab && 'threads' in chTab.result ? String(chTab.result.threads) : '?'} (tabembed's worker choice, set on transformers.js's onnxruntime env too), and "ort_web_chromium_vs_node_native" compares that with native.`;

  log('');
  log(tableText);
  log('');
  log(queryTable);
  for (const n of notes) log(`note: ${n}`);
  const jsonLine = JSON.stringify(summary);

  if (!flag('--no-write')) {
    mkdirSync(join(ROOT, 'bench'), { recursive: true });
    const md = [
      '# tabembed benchmark results',
      '',
      `Written by \`npm run bench${quick ? ' -- --quick' : ''}\` (scripts/bench/bench.ts) on ${new Date().toISOString()}, in ${fmt((performance.now() - started) / 1000, 0)} s.`,
      '',
      '## Machine and versions',
      '',
      `- machine: ${m.nproc} CPUs (nproc), ${m.memGiB.toFixed(1)} GiB memory, CPU model "${m.cpu}", ${process.platform} ${process.arch}; no GPU used (WASM only)`,
      ...Object.entries(versions).map(([k, v]) => `- ${k}: ${v}`),
      '',
      '## Corpus',
      '',
      `Deterministic (scripts/bench/corpus.ts, seeded PRNG over word lists in 7 languages plus code): ${corpusLine}. Tokens are counted as tabembed feeds them (documents, <|endoftext|> included).`,
      '',
      '## Throughput and memory',
      '',
      'Each row is its own child process (node) or its own browser launch (chromium), after load and a 4-text warm-up. "peak MB" is the process\'s VmHWM (node, RSS) or the highest sampled sum of PSS over the Chromium process tree (every 50 ms, load included); "loaded MB" is the same measure once the model is loaded and warmed up. transformers.js: `pipeline(\'feature-extraction\', …, { dtype, device })` called with `{ pooling: \'last_token\', normalize: true }` on the whole list ("all") or on chunks of N. "vs tabembed" = tabembed texts/s ÷ this row\'s, and tabembed peak ÷ this row\'s peak.',
      '',
      tableText,
      '',
      '## Warm single short query',
      '',
      queryTable,
      '',
      '## Notes',
      '',
      `- ${threadsNote}`,
      ...notes.map((n) => `- ${n}`),
      '',
      '## Summary (the runner\'s last line)',
      '',
      'Headline: Chromium WASM, qwen3-tiny q8, the mixed corpus; transformers.js at its best batch size in this run.',
      '',
      '```json',
      jsonLine,
      '```',
      '',
    ].join('\n');
    writeFileSync(join(ROOT, 'bench/results.md'), md);
  }
  rmSync(workDir, { recursive: true, force: true });
  console.log(jsonLine);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
