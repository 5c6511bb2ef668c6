/**
 * Chromium runs: one browser launch per contender on e2e/pages/bench.html (tabembed through
 * createEmbedder, or transformers.js in a module worker), memory sampled over the browser's
 * process tree, served by `vite preview` from a private build.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import type { RunResult } from '../e2e/pages/bench-page.ts'; // and window.bench's type
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { withTimeout } from '../src/core/with-timeout.ts';
import { FILE_OF, ROOT, type Dtype } from './bench-args.ts';
import { batchLabel, QUERY, tjsBatches, type BenchContext, type BenchModel } from './bench-context.ts';
import { descendants, findBrowserPid, median, Sampler } from './process-memory.ts';
import { fmt, rowLine, type Row } from './report-table.ts';

export interface BrowserRun {
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
  /** The bare session's `session.run` time summed over the run's texts, one text per run (bare-session-worker.ts `kernels`). */
  kernelMs?: number;
  env?: { crossOriginIsolated: boolean; hardwareConcurrency: number; userAgent: string; numThreads: number };
  threads?: number;
  /** tabembed only: summed RSS of the process tree before createEmbedder() (median of 0.6 s) and its highest sample during it. */
  loadBaseRss?: number;
  loadPeakRss?: number;
  /** Bytes of the dtype's ONNX files (graph + external data), what the load hands to onnxruntime. */
  modelBytes?: number;
}

/** Bytes of a dtype's ONNX files in a model folder. */
export function modelBytesOf(dir: string, dtype: Dtype): number {
  const { file, external } = FILE_OF[dtype];
  return [file, ...external].reduce((sum, f) => sum + statSync(join(dir, 'onnx', f)).size, 0);
}

/** Warm pairs run before the measured ones (bench-page.ts `queryPairs`): enough for V8 to tier the kernels up. */
const QUERY_WARM_PAIRS = 100;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

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

export type BrowserContender =
  | {
      kind: 'tabembed';
      dtype: Dtype;
      query?: { text: string; ids: number[]; padId: number; runs: number; textIds?: number[][] };
    }
  | { kind: 'tjs'; dtype: Dtype; batch: number };

