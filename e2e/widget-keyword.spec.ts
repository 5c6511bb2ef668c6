import { expect, test, type Page } from '@playwright/test';
import { fuseRanks } from '../src/search/rank-fusion.ts';
import { fault } from './support/reliability.ts';
import { startStaticSite, type StaticSite } from './support/static-site.ts';
import {
  expectedRanking,
  ITEMS,
  makeCompactIndex,
  makeWidgetData,
  MODEL_URL,
  QUERIES,
  type WidgetData,
  type WidgetResult,
  widgetSiteMounts,
} from './support/widget-data.ts';

/*
 * Keyword first, then meaning: a compact index with a lexical part (`tabembed index --out …
 * --lexical`, float32 so the semantic scores are exact) on the README's plain widget page. The
 * widget must answer by keyword before any request under /models/, load the model after the
 * first search (the default), and then fuse the two rankings by reciprocal rank, marking each
 * result; `model-load="manual"` loads only at the button (before it, only the download size is
 * measured: config.json and HEADs), `eager` at once, `interaction` at the
 * first focus; Save-Data (the one stand-in: a `navigator.connection` that reports it) makes the
 * default wait for the button; a model that fails to load leaves keyword search working. Every
 * wait is on an event or a DOM state; the server's request log is the accounting.
 */

const SHARD_ROWS = 4;
/** "bread" is in one item's text: the keyword list is that item alone, the semantic list the model's. */
const QUERY = QUERIES[0] ?? '';
const LOAD_TIMEOUT = 120_000;

interface Heard {
  type: string;
  at: number;
  detail: unknown;
}
type KeywordResult = WidgetResult & { match: 'keyword' | 'semantic' | 'both' };

let data: WidgetData;
let site: StaticSite;

test.beforeAll(async () => {
  data = makeWidgetData();
  site = await startStaticSite({
    mounts: widgetSiteMounts(makeCompactIndex('float32', SHARD_ROWS, { lexical: true })),
  });
});

test.afterAll(async () => {
  await site?.close();
});

/** The model's files asked for since `from` (a count of the log), with when each arrived. */
function modelRequests(from: number): { method: string; path: string; at: number }[] {
  return site
    .requests()
    .slice(from)
    .filter((r) => r.path.startsWith('/models/'));
}

/**
 * Model files fetched since `from`, beyond what measuring the download size reads under
 * `manual` and `interaction` (src/widget/download-size.ts): config.json, and the files' sizes by
 * HEAD. What the visitor has not asked for may cost those few bytes, never a tokenizer or weight byte.
 */
function modelDownloads(from: number): string[] {
  return site
    .requests()
    .slice(from)
    .filter((r) => r.path.startsWith('/models/') && r.method !== 'HEAD' && !r.path.endsWith('/config.json'))
    .map((r) => `${r.method} ${r.path}`);
}

/**
 * Opens the page with every widget event recorded (type, Date.now() at dispatch, detail). Gives
 * the length of the server's log before it, from which this test's requests count (the server
 * and its log serve every test of the file).
 */
async function open(page: Page): Promise<number> {
  const from = site.requests().length;
  await page.addInitScript(() => {
    const heard: Heard[] = [];
    Reflect.set(window, 'heard', heard);
    for (const type of ['keywords-ready', 'ready', 'results', 'error'])
      document.addEventListener(type, (event) =>
        heard.push({ type, at: Date.now(), detail: (event as CustomEvent<unknown>).detail }),
      );
  });
  await page.goto(`${site.origin}/`);
  return from;
}

function heard(page: Page): Promise<Heard[]> {
  return page.evaluate(() => Reflect.get(window, 'heard') as Heard[]);
}

/** Waits until `count` events of `type` were heard, and gives them. */
async function waitFor(page: Page, type: string, count = 1): Promise<Heard[]> {
  await page.waitForFunction(
    ([t, n]) => (Reflect.get(window, 'heard') as Heard[]).filter((e) => e.type === t).length >= n,
    [type, count] as const,
    { timeout: LOAD_TIMEOUT },
  );
  return (await heard(page)).filter((e) => e.type === type);
}

