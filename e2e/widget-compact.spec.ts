import { expect, test } from '@playwright/test';
import { startStaticSite, type StaticSite } from './support/static-site.ts';
import {
  checkAgainstReference,
  ITEMS,
  makeCompactIndex,
  makeWidgetData,
  QUERIES,
  type WidgetData,
  type WidgetResult,
  widgetSiteMounts,
} from './support/widget-data.ts';

/*
 * A compact (version 2) index on the README's plain widget page (e2e/sites/widget/index.html):
 * `tabembed index --out … --encoding binary --shard-rows 2` writes a head and 5 shards of each
 * kind for the 10 items, served at /search/ by a plain static server that logs every request.
 * The widget must read the head alone to be ready, fetch the search codes at the first search,
 * and the item shard of a hit only when a search shows that hit, each file once.
 */

const SHARD_ROWS = 2;
const SHARDS = Math.ceil(ITEMS.length / SHARD_ROWS);
/**
 * Score tolerance against the CLI's float32 cosines: binary candidates are rescored with int8
 * codes, each value off by at most half a step, step = largest |residual| / 127 ≤ 2/127 for unit
 * vectors; over 32 values the dot product is off by at most Σ|qᵢ| · 1/127 ≤ √32/127 = 0.045.
 */
const TOLERANCE = 0.045;

let data: WidgetData;
let site: StaticSite;

test.beforeAll(async () => {
  data = makeWidgetData();
  site = await startStaticSite({ mounts: widgetSiteMounts(makeCompactIndex('binary', SHARD_ROWS)) });
});

test.afterAll(async () => {
  await site?.close();
});

/** The index files the page has asked the server for so far, in order. */
function searchFiles(): string[] {
  return site
    .requests()
    .filter((r) => r.path.startsWith('/search/'))
    .map((r) => r.path.slice('/search/'.length));
}

test('widget-compact: ready on the head alone; the first search fetches the codes, each hit its item shard, nothing twice', async ({
  page,
}) => {
  await page.goto(`${site.origin}/`);
  const widget = page.locator('semantic-search');
  await expect(widget.getByRole('status')).toHaveText(`${ITEMS.length} items ready to search`, { timeout: 120_000 });
  expect(searchFiles()).toEqual(['index.json']);

  // One result per search, so each search needs exactly one item shard: the one its best item is in.
  await widget.evaluate((el) => el.setAttribute('limit', '1'));
  const search = (query: string): Promise<WidgetResult[]> =>
    widget.evaluate((el, q) => (el as HTMLElement & { search(q: string): Promise<WidgetResult[]> }).search(q), query);
  const shardOf = (id: string): number => Math.floor(ITEMS.findIndex((item) => item.id === id) / SHARD_ROWS);

  const [first, second] = [QUERIES[0] ?? '', QUERIES[1] ?? ''];
  const firstResults = await search(first);
  checkAgainstReference(data, firstResults, first, 1, TOLERANCE);
  const firstShard = shardOf(firstResults[0]?.id ?? '');
  const afterFirst = searchFiles();
  expect(afterFirst.filter((f) => f.startsWith('index-v')).sort()).toEqual(
    Array.from({ length: SHARDS }, (_, s) => `index-v${s}.bin`),
  );
  // 40 candidates a hit cover all 10 rows here, so every rescore shard is read: binary's
  // laziness shows on item shards, which hold the texts (the bulk of a real index).
  expect(afterFirst.filter((f) => f.startsWith('index-r')).sort()).toEqual(
    Array.from({ length: SHARDS }, (_, s) => `index-r${s}.bin`),
  );
  expect(afterFirst.filter((f) => f.startsWith('index-i'))).toEqual([`index-i${firstShard}.json`]);

  const secondResults = await search(second);
  checkAgainstReference(data, secondResults, second, 1, TOLERANCE);
  const secondShard = shardOf(secondResults[0]?.id ?? '');
  const added = searchFiles().slice(afterFirst.length);
  expect(added).toEqual(secondShard === firstShard ? [] : [`index-i${secondShard}.json`]);

  // The same query again: everything it needs is held already.
  const before = searchFiles().length;
  expect((await search(first)).map((r) => r.id)).toEqual(firstResults.map((r) => r.id));
  expect(searchFiles()).toHaveLength(before);
  // And a whole list of results still ranks like the reference.
  await widget.evaluate((el) => el.setAttribute('limit', '5'));
  checkAgainstReference(data, await search(first), first, 5, TOLERANCE);
});
