/**
 * Memory of a load on WebGPU, per Chromium process, for a model of Qwen3-Embedding-4B's width
 * (issue 17, item 2): the peak CPU-side memory while the weights stream from OPFS to GPU buffers.
 *
 * Each run: a fresh Chromium on a fresh persistent profile (CHROMIUM_ARGS: WebGPU is SwiftShader),
 * the app and test pages built and served by `vite preview`, the model folder linked under
 * /models/. `create({ device, dtype, cache: true })` twice in one page: **first** (download →
 * OPFS → session) and, after `dispose()`, **cached** (OPFS → session). The Sampler
 * (process-memory.ts) sums VmRSS per process type every 100 ms (PSS of the tree every second); the
 * page stamps every progress event, so each phase's window is known: the **upload** window runs
 * from the first `compile` event to the last `upload` event (the session exists), the rest of the
 * load (probe, warm-up) follows.
 *
 *   npx tsx bench/load-4b-memory.ts --model /tmp/tbench-models/qwen3-4b-2l [--dtype q4] [--device webgpu] [--once]
 *
 * Prints one JSON object; bench/load-4b-memory.md keeps the runs.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import type {} from '../e2e/pages/embedder-page.ts'; // window.harness's type
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { chromiumVersion, startPreview } from './chromium-runs.ts';
import { findBrowserPid, median, Sampler, type Sample } from './process-memory.ts';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(name);
  return at > 0 ? (process.argv[at + 1] ?? fallback) : fallback;
};
const MODEL = resolve(arg('--model', '/tmp/tbench-models/qwen3-4b-2l'));
const DTYPE = arg('--dtype', 'q4');
const DEVICE = arg('--device', 'webgpu');
const MB = (bytes: number): number => Math.round(bytes / 1e5) / 10;

/** Peak RSS per process type (and of the tree's PSS) in [t0, t1], over the median in the second before t0. */
function peaks(samples: Sample[], t0: number, t1: number): Record<string, number> {
  const before = samples.filter((s) => s.t >= t0 - 1000 && s.t < t0);
  const during = samples.filter((s) => s.t >= t0 && s.t <= t1);
  const types = new Set(during.flatMap((s) => [...s.byType.keys()]));
  const out: Record<string, number> = {};
  for (const type of types) {
    const base = median(before.map((s) => s.byType.get(type) ?? 0));
    out[`${type} peak ΔRSS MB`] = MB(Math.max(...during.map((s) => s.byType.get(type) ?? 0)) - (base || 0));
  }
  // What is still held when the window ends (resident: heap copies) against what came and went (staging, garbage).
  const last = during.at(-1);
  for (const type of ['renderer', 'gpu-process'])
    out[`${type} Δ at the end MB`] = MB(
      (last?.byType.get(type) ?? 0) - median(before.map((s) => s.byType.get(type) ?? 0)),
    );
  out['tree peak ΔPSS MB'] = MB(Math.max(...during.map((s) => s.pss)) - median(before.map((s) => s.pss)));
  out['tree peak ΔRSS MB'] = MB(Math.max(...during.map((s) => s.rss)) - median(before.map((s) => s.rss)));
  return out;
}

async function main(): Promise<void> {
  const name = basename(MODEL);
  const outDir = mkdtempSync(join(tmpdir(), 'tabembed-load4b-'));
  const profile = mkdtempSync(join(tmpdir(), 'tabembed-load4b-profile-'));
  const preview = await startPreview(outDir);
  mkdirSync(join(outDir, 'models'), { recursive: true });
  symlinkSync(MODEL, join(outDir, 'models', name));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const sampler = new Sampler(findBrowserPid(profile), 100, 1000);
  const result: Record<string, unknown> = { model: name, dtype: DTYPE, device: DEVICE, chromium: chromiumVersion() };
  try {
    const page = await context.newPage();
    await page.goto(`${preview.url}/e2e/pages/embedder.html`);
    await page.waitForFunction(() => 'harness' in window);
    sampler.start();
    for (const run of process.argv.includes('--once') ? ['first'] : ['first', 'cached']) {
      await new Promise((r) => setTimeout(r, 1500)); // a quiet baseline for the window
      const offset = performance.timeOrigin;
      const started = performance.now();
      await page.evaluate(() => (window.harness.progressTimes.length = 0));
      const { handle, info, progress } = await page.evaluate((o) => window.harness.create(o), {
        model: { url: `/models/${name}/` },
        device: DEVICE,
        dtype: DTYPE,
        cache: true,
      } as Parameters<typeof window.harness.create>[0]);
      const ended = performance.now();
      const times = await page.evaluate(() => window.harness.progressTimes);
      const at = (phase: string, last = false): number => {
        const hits = times.filter((t) => t.phase === phase);
        const hit = last ? hits.at(-1) : hits[0];
        return hit ? hit.at - offset : NaN;
      };
      const uploads = progress.filter((e) => e.phase === 'upload');
      const downloadTotal = progress.find((e) => e.phase === 'download')?.totalBytes ?? 0;
      const [vector] = await page.evaluate((h) => window.harness.embed(h, ['a short probe text']), handle);
      result[run] = {
        loadMs: Math.round(ended - started),
        device: info.device,
        deviceReason: info.deviceReason,
        fileMB: MB(downloadTotal),
        uploadEvents: uploads.length,
        uploadTotalMB: MB(uploads.at(-1)?.totalBytes ?? 0),
        uploadEndsAtTotal: uploads.at(-1)?.totalLoaded === uploads.at(-1)?.totalBytes,
        uploadMs: Math.round(at('upload', true) - at('compile')),
        upload: peaks(sampler.samples, at('compile'), at('upload', true)),
        wholeLoad: peaks(sampler.samples, started, ended),
        vectorLength: vector?.length,
      };
      await page.evaluate((h) => window.harness.dispose(h), handle);
    }
  } finally {
    sampler.stop();
    await context.close();
    preview.stop();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
  console.log(JSON.stringify(result, null, 2));
}

await main();