const resultsOf = (event: Heard | undefined): KeywordResult[] =>
  (event?.detail as { results: KeywordResult[] } | undefined)?.results ?? [];

test('widget-keyword: keyword results before any model request; after the first search the model loads and results are fused and marked', async ({
  page,
}) => {
  const from = await open(page);
  const widget = page.locator('semantic-search');
  await expect(widget.getByRole('status')).toHaveText(`${ITEMS.length} items ready to search by keyword`);
  const [ready] = await waitFor(page, 'keywords-ready');
  expect(ready?.detail).toMatchObject({ count: ITEMS.length, modelLoad: 'search' });
  expect(modelRequests(from)).toEqual([]);
  await expect(widget.getByRole('button')).toBeHidden();

  await widget.getByRole('combobox').fill(QUERY);
  const [first] = await waitFor(page, 'results');
  const keyword = resultsOf(first);
  expect(keyword.map((r) => [r.id, r.match])).toEqual([['bread', 'keyword']]);
  await expect(widget.getByRole('option')).toHaveCount(1);
  await expect(widget.getByRole('option').first()).toHaveAttribute('data-match', 'keyword');
  // No model file was asked for before the keyword results were out: every one arrived after them.
  // (Both clocks are this machine's wall clock; a page's Date.now() is only ever coarsened downwards.)
  const firstAt = first?.at ?? Infinity;
  // By then the index files asked for are the head, the lexical shard of the query's words (one
  // for these 10 items: index version 3 shards by word range) and the hit's item shard (4 rows,
  // as the vector shards here): no vector shard, no whole-corpus file.
  const indexFiles = site
    .requests()
    .slice(from)
    .filter((r) => r.path.startsWith('/search/') && r.at <= firstAt)
    .map((r) => r.path.slice('/search/'.length));
  const breadShard = Math.floor(ITEMS.findIndex((item) => item.id === 'bread') / SHARD_ROWS);
  expect(indexFiles).toEqual(['index.json', 'index-l0.bin', `index-i${breadShard}.json`]);

  // The first search asked for the model: its files load, `ready` fires, and the query runs again, fused.
  await waitFor(page, 'ready');
  const loads = modelRequests(from);
  const weights = /\.onnx(_data)?(\?|$)/;
  expect(loads.filter((r) => weights.test(r.path)).length).toBeGreaterThan(0);
  for (const request of loads) expect(request.at, request.path).toBeGreaterThanOrEqual(firstAt);
  const second = (await waitFor(page, 'results', 2))[1];
  const fused = resultsOf(second);

  // Expected: the keyword list shown above and the CLI's cosine ranking, fused by RRF (k = 60,
  // unit-tested in tests/search/rank-fusion.test.ts). The cosine ranking must have no near-tie
  // within float32 error (1e-6) in its top 5, or two ranks could swap legitimately.
  const limit = 5;
  const reference = expectedRanking(data, QUERY).slice(0, limit + 1);
  for (let i = 1; i < reference.length; i++)
    expect((reference[i - 1]?.score ?? 0) - (reference[i]?.score ?? 0)).toBeGreaterThan(1e-5);
  const expected = fuseRanks(
    [
      { source: 'keyword', items: keyword.map((r) => r.id) },
      { source: 'semantic', items: reference.slice(0, limit).map((r) => r.id) },
    ],
    (id) => id,
    limit,
  );
  expect(fused.map((r) => r.id)).toEqual(expected.map((e) => e.item));
  expect(fused.map((r) => r.match)).toEqual(
    expected.map((e) => (e.sources.length > 1 ? 'both' : e.sources[0] === 'keyword' ? 'keyword' : 'semantic')),
  );
  fused.forEach((r, i) => expect(r.score).toBeCloseTo(expected[i]?.score ?? NaN, 12));
  expect(fused.some((r) => r.match !== 'keyword')).toBe(true);
  const options = widget.getByRole('option');
  await expect(options).toHaveCount(fused.length);
  for (const [i, r] of fused.entries()) await expect(options.nth(i)).toHaveAttribute('data-match', r.match);
  await expect(widget.getByRole('status')).toHaveText(`${fused.length} results, best first`);

  // A second page of the site reads the model from the OPFS cache: no model weights come over the network again.
  const before = site.requests().length;
  await page.reload();
  await widget.getByRole('combobox').fill(QUERY);
  await waitFor(page, 'ready');
  expect(modelRequests(before).filter((r) => weights.test(r.path))).toEqual([]);
});

