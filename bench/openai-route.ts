/**
 * What the in-tab OpenAI route costs per request, against calling the facade directly, in the
 * same page and the same run: one short text, embedded `--runs` times each way, interleaved
 * (facade, fetch through the route, the openai client through the route) so machine load
 * falls on all three alike. Writes bench/openai-route.md. A measurement, not a test: nothing
 * here passes or fails on a number.
 *
 *   npm run bench:route [-- --runs 300]
 */
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import type {} from '../e2e/pages/openai-page.ts'; // window.openaiHarness's type
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { ROOT } from './bench-args.ts';
import { loadAverage, writeKeepingEarlierRuns } from './results-file.ts';
import { chromiumVersion, startPreview } from './chromium-runs.ts';

const TEXT = 'short query';
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 300;
const WARMUP = 30;

const fmt = (ms: number): string => ms.toFixed(2);
async function main(): Promise<void> {
  const preview = await startPreview(join(tmpdir(), 'tabembed-bench-route-dist'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${preview.url}/e2e/pages/openai.html`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.evaluate(() => window.openaiHarness.load());
    await page.evaluate(() => window.openaiHarness.host());
    await page.evaluate(() => window.openaiHarness.registerWorker());
    const loadBefore = loadAverage();
    const started = Date.now();
    const result = await page.evaluate(([t, n, w]) => window.openaiHarness.bench(t, n, w), [
      TEXT,
      RUNS,
      WARMUP,
    ] as const);
    const seconds = (Date.now() - started) / 1000;
    const loadAfter = loadAverage();
    const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
    const rows = [
      ['facade in the page (`openAIFacade(embedder).embeddings.create`)', result.facade],
      ["`fetch('/v1/embeddings')` through the service worker", result.fetch],
      ['official `openai` client through the service worker', result.client],
      ["`fetch('/v1/models')`: the route's round trip, no embedding", result.models],
      ['`OPTIONS /v1/embeddings`: answered in the service worker, no page round trip', result.options],
    ] as const;
    const lines = [
      '# In-tab OpenAI route: per-request overhead',
      '',
      `\`npm run bench:route\` (bench/openai-route.ts), ${new Date().toISOString().slice(0, 10)}. One short text (${JSON.stringify(TEXT)}), the fixture model (qwen3-tiny, WASM, dtype auto), ${RUNS} requests each way after ${WARMUP} warm-up rounds, the ways interleaved in one page, one run. Times are wall-clock per request, measured in the page with performance.now().`,
      '',
      '| way | median ms | p95 ms | mean ms | median vs facade |',
      '|---|---|---|---|---|',
      ...rows.map(
        ([name, s]) =>
          `| ${name} | ${fmt(s.median)} | ${fmt(s.p95)} | ${fmt(s.mean)} | ${ratio(s.median, result.facade.median)} |`,
      ),
      '',
      `- **Route overhead** (fetch − facade, medians): ${fmt(result.fetch.median - result.facade.median)} ms per request; p95 ${fmt(result.fetch.p95 - result.facade.p95)} ms.`,
      `- **Client overhead on top** (openai client − fetch, medians): ${fmt(result.client.median - result.fetch.median)} ms.`,
      `- **Where it goes** (medians): Chromium's fetch event into the service worker and back costs ${fmt(result.options.median)} ms on its own (OPTIONS, answered there); the round trip on to the page and back (the host's MessagePort, then the reply port) brings a request with no embedding behind it to ${fmt(result.models.median)} ms (GET /v1/models). The parts overlap with the embedding call's own thread hops, so they do not add up to the overhead above.`,
      '- **What the route adds:** the fetch event in the service worker, a JSON parse of the body there, a MessagePort round trip to the page (ack, then the answer), `JSON.stringify` of the response on the page, and a `Response` built in the worker. The facade path is the same embed call without any of it. The vector work (a round trip to the embedding worker plus the model run) is in all three.',
      `- **Machine:** ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), shared with other work; load average (1/5/15 min) ${loadBefore} before, ${loadAfter} after; ${seconds.toFixed(1)} s in all. ${chromiumVersion()}, headless.`,
      '',
    ];
    writeKeepingEarlierRuns(join(ROOT, 'bench/openai-route.md'), lines);
    console.log(lines.join('\n'));
  } finally {
    await browser.close();
    preview.stop();
  }
}

await main();
