/**
 * `<semantic-search>` on a cold page (issue 15: the first keyword answer within ~1 s and
 * ~300 KB): the README's plain widget page served by a plain static server, a compact index with
 * a lexical part made by the real CLI (the e2e fixture's 10 items, float32, 4 rows a shard), a
 * fresh browser context per run (empty HTTP cache and OPFS). Per run it records every response
 * finished before the first keyword result (bytes on the wire: body + headers, by path), the time
 * from navigation start to `keywords-ready`, and from `search()` to its `results` (the typing pause
 * is not in it: search() runs at once). It checks that no request went under /models/ by then.
 * Writes bench/widget-first-result.md. A measurement, not a test: no number passes or fails.
 *
 *   npm run build:lib && npm run bench:widget [-- --runs 5]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Request } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { startStaticSite } from '../e2e/support/static-site.ts';
import { makeCompactIndex, makeWidgetData, QUERIES, widgetSiteMounts } from '../e2e/support/widget-data.ts';
import { ROOT } from './bench-args.ts';
import { loadAverage } from './results-file.ts';

const at = process.argv.indexOf('--runs');
const RUNS = at > 0 ? Number(process.argv[at + 1]) : 5;
const QUERY = QUERIES[0] ?? '';

interface Run {
  readyMs: number;
  searchMs: number;
  bytes: Map<string, number>;
  modelRequests: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const group = (path: string): string =>
  path.startsWith('/tabembed/') ? 'widget script (dist/lib)' : path.startsWith('/search/') ? 'index files' : 'page';

async function main(): Promise<void> {
  makeWidgetData(); // builds the CLI
  const site = await startStaticSite({ mounts: widgetSiteMounts(makeCompactIndex('float32', 4, { lexical: true })) });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const runs: Run[] = [];
  const loadBefore = loadAverage();
  try {
    for (let r = 0; r < RUNS; r++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const sizes: Promise<[string, number]>[] = [];
      page.on('requestfinished', (request: Request) =>
        sizes.push(
          request.sizes().then((s) => [new URL(request.url()).pathname, s.responseBodySize + s.responseHeadersSize]),
        ),
      );
      await page.addInitScript(() => {
        document.addEventListener('keywords-ready', () => Reflect.set(window, 'readyAt', performance.now()));
      });
      const from = site.requests().length;
      await page.goto(`${site.origin}/`);
      await page.waitForFunction(() => Reflect.get(window, 'readyAt') !== undefined);
      const readyMs = await page.evaluate(() => Reflect.get(window, 'readyAt') as number);
      const searchMs = await page.locator('semantic-search').evaluate(async (el, q) => {
        const start = performance.now();
        await (el as HTMLElement & { search(q: string): Promise<unknown> }).search(q);
        return performance.now() - start;
      }, QUERY);
      const modelRequests = site
        .requests()
        .slice(from)
        .filter((q) => q.path.startsWith('/models/')).length;
      const bytes = new Map<string, number>();
      for (const [path, n] of await Promise.all(sizes)) bytes.set(group(path), (bytes.get(group(path)) ?? 0) + n);
      runs.push({ readyMs, searchMs, bytes, modelRequests });
      await context.close();
    }
  } finally {
    await browser.close();
    await site.close();
  }
  const total = (run: Run): number => [...run.bytes.values()].reduce((a, b) => a + b, 0);
  const groups = [...new Set(runs.flatMap((run) => [...run.bytes.keys()]))];
  const lines = [
    '# `<semantic-search>`: the first keyword result on a cold page',
    '',
    `Written by \`bench/widget-first-result.ts\` (${RUNS} runs, a fresh context each; median). Chromium headless, this machine (load average before ${loadBefore}, after ${loadAverage()}). Index: the e2e fixture's 10 items, \`tabembed index --out … --encoding float32 --shard-rows 4 --lexical\`; query "${QUERY}". Bytes: response bodies + headers, uncompressed (the static server does not gzip).`,
    '',
    '| measure | median | runs |',
    '|---|---:|---|',
    `| navigation start → \`keywords-ready\` | ${median(runs.map((x) => x.readyMs)).toFixed(0)} ms | ${runs.map((x) => x.readyMs.toFixed(0)).join(', ')} |`,
    `| \`search()\` → keyword results (lexical file and item shard fetched) | ${median(runs.map((x) => x.searchMs)).toFixed(0)} ms | ${runs.map((x) => x.searchMs.toFixed(0)).join(', ')} |`,
    `| navigation start → first keyword result (the two above) | ${median(runs.map((x) => x.readyMs + x.searchMs)).toFixed(0)} ms | |`,
    ...groups.map(
      (g) =>
        `| bytes: ${g} | ${(median(runs.map((x) => x.bytes.get(g) ?? 0)) / 1000).toFixed(1)} KB | ${runs.map((x) => ((x.bytes.get(g) ?? 0) / 1000).toFixed(1)).join(', ')} |`,
    ),
    `| bytes in all | ${(median(runs.map(total)) / 1000).toFixed(1)} KB | ${runs.map((x) => (total(x) / 1000).toFixed(1)).join(', ')} |`,
    `| requests under /models/ by then | ${median(runs.map((x) => x.modelRequests))} | ${runs.map((x) => x.modelRequests).join(', ')} |`,
    '',
  ];
  writeFileSync(join(ROOT, 'bench/widget-first-result.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}

await main();