test('widget-keyword: model-load="manual" answers by keyword and loads nothing until the button', async ({ page }) => {
  const from = await open(page);
  const widget = page.locator('semantic-search');
  await waitFor(page, 'keywords-ready');
  await widget.evaluate((el) => el.setAttribute('model-load', 'manual'));
  const [, again] = await waitFor(page, 'keywords-ready', 2);
  expect(again?.detail).toMatchObject({ modelLoad: 'manual' });
  const button = widget.getByRole('button');
  await expect(button).toBeVisible();

  await widget.getByRole('combobox').fill(QUERY);
  const [first] = await waitFor(page, 'results');
  expect(resultsOf(first).map((r) => r.match)).toEqual(['keyword']);
  // Under the default the model would be loading now (its status says so a microtask after the results).
  await expect(widget.getByRole('status')).toHaveText('1 result by keyword, best first');
  await widget.getByRole('combobox').fill('green tea');
  const [, second] = await waitFor(page, 'results', 2);
  expect(resultsOf(second).map((r) => [r.id, r.match])).toEqual([['tea', 'keyword']]);
  await expect(widget.getByRole('status')).toHaveText('1 result by keyword, best first');
  expect(modelDownloads(from)).toEqual([]);

  // The open list covers what lies below the box, the button too: Esc closes it first, as a visitor would.
  await widget.getByRole('combobox').press('Escape');
  await button.click();
  await waitFor(page, 'ready');
  expect(modelRequests(from).length).toBeGreaterThan(0);
  await expect(button).toBeHidden();
  const [, , fused] = await waitFor(page, 'results', 3);
  expect(resultsOf(fused).some((r) => r.match !== 'keyword')).toBe(true);
});

test('widget-keyword: model-load="eager" loads the model at once, before any search', async ({ page }) => {
  const from = await open(page);
  const widget = page.locator('semantic-search');
  await waitFor(page, 'keywords-ready');
  expect(modelRequests(from)).toEqual([]);
  await widget.evaluate((el) => el.setAttribute('model-load', 'eager'));
  await waitFor(page, 'ready');
  await expect(widget.getByRole('status')).toHaveText(`${ITEMS.length} items ready to search`);
  expect(modelRequests(from).length).toBeGreaterThan(0);
  expect((await heard(page)).filter((e) => e.type === 'results')).toEqual([]);
});

test('widget-keyword: model-load="interaction" loads the model at the first focus, before any search', async ({
  page,
}) => {
  const from = await open(page);
  const widget = page.locator('semantic-search');
  await waitFor(page, 'keywords-ready');
  await widget.evaluate((el) => el.setAttribute('model-load', 'interaction'));
  const [, again] = await waitFor(page, 'keywords-ready', 2);
  expect(again?.detail).toMatchObject({ modelLoad: 'interaction' });
  expect(modelDownloads(from)).toEqual([]);
  await widget.getByRole('combobox').focus();
  await waitFor(page, 'ready');
  expect(modelRequests(from).length).toBeGreaterThan(0);
  expect((await heard(page)).filter((e) => e.type === 'results')).toEqual([]);
});

