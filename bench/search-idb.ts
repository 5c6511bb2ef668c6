/**
 * The IndexedDB half of bench:search, in Debian's Chromium: the real search worker and its real
 * store (e2e/pages/search-bench.html), at one size. Fills a database with seeded random unit
 * vectors, times the ways of reading the few rows an int8 search rescores, then opens the
 * worker in each precision: open time, search latency (the worker's own clock, and the page's
 * round trip), recall, switching, and the memory Chromium attributes to the worker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import type {} from '../e2e/pages/search-bench-page.ts'; // window.searchBench's type
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import type { IndexPrecision } from '../src/protocol/search-data.ts';
import { chromiumVersion, startPreview } from './chromium-runs.ts';

export interface Spread {
  median: number;
  p95: number;
}

export interface IdbPrecisionRun {
  precision: IndexPrecision;
  openMs: number;
  memory: { keeps: IndexPrecision; bytes: number };
  /** What performance.measureUserAgentSpecificMemory() attributes to the search worker; undefined where Chromium does not say. */
  workerBytes: number | undefined;
  worker: Spread;
  roundTrip: Spread;
  /** recall@10 of int8 search against exact search, measured in this precision. */
  recall: number;
  /** Switching to the other precision in the same worker. */
  switchMs: number;
}

export interface IdbBench {
  rows: number;
  dims: number;
  fillMs: number;
  readWays: Record<string, Record<number, Spread>>;
  runs: IdbPrecisionRun[];
  chromium: string;
}

/** Runs the Chromium half: `rows` × `dims` vectors, `queries` timed searches per precision after `warmup`. */
export async function runIdbBench(
  rows: number,
  dims: number,
  queries: number,
  warmup: number,
  readCounts: number[],
): Promise<IdbBench> {
  const outDir = mkdtempSync(join(tmpdir(), 'tabembed-bench-search-'));
  const profile = mkdtempSync(join(tmpdir(), 'tabembed-bench-search-profile-'));
  const preview = await startPreview(outDir);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(0);
    page.on('pageerror', (error) => console.log(`[search bench page] ${error.message}`));
    await page.goto(`${preview.url}/e2e/pages/search-bench.html`);
    await page.waitForSelector('body[data-ready="true"]');
    const db = `bench-${rows}`;
    const { ms: fillMs } = await page.evaluate(([d, r, n]) => window.searchBench.fill(d, r, n, 1), [
      db,
      rows,
      dims,
    ] as const);
    console.log(`IndexedDB: stored ${rows} × ${dims} in ${(fillMs / 1000).toFixed(1)} s`);
    const readWays = await page.evaluate(([d, r, n, c]) => window.searchBench.readWays(d, r, n, c, 9), [
      db,
      rows,
      dims,
      readCounts,
    ] as const);
    console.log(`IndexedDB reads: ${JSON.stringify(readWays)}`);
    const runs: IdbPrecisionRun[] = [];
    for (const precision of ['float32', 'int8'] as const) {
      await page.evaluate((d) => window.searchBench.start(d), db);
      const opened = await page.evaluate(([n, p]) => window.searchBench.open(n, p), [dims, precision] as const);
      const timed = await page.evaluate(([n, p, q, w]) => window.searchBench.search(n, p, q, w, 2), [
        dims,
        precision,
        queries,
        warmup,
      ] as const);
      const memory = await page.evaluate(() => window.searchBench.memory());
      const workerBytes = memory
        ?.filter((entry) => entry.url.includes('search.worker'))
        .reduce((sum, entry) => sum + entry.bytes, 0);
      const recall = await page.evaluate((n) => window.searchBench.recall(n, 10, 3), dims);
      const other: IndexPrecision = precision === 'int8' ? 'float32' : 'int8';
      const switched = await page.evaluate((p) => window.searchBench.usePrecision(p), other);
      await page.evaluate(() => window.searchBench.stop());
      const run = {
        precision,
        openMs: opened.ms,
        memory: opened.status.memory,
        workerBytes,
        ...timed,
        recall,
        switchMs: switched.ms,
      };
      console.log(`Chromium ${precision}: ${JSON.stringify(run)}`);
      runs.push(run);
    }
    return { rows, dims, fillMs, readWays, runs, chromium: chromiumVersion() };
  } finally {
    await context.close();
    preview.stop();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}
