/**
 * One cold search in Chromium: a fresh browser context (empty HTTP cache and storage), the
 * search page opened, the input clicked and a query typed (keys back to back), then the first
 * `results` event awaited, and the one for the whole query. The server (e2e/support/static-site.ts,
 * uncompressed) logs every response's body bytes and when it was handed to the socket: what was
 * sent until the first results is split into page, library (JS/wasm), index and model files.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from '@playwright/test';
import type { StaticSite } from '../../e2e/support/static-site.ts';
import { ROOT } from '../bench-args.ts';
import { addToGroup, MODEL_DIR, MODEL_URL, type FileGroups } from './site-indexes.ts';

export type Part = 'page' | 'library' | 'index' | 'model';
export type Bytes = Record<Part, number>;

export interface SearchRun {
  /** First keystroke → first `results` event, ms. */
  firstMs: number;
  /** The query the first results answered (a prefix if typing paused). */
  firstQuery: string;
  /** First keystroke → results for the whole query, ms. */
  fullMs: number;
  /** First keystroke → last keystroke, ms (the keys are sent back to back: a paste-fast typist). */
  typingMs: number;
  /** Body bytes sent by the first results, by part, raw and as gzip would send them. */
  raw: Bytes;
  gzip: Bytes;
  /** Model files sent in the whole run (until the whole query's results), and when the last was sent (ms after the first key; undefined: none). */
  modelBytes: number;
  modelDoneMs: number | undefined;
  load1: number;
  /** The index files sent by the first results, grouped by name with numbers and hashes as `*` (`index-v*.bin`): count and raw bytes. */
  indexFiles: FileGroups;
}

interface PageTimes {
  firstKey: number;
  results: { wall: number; t: number; query: string }[];
  keyT: number;
  lastKeyT: number;
}

/** Library files of Pagefind: its JS and wasm (the rest of /pagefind/ is its index). */
const PAGEFIND_LIBRARY = /^\/pagefind\/(pagefind[^/]*\.js|wasm\.[^/]*)$/;

export function partOf(path: string): Part {
  if (path.startsWith(MODEL_URL)) return 'model';
  if (path.startsWith('/tabembed/') || PAGEFIND_LIBRARY.test(path)) return 'library';
  if (path.startsWith('/search/') || path.startsWith('/pagefind/')) return 'index';
  return 'page';
}

const empty = (): Bytes => ({ page: 0, library: 0, index: 0, model: 0 });

/** The gzip -9 size of the file a request was served from, cached per path. */
function gzipSizer(site: string): (path: string) => number {
  const cache = new Map<string, number>();
  return (path) => {
    const cached = cache.get(path);
    if (cached !== undefined) return cached;
    const file = path.startsWith('/tabembed/')
      ? join(ROOT, 'dist/lib', path.slice('/tabembed/'.length))
      : path.startsWith(MODEL_URL)
        ? join(ROOT, MODEL_DIR, path.slice(MODEL_URL.length))
        : join(site, path.endsWith('/') ? `${path}index.html` : path);
    const size = gzipSync(readFileSync(file), { level: 9 }).length;
    cache.set(path, size);
    return size;
  };
}

export function createRunner(browser: Browser, server: StaticSite, site: string) {
  const gzipOf = gzipSizer(site);
  return async (pagePath: string, query: string): Promise<SearchRun> => {
    const before = server.requests().length;
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.addInitScript(() => {
        const w = window as unknown as { benchTimes: PageTimes };
        w.benchTimes = { firstKey: 0, keyT: 0, lastKeyT: 0, results: [] };
        document.addEventListener(
          'keydown',
          () => {
            const t = performance.now();
            if (w.benchTimes.firstKey === 0) w.benchTimes = { ...w.benchTimes, firstKey: Date.now(), keyT: t };
            w.benchTimes.lastKeyT = t;
          },
          true,
        );
        document.addEventListener('results', (e) => {
          const { query } = (e as CustomEvent<{ query: string }>).detail;
          w.benchTimes.results.push({ wall: Date.now(), t: performance.now(), query });
        });
      });
      await page.goto(`${server.origin}${pagePath}`);
      await page.locator('input').first().click();
      await page.keyboard.type(query);
      await page.waitForFunction(
        (q) => (window as unknown as { benchTimes: PageTimes }).benchTimes.results.some((r) => r.query === q),
        query,
        { timeout: 180_000, polling: 20 },
      );
      const times = await page.evaluate(() => (window as unknown as { benchTimes: PageTimes }).benchTimes);
      const first = times.results[0];
      const full = times.results.find((r) => r.query === query);
      if (!first || !full) throw new Error(`no results event for "${query}" on ${pagePath}`);
      const sent = server.requests().slice(before);
      const raw = empty();
      const gzip = empty();
      const indexFiles: SearchRun['indexFiles'] = {};
      let modelBytes = 0;
      let modelDone: number | undefined;
      for (const r of sent) {
        if (r.status !== 200 || r.bytes === undefined || r.finishedAt === undefined) continue;
        const path = r.path.split('?')[0] ?? r.path;
        const part = partOf(path);
        if (part === 'model') {
          modelBytes += r.bytes;
          modelDone = Math.max(modelDone ?? 0, r.finishedAt - times.firstKey);
        }
        if (r.finishedAt > first.wall) continue;
        if (part === 'index') addToGroup(indexFiles, path, r.bytes);
        raw[part] += r.bytes;
        gzip[part] += gzipOf(path);
      }
      return {
        firstMs: first.t - times.keyT,
        firstQuery: first.query,
        fullMs: full.t - times.keyT,
        typingMs: times.lastKeyT - times.keyT,
        raw,
        gzip,
        modelBytes,
        modelDoneMs: modelDone,
        load1: loadavg()[0] ?? 0,
        indexFiles,
      };
    } finally {
      await context.close();
    }
  };
}