test('widget-keyword: a model that fails to load leaves keyword search working, with the error shown', async ({
  page,
}) => {
  fault(
    "the widget's model cannot be fetched (404) under an index with a lexical part",
    'keyword search keeps working; the model error is shown and sent as an `error` event',
  );
  await open(page);
  const widget = page.locator('semantic-search');
  await waitFor(page, 'keywords-ready');
  // No such model folder on the site: its first file answers 404.
  await widget.evaluate((el) => {
    el.setAttribute('model', '/models/no-such-model/');
    el.setAttribute('model-load', 'eager');
  });
  const [failed] = await waitFor(page, 'error');
  expect((failed?.detail as { code: string }).code).toMatch(/^MODEL_/);
  await expect(widget.getByRole('status')).toHaveText('Searching by keyword only: the model did not load');
  expect(await widget.evaluate((el) => (el as HTMLElement & { state: string }).state)).toBe('ready');

  await widget.getByRole('combobox').fill('green tea');
  const [results] = await waitFor(page, 'results');
  expect(resultsOf(results).map((r) => [r.id, r.match])).toEqual([['tea', 'keyword']]);
  expect((await heard(page)).filter((e) => e.type === 'ready')).toEqual([]);
});

test('widget-keyword: a model this device cannot hold is refused with MODEL_TOO_LARGE before its weights are fetched, and keyword search goes on', async ({
  page,
}) => {
  // The fixture's config.json with its MLP widened on the way (as e2e/model-fit.spec.ts does): on
  // SwiftShader's WebGPU (1 GiB binding limit) a 1.28 GB matrix cannot be held, as a 4B cannot on WASM.
  await page.context().route(`**${MODEL_URL}config.json`, async (route) => {
    const response = await route.fetch();
    const config = (await response.json()) as Record<string, unknown>;
    // A new body, without the original's Content-Length (the loader checks the bytes against it).
    await route.fulfill({ status: 200, json: { ...config, intermediate_size: 40_000_000 } });
  });
  const from = await open(page);
  const widget = page.locator('semantic-search');
  await waitFor(page, 'keywords-ready');
  await widget.evaluate((el) => {
    el.setAttribute('device', 'webgpu');
    el.setAttribute('model-load', 'eager');
  });
  const [failed] = await waitFor(page, 'error');
  expect(failed?.detail).toMatchObject({
    code: 'MODEL_TOO_LARGE',
    message: expect.stringContaining('does not fit this device'),
  });
  await expect(widget.getByRole('status')).toHaveText('Searching by keyword only: the model did not load');
  // Its sizes were asked for (HEAD), its weights never.
  expect(modelRequests(from).filter((r) => r.path.includes('/onnx/') && r.method !== 'HEAD')).toEqual([]);
  await widget.getByRole('combobox').fill('green tea');
  const [results] = await waitFor(page, 'results');
  expect(resultsOf(results).map((r) => [r.id, r.match])).toEqual([['tea', 'keyword']]);
});

test('widget-keyword: under Save-Data the default waits for the button', async ({ page }) => {
  // Chromium on Linux has no Save-Data setting to turn on, so the page's Network Information
  // object is replaced by one that reports it: the only stand-in in this file.
  await page.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'connection', { get: () => ({ saveData: true }), configurable: true }),
  );
  const from = await open(page);
  const widget = page.locator('semantic-search');
  const [ready] = await waitFor(page, 'keywords-ready');
  expect(ready?.detail).toMatchObject({ modelLoad: 'manual', reason: expect.stringContaining('save data') });
  await expect(widget.getByRole('button')).toBeVisible();
  await widget.getByRole('combobox').fill(QUERY);
  const [results] = await waitFor(page, 'results');
  expect(resultsOf(results).map((r) => r.match)).toEqual(['keyword']);
  // Under the default without Save-Data the model would be loading now (see the first test).
  await expect(widget.getByRole('status')).toHaveText('1 result by keyword, best first');
  expect(modelDownloads(from)).toEqual([]);
});
