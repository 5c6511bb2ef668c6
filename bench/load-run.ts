/**
 * Load on one tab, in Debian's Chromium, through the real code paths (issue: reliability, item 5):
 *  1. an index of `--chunks` (default 50,000) chunks built through the real search worker, its
 *     IndexedDB and the real embedding worker, first to a tenth of that size and then to all of
 *     it: time, memory at both sizes, exact counts, and a sample of chunks that must each find
 *     themselves first;
 *  2. `--queries` (default 1,000) one-text queries started at once, through the OpenAI facade and
 *     through the `/v1/embeddings` route (the app's service worker), each answer compared with its
 *     own text's vector.
 * Writes bench/load-run.md. Exits non-zero when an answer is wrong (a count off, a chunk that does
 * not find itself, a failed or crossed query): a correctness check under load. The numbers are
 * measurements, never bars.
 *
 *   npm run bench:load [-- --chunks 50000 --queries 1000]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import type {} from '../e2e/pages/load-bench-page.ts'; // window.loadBench's type
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { ROOT } from './bench-args.ts';
import { loadAverage } from './results-file.ts';
import { chromiumVersion, startPreview } from './chromium-runs.ts';
import { findBrowserPid, Sampler } from './process-memory.ts';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const CHUNKS = arg('--chunks', 50_000);
const QUERIES = arg('--queries', 1_000);
const SAMPLE = 200;
const MB = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
interface SizeRow {
  chunks: number;
  embedMs: number;
  addMs: number;
  indexBytes: number;
  searchWorkerBytes: number | undefined;
  embedWorkerBytes: number | undefined;
  treePss: number;
  storageBytes: number;
}

async function main(): Promise<void> {
  if (CHUNKS % 1000 !== 0) throw new Error('--chunks must be a multiple of 1000');
  const outDir = mkdtempSync(join(tmpdir(), 'tabembed-bench-load-'));
  const profile = mkdtempSync(join(tmpdir(), 'tabembed-bench-load-profile-'));
  const preview = await startPreview(outDir);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const problems: string[] = [];
  const loadBefore = loadAverage();
  try {
    const sampler = new Sampler(findBrowserPid(profile), 500, 1000);
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(0);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('crash', () => problems.push('the renderer crashed'));
    await page.goto(`${preview.url}/e2e/pages/load-bench.html`);
    await page.waitForSelector('body[data-ready="true"]');
    const model = await page.evaluate(() => window.loadBench.load());
    console.log(`model ${model.model} (${model.dtype}, ${model.hiddenSize} dims) loaded`);

    // 1. The index, at a tenth of its size and then whole.
    await page.evaluate(() => window.loadBench.openIndex('load-bench'));
    const sizes: SizeRow[] = [];
    let done = 0;
    for (const size of [CHUNKS / 10, CHUNKS]) {
      const run = await page.evaluate(([f, t]) => window.loadBench.index(f, t, 128), [done, size] as const);
      done = size;
      const { status } = run;
      if (status.chunks !== size || status.embedded !== size || status.pending !== 0)
        problems.push(
          `at ${size} chunks the index holds ${status.chunks} chunks, ${status.embedded} embedded, ${status.pending} pending`,
        );
      const realms = await page.evaluate(() => window.loadBench.memory());
      const realm = (part: string): number | undefined => realms?.find((r) => r.url.includes(part))?.bytes;
      const storage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
      sizes.push({
        chunks: size,
        embedMs: run.embedMs,
        addMs: run.addMs,
        indexBytes: status.memory.bytes,
        searchWorkerBytes: realm('search.worker'),
        embedWorkerBytes: realm('embed.worker'),
        treePss: sampler.sample().pss,
        storageBytes: storage,
      });
      console.log(`${size} chunks: embedded in ${s(run.embedMs)} (added in ${s(run.addMs)})`);
    }
    const verified = await page.evaluate(([t, n]) => window.loadBench.verify(t, n), [CHUNKS, SAMPLE] as const);
    if (verified.wrongTop.length > 0)
      problems.push(`chunks that do not find themselves first: ${verified.wrongTop.slice(0, 5).join('; ')}`);

    // 2. Concurrent queries.
    const served = await page.evaluate(() => window.loadBench.hostRoute());
    const queries = [];
    for (const via of ['facade', 'route'] as const) {
      const run = await page.evaluate(([n, v, m]) => window.loadBench.concurrentQueries(n, v, m), [
        QUERIES,
        via,
        served,
      ] as const);
      queries.push({ via, ...run });
      if (run.failed.length > 0) problems.push(`${via}: ${run.failed.length} queries failed, e.g. ${run.failed[0]}`);
      if (run.crossed > 0)
        problems.push(`${via}: ${run.crossed} answers were closer to another text than to their own`);
      if (run.worstCos < 0.99999)
        problems.push(`${via}: an answer has cos ${run.worstCos} to its own text's vector (< 0.99999)`);
      console.log(`${QUERIES} queries via ${via}: ${s(run.ms)}, ${run.failed.length} failed`);
    }

    const [small, large] = sizes;
    const ratio = (a: number | undefined, b: number | undefined): string =>
      a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a';
    const md = [
      '# Load on one tab: a large index and many concurrent queries',
      '',
      `\`npm run bench:load\` (bench/load-run.ts), ${new Date().toISOString().slice(0, 10)}. ${cpus().length} cores; load average (1/5/15 min) ${loadBefore} before, ${loadAverage()} after. Chromium ${chromiumVersion()}, headless; the fixture model (${model.model}, ${model.dtype}, ${model.hiddenSize} dims) on WASM.`,
      '',
      '## An index built through the real workers',
      '',
      `Chunks are one line each (\`Record n: six words.\`, about 15 tokens), 100 per source, added to the real search worker (IndexedDB) and embedded through a port to the real embedding worker, slices of 128, as the search page does. Memory: what \`performance.measureUserAgentSpecificMemory()\` attributes to each worker after a GC, the PSS of Chromium's whole process tree, and the origin's storage use.`,
      '',
      '| chunks | embedding time | chunks/s | index in the search worker (typed arrays) | search worker (Chromium) | embedding worker (Chromium) | process tree PSS | storage used |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...sizes.map(
        (r, i) =>
          `| ${r.chunks.toLocaleString('en')} | ${s(r.embedMs)}${i > 0 ? ` (the last ${(r.chunks - (sizes[i - 1]?.chunks ?? 0)).toLocaleString('en')})` : ''} | ${((r.chunks - (sizes[i - 1]?.chunks ?? 0)) / (r.embedMs / 1000)).toFixed(0)} | ${MB(r.indexBytes)} | ${r.searchWorkerBytes === undefined ? 'n/a' : MB(r.searchWorkerBytes)} | ${r.embedWorkerBytes === undefined ? 'n/a' : MB(r.embedWorkerBytes)} | ${MB(r.treePss)} | ${MB(r.storageBytes)} |`,
      ),
      '',
      `From ${small?.chunks.toLocaleString('en')} to ${large?.chunks.toLocaleString('en')} chunks (10×): the search worker's memory grew ${ratio(large?.searchWorkerBytes, small?.searchWorkerBytes)}, the index's arrays ${ratio(large?.indexBytes, small?.indexBytes)}, the process tree ${ratio(large?.treePss, small?.treePss)}, the embedding worker ${ratio(large?.embedWorkerBytes, small?.embedWorkerBytes)}.`,
      '',
      `The fixture's vectors have ${model.hiddenSize} dimensions; Qwen3-Embedding-0.6B's have 1,024, so its vectors take ${(1024 / model.hiddenSize).toFixed(0)}× the index memory and storage of the vectors here (bench/search-latency.md measures 100,000 × 1,024).`,
      '',
      `Checked: the counts are exact at both sizes (chunks = embedded, nothing pending), and ${verified.checked} chunks spread over the index, each embedded again on its own, find themselves first (${verified.wrongTop.length} did not; lowest top score ${verified.worstScore.toFixed(6)}).`,
      '',
      `## ${QUERIES.toLocaleString('en')} queries at once`,
      '',
      `Each query is a distinct text, sent as its own request, all started together; every answer is compared with its own text's vector (embedded beforehand in one call) and with every other text's.`,
      '',
      '| through | all answered in | latency p50 / p95 / max | failed | worst cos to its own vector | answers closer to another text |',
      '|---|---:|---:|---:|---:|---:|',
      ...queries.map(
        (q) =>
          `| ${q.via === 'facade' ? '`openAIFacade(embedder).embeddings.create`' : "`fetch('/v1/embeddings')` (service worker → hosting tab)"} | ${s(q.ms)} | ${q.latency.p50.toFixed(0)} / ${q.latency.p95.toFixed(0)} / ${q.latency.max.toFixed(0)} ms | ${q.failed.length} | ${q.worstCos.toFixed(7)} | ${q.crossed} |`,
      ),
      '',
      problems.length === 0 ? 'No problem found.' : `Problems:\n${problems.map((p) => `- ${p}`).join('\n')}`,
      '',
    ].join('\n');
    writeFileSync(join(ROOT, 'bench/load-run.md'), md);
    console.log(md);
  } finally {
    await context.close();
    preview.stop();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exitCode = 1;
  }
}

await main();