export async function runInChromium(
  baseUrl: string,
  benchModel: BenchModel,
  contender: BrowserContender,
  timeoutMs: number,
  reps: number,
): Promise<BrowserRun> {
  const { texts } = benchModel;
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
    // PSS read once a second per process (RSS every 50 ms): reading it every 50 ms took over half
    // a core from the run on the real-width model (process-memory.ts).
    sampler = new Sampler(browserPid, 50, 1000);
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
    const model = `/models/${benchModel.name}/`;
    let loadMs: number;
    let loadMemory: Pick<BrowserRun, 'loadBaseRss' | 'loadPeakRss' | 'modelBytes'> = {};
    if (contender.kind === 'tabembed') {
      // The load's peak over what the browser held just before it, as the load-memory experiment (bench/archive/load-memory.md)
      // measures it (summed RSS of the process tree, sampled every 50 ms).
      const b0 = performance.now();
      await sleep(600);
      const loadBaseRss = median(sampler.between(b0, performance.now()).map((s) => s.rss));
      const t0 = performance.now();
      loadMs = (
        await withTimeout(
          page.evaluate(([u, d]) => window.bench.tabembedLoad(u, d, 'wasm'), [model, contender.dtype] as const),
          timeoutMs,
          'load',
        )
      ).ms;
      sampler.sample();
      const loadPeakRss = Math.max(...sampler.between(t0, performance.now()).map((s) => s.rss));
      loadMemory = { loadBaseRss, loadPeakRss, modelBytes: modelBytesOf(benchModel.dir, contender.dtype) };
      // One unmeasured pass, as in Node (node-child.ts): the wasm kernels settle on TurboFan code.
      await page.evaluate((t) => window.bench.tabembedRun(t), texts);
    } else {
      loadMs = (
        await withTimeout(
          page.evaluate(
            ([id, d]) => window.bench.tjsLoad({ modelId: id, localModelPath: '/models/', dtype: d, device: 'wasm' }),
            [benchModel.name, contender.dtype] as const,
          ),
          timeoutMs,
          'load',
        )
      ).ms;
      await page.evaluate(([t, b]) => window.bench.tjsRun(t, b), [texts, contender.batch] as const);
    }
    const pssLoaded = sampler.sample().pss;
    let r: RunResult | undefined;
    let cpuMs = NaN;
    for (let rep = 0; rep < reps; rep++) {
      const c0 = treeCpuMs(browserPid);
      const next =
        contender.kind === 'tabembed'
          ? await withTimeout(
              page.evaluate((t) => window.bench.tabembedRun(t), texts),
              timeoutMs,
              'embed',
            )
          : await withTimeout(
              page.evaluate(([t, b]) => window.bench.tjsRun(t, b), [texts, contender.batch] as const),
              timeoutMs,
              'embed',
            );
      if (!r || next.ms < r.ms) [r, cpuMs] = [next, treeCpuMs(browserPid) - c0];
    }
    if (!r) throw new Error('no run');
    sampler.sample();
    sampler.stop();
    const hwmSum = sampler.hwmSum();
    const peakPss = Math.max(...sampler.samples.map((s) => s.pss));
    const peakRss = Math.max(...sampler.samples.map((s) => s.rss));
    const run: BrowserRun = {
      ok: true,
      loadMs,
      ms: r.ms,
      n: r.n,
      head: r.head,
      peakPss,
      peakRss,
      pssLoaded,
      hwmSum,
      cpuMs,
      env,
      threads: env.numThreads,
      ...loadMemory,
      ...(r.batches === undefined ? {} : { batches: r.batches }),
    };
    if (contender.kind === 'tabembed' && contender.query) {
      // After the memory phase: the bare session would otherwise count against tabembed's peak.
      const q = contender.query;
      const { file, external } = FILE_OF[contender.dtype];
      await page.evaluate(([u, f, e]) => window.bench.bareLoad(u, f, e), [model, file, external] as const);
      // Unmeasured pairs first: V8 tiers the kernels up from Liftoff to TurboFan code while they
      // run (ENVIRONMENT.md), and a p50 taken across that moment measures the tiering, not tabembed.
      await page.evaluate(([t, ids, pad, n]) => window.bench.queryPairs(t, ids, pad, n), [
        q.text,
        q.ids,
        q.padId,
        QUERY_WARM_PAIRS,
      ] as const);
      const pairs = await withTimeout(
        page.evaluate(([t, ids, pad, n]) => window.bench.queryPairs(t, ids, pad, n), [
          q.text,
          q.ids,
          q.padId,
          q.runs,
        ] as const),
        timeoutMs,
        'query',
      );
      run.tabembedTimes = pairs.tabembed;
      run.bareTimes = pairs.bare;
      if (q.textIds)
        run.kernelMs = await withTimeout(
          page.evaluate(([ids, pad]) => window.bench.bareKernels(ids, pad), [q.textIds, q.padId] as const),
          timeoutMs,
          'kernels',
        );
    }
    return run;
  } catch (error) {
    sampler?.stop();
    const peakPss = sampler && sampler.samples.length > 0 ? Math.max(...sampler.samples.map((s) => s.pss)) : undefined;
    const msg = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    return {
      ok: false,
      error: [msg, ...pageErrors.slice(0, 2)].join(' | ').slice(0, 500),
      ...(peakPss === undefined ? {} : { peakPss }),
    };
  } finally {
    await context?.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * Builds the app and the test pages into a private folder (others may rebuild dist/app meanwhile) and serves it with
 * `vite preview`; models outside public/ are linked in as /models/<name>/ before the server starts.
 */
export async function startPreview(
  outDir: string,
  models: readonly BenchModel[] = [],
): Promise<{ url: string; stop: () => void }> {
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  // The app, then the test pages (the benchmark's page among them) beside it: vite.e2e.config.ts.
  for (const args of [['--emptyOutDir'], ['--config', 'vite.e2e.config.ts']])
    execFileSync(process.execPath, [vite, 'build', ...args, '--outDir', outDir, '--logLevel', 'error'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  for (const m of models) {
    const served = join(outDir, 'models', m.name);
    if (!existsSync(served)) symlinkSync(m.dir, served);
  }
  const port = 4300 + Math.floor(Math.random() * 600);
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'preview',
      '--outDir',
      outDir,
      '--port',
      String(port),
      '--strictPort',
    ],
    { cwd: ROOT, stdio: 'ignore' },
  );
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

/** Debian's Chromium version, for results.md ('?' when it cannot say). */
export function chromiumVersion(): string {
  try {
    const out = execFileSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return /Chrom\S* [\d.]+/.exec(out)?.[0] ?? out.trim();
  } catch {
    return '?';
  }
}

/** One model's Chromium runs: tabembed alone (`tjs: false`, a smoke check) or against transformers.js; `query` times the warm query in tabembed's q8 launch. */
export interface ChromiumPlan {
  model: BenchModel;
  dtypes: readonly Dtype[];
  tjs: boolean;
  query?: { ids: number[]; padId: number; textIds?: number[][] };
}

/** Phase 2: Chromium WASM, tabembed vs transformers.js in a worker; returns the warm-query runs by model name. */
export async function runChromiumPhase(
  ctx: BenchContext,
  plans: readonly ChromiumPlan[],
): Promise<Record<string, BrowserRun>> {
  const { childTimeout, reps } = ctx;
  const queries: Record<string, BrowserRun> = {};
  const preview = await startPreview(
    join(ctx.workDir, 'dist'),
    plans.map((p) => p.model),
  );
  try {
    for (const { model, dtypes, tjs, query } of plans) {
      const count = model.texts.length;
      for (const dtype of dtypes) {
        const timed = query && dtype === 'q8' ? { query: { text: QUERY.text, ...query, runs: QUERY.runs } } : {};
        const contenders: [string, string, BrowserContender][] = [
          ['tabembed', 'auto', { kind: 'tabembed', dtype, ...timed }],
          ...(tjs ? tjsBatches(count) : []).map((b): [string, string, BrowserContender] => [
            'transformers.js (worker)',
            batchLabel(b, count),
            { kind: 'tjs', dtype, batch: b },
          ]),
        ];
        for (const [contender, batch, c] of contenders) {
          const load = loadavg()[0] ?? NaN;
          const result = await runInChromium(preview.url, model, c, childTimeout, reps);
          const row: Row = {
            where: 'chromium wasm',
            model: model.name,
            dtype,
            contender,
            batch,
            texts: count,
            tokens: model.totalTokens,
            result,
            memLabel: 'peak PSS',
            load,
          };
          ctx.rows.push(row);
          ctx.log(rowLine(row));
          if (c.kind === 'tabembed' && c.query) {
            queries[model.name] = result;
            ctx.log(
              `  chromium query ${model.name} q8: ${result.tabembedTimes ? `tabembed p50 ${fmt(median(result.tabembedTimes), 3)} ms, bare session.run p50 ${fmt(median(result.bareTimes ?? []), 3)} ms` : 'not measured'}`,
            );
          }
        }
      }
    }
  } finally {
    preview.stop();
  }
  return queries;
}
