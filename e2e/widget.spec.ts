import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { HeardEvent } from './pages/widget-page.ts';
import { logBrowserErrors } from './support/demo-page.ts';
import {
  checkAgainstReference,
  DIMENSIONS,
  INSTRUCTION,
  ITEMS,
  makeWidgetData,
  MODEL_URL,
  QUERIES,
  type WidgetData,
  type WidgetResult as Result,
} from './support/widget-data.ts';

/*
 * <semantic-search> on a Vite-built test page (e2e/pages/widget.html) in Debian's Chromium,
 * on WASM with the random-weight fixture. Its rankings carry no meaning, so the specs check
 * the machinery: each score against an independent cosine of the CLI's own `embed` vectors,
 * one worker for many widgets, events, methods, the keyboard, ARIA, and errors.
 *
 * Score tolerance 1e-6: a score is the dot product of two unit vectors of 32 floats. The index,
 * the reference and the page all run onnxruntime-web's WASM kernels (the CLI with --backend
 * wasm) on the same q8 file, and the reference embeds each query alone, as the page does (q8
 * quantises activations per tensor, so batch-mates change a row: 3.6e-3 here when two queries
 * shared a batch). What is left is float32 rounding in a different thread/summation order,
 * ~1e-7 per score; measured 1.3e-8 (logged below).
 */
const TOLERANCE = 1e-6; // ten times the ~1e-7 estimate below; 75 times the 1.3e-8 measured
const PAGE = '/e2e/pages/widget.html';

let data: WidgetData;

test.beforeAll(() => {
  data = makeWidgetData();
});

async function openPage(page: Page): Promise<void> {
  logBrowserErrors(page);
  // Count the page's own `new Worker(...)` calls (onnxruntime's pthreads start inside the worker, not here).
  await page.addInitScript(() => {
    const urls: string[] = [];
    const Original = window.Worker;
    window.Worker = class extends Original {
      constructor(url: string | URL, options?: WorkerOptions) {
        urls.push(String(url));
        super(url, options);
      }
    };
    Object.assign(window, { __workerUrls: urls });
  });
  await page.route('**/widget-data/*', async (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop() ?? '';
    const body = ((): string | undefined => {
      try {
        return readFileSync(join(data.dir, name), 'utf8');
      } catch {
        return undefined;
      }
    })();
    await (body === undefined
      ? route.fulfill({ status: 404, body: 'not found' })
      : route.fulfill({ status: 200, contentType: 'application/json', body }));
  });
  await page.goto(PAGE);
  await page.waitForFunction(() => 'widgetHarness' in window);
}

async function addWidget(
  page: Page,
  id: string,
  attributes: Record<string, string>,
  options: { keepOnPage?: boolean } = {},
): Promise<void> {
  await page.evaluate(
    ([i, a, o]) =>
      (window as unknown as { widgetHarness: { addWidget: (...args: unknown[]) => void } }).widgetHarness.addWidget(
        i,
        a,
        o,
      ),
    [id, attributes, options] as const,
  );
}

async function events(page: Page, type?: string): Promise<HeardEvent[]> {
  return page.evaluate(
    (t) => (window as unknown as { widgetHarness: { events: (t?: string) => HeardEvent[] } }).widgetHarness.events(t),
    type,
  );
}

/**
 * Waits until the widget's latest results answer `query` itself. A key typed late on a busy
 * machine lets a prefix of the query run first (the widget searches once typing pauses), and its
 * options would be read as the answer.
 */
async function waitForAnswer(page: Page, target: string, query: string): Promise<void> {
  await expect
    .poll(async () => (await events(page, 'results')).filter((e) => e.target === target).at(-1)?.detail)
    .toMatchObject({ query });
}

async function waitForEvent(page: Page, type: string, target: string, count = 1): Promise<HeardEvent> {
  await expect
    .poll(async () => (await events(page, type)).filter((e) => e.target === target).length, { timeout: 120_000 })
    .toBeGreaterThanOrEqual(count);
  const heard = (await events(page, type)).filter((e) => e.target === target);
  return heard[count - 1] as HeardEvent;
}

async function search(page: Page, id: string, query: string): Promise<Result[]> {
  return page.evaluate(
    ([i, q]) => (document.getElementById(i) as HTMLElement & { search(q: string): Promise<Result[]> }).search(q),
    [id, query] as const,
  );
}

test.describe('widget: <semantic-search> on a test page', () => {
  test('two widgets, one precomputed index and one corpus, share one worker and rank like a cosine of the CLI vectors', async ({
    page,
  }, testInfo) => {
    const workerTargets: string[] = [];
    page.on('worker', (worker) => workerTargets.push(worker.url()));
    await openPage(page);
    // The index names its model (/models/qwen3-tiny/, q8): `docs` loads what it names, `corpus` says the same explicitly.
    await addWidget(page, 'docs', {
      src: '/widget-data/index.json',
      device: 'wasm',
      label: 'Search the help pages',
      limit: '4',
    });
    await addWidget(page, 'corpus', {
      src: '/widget-data/corpus.jsonl',
      model: MODEL_URL,
      dtype: 'q8',
      dimensions: String(DIMENSIONS),
      instruction: INSTRUCTION,
      device: 'wasm',
      label: 'Search the corpus',
      limit: '10',
    });

    const readyDocs = await waitForEvent(page, 'ready', 'docs');
    const readyCorpus = await waitForEvent(page, 'ready', 'corpus');
    expect(readyDocs.detail).toMatchObject({
      count: ITEMS.length,
      mode: 'index',
      model: { dtype: 'q8', device: 'wasm', hiddenSize: 64 },
      fingerprint: { dimensions: DIMENSIONS, dtype: 'q8' },
    });
    expect(readyCorpus.detail).toMatchObject({
      count: ITEMS.length,
      mode: 'corpus',
      model: { dtype: 'q8', device: 'wasm' },
      fingerprint: { dimensions: DIMENSIONS },
    });

    const pageWorkers = await page.evaluate(() => (window as unknown as { __workerUrls: string[] }).__workerUrls);
    expect(pageWorkers.filter((url) => url.includes('embed.worker'))).toHaveLength(1);
    expect(pageWorkers).toHaveLength(1);
    expect(workerTargets.filter((url) => url.includes('embed.worker'))).toHaveLength(1);

    let worst = 0;
    for (const query of QUERIES) {
      const fromIndex = await search(page, 'docs', query);
      expect(fromIndex).toHaveLength(4);
      worst = Math.max(worst, checkAgainstReference(data, fromIndex, query, 4, TOLERANCE));
      // The corpus widget embedded the texts in this tab; its vectors must agree with the CLI's too.
      const fromCorpus = await search(page, 'corpus', query);
      expect(fromCorpus).toHaveLength(ITEMS.length);
      worst = Math.max(worst, checkAgainstReference(data, fromCorpus, query, ITEMS.length, TOLERANCE));
    }
    testInfo.annotations.push({ type: 'largest |widget score − CLI cosine|', description: worst.toExponential(2) });
    console.log(
      `[widget] largest |widget score - CLI cosine| over ${QUERIES.length} queries × 2 widgets: ${worst.toExponential(2)}`,
    );

    // search() shows what it found, and says so in a `results` event.
    const results = await events(page, 'results');
    expect(results.filter((e) => e.target === 'docs').map((e) => (e.detail as { query: string }).query)).toEqual(
      QUERIES,
    );
    await expect(page.locator('#docs').getByRole('combobox')).toHaveValue(QUERIES.at(-1) ?? '');
    await expect(page.locator('#docs').getByRole('status')).toHaveText('4 results, best first');
    await page.screenshot({ path: testInfo.outputPath('widget-two.png'), fullPage: true });

    // A query replaced before its answer came is cancelled, its embed with it: its promise
    // rejects with ABORTED, and only the newer query is shown and announced.
    const [replaced, replacing] = [QUERIES[0] ?? '', QUERIES[1] ?? ''];
    const heardBefore = results.length;
    const outcomes = await page.evaluate(
      ([a, b]) => {
        const el = document.getElementById('docs') as HTMLElement & { search(q: string): Promise<unknown[]> };
        const outcome = (p: Promise<unknown[]>): Promise<string> =>
          p.then(
            (found) => `${found.length} results`,
            (e: Error & { code?: string }) => e.code ?? e.message,
          );
        return Promise.all([outcome(el.search(a)), outcome(el.search(b))]);
      },
      [replaced, replacing] as const,
    );
    expect(outcomes).toEqual(['ABORTED', '4 results']);
    const heardAfter = (await events(page, 'results')).slice(heardBefore).filter((e) => e.target === 'docs');
    expect(heardAfter.map((e) => (e.detail as { query: string }).query)).toEqual([replacing]);
    await expect(page.locator('#docs').getByRole('combobox')).toHaveValue(replacing);
  });

  test('widgets that leave the page give the model back: the last one out ends the worker after the idle delay, a new one loads it again', async ({
    page,
  }) => {
    const embedWorkers: { url: string; closed: boolean }[] = [];
    page.on('worker', (worker) => {
      if (!worker.url().includes('embed.worker')) return;
      const seen = { url: worker.url(), closed: false };
      embedWorkers.push(seen);
      worker.on('close', () => (seen.closed = true));
    });
    // The page's clock is Playwright's: it runs in real time, and jumps past the idle delay
    // (IDLE_DISPOSE_MS, 5 s) when told to, instead of the test sleeping through it.
    await page.clock.install();
    await openPage(page);
    await addWidget(page, 'first', { src: '/widget-data/index.json', device: 'wasm' });
    await addWidget(page, 'second', { src: '/widget-data/index.json', device: 'wasm' });
    await waitForEvent(page, 'ready', 'first');
    await waitForEvent(page, 'ready', 'second');
    expect(embedWorkers).toHaveLength(1);
    const state = (id: string): Promise<string | undefined> =>
      page.evaluate((i) => (document.getElementById(i) as (HTMLElement & { state: string }) | null)?.state, id);

    // Moved within the page (disconnected and connected in one go): it keeps its index, no new load.
    await page.evaluate(() => document.body.append(document.getElementById('first') as HTMLElement));
    expect(await state('first')).toBe('ready');
    expect((await search(page, 'first', QUERIES[0] ?? '')).length).toBeGreaterThan(0);

    // One widget gone: the other still holds the model, well past the idle delay (5 s).
    await page.evaluate(() => document.getElementById('first')?.remove());
    await page.clock.fastForward(60_000);
    // A round trip to the worker after the jump: a dispose started by it would have ended the worker first.
    expect((await search(page, 'second', QUERIES[0] ?? '')).length).toBeGreaterThan(0);
    expect(embedWorkers.map((w) => w.closed)).toEqual([false]);

    // The last one gone: the model is disposed and its worker ends.
    await page.evaluate(() => document.getElementById('second')?.remove());
    await page.clock.fastForward(6_000);
    await expect.poll(() => embedWorkers.map((w) => w.closed), { timeout: 30_000 }).toEqual([true]);

    // A widget added afterwards starts a new load, and works.
    await addWidget(page, 'third', { src: '/widget-data/index.json', device: 'wasm' });
    await waitForEvent(page, 'ready', 'third');
    expect(embedWorkers.map((w) => w.closed)).toEqual([true, false]);
    expect((await search(page, 'third', QUERIES[0] ?? '')).length).toBeGreaterThan(0);
  });

  test('is used with the keyboard alone: combobox ARIA, ↓/↑/Home/End, Enter, Esc twice; axe finds nothing serious', async ({
    page,
  }, testInfo) => {
    await openPage(page);
    await addWidget(
      page,
      'kb',
      {
        src: '/widget-data/index.json',
        device: 'wasm',
        label: 'Search the help pages',
        placeholder: 'Ask the help pages',
      },
      { keepOnPage: true },
    );
    await waitForEvent(page, 'ready', 'kb');
    const widget = page.locator('#kb');
    const box = widget.getByRole('combobox', { name: 'Search the help pages' });
    await expect(box).toHaveAttribute('placeholder', 'Ask the help pages');
    await expect(box).toHaveAttribute('aria-expanded', 'false');
    await expect(box).toHaveAttribute('aria-autocomplete', 'list');
    const listboxId = await box.getAttribute('aria-controls');
    expect(listboxId).toBe('listbox');

    await page.keyboard.press('Tab');
    await expect(box).toBeFocused();
    await page.keyboard.type('reset my password');
    await waitForAnswer(page, 'kb', 'reset my password');
    const options = widget.getByRole('option');
    await expect(options).toHaveCount(5); // the default limit
    await expect(box).toHaveAttribute('aria-expanded', 'true');
    await expect(widget.getByRole('listbox')).toBeVisible();
    await expect(widget.getByRole('status')).toHaveText('5 results, best first');
    expect(await box.getAttribute('aria-activedescendant')).toBeNull();

    const active = async (): Promise<string | null> => box.getAttribute('aria-activedescendant');
    const selected = async (): Promise<string[]> =>
      widget.locator('[role="option"][aria-selected="true"]').evaluateAll((nodes) => nodes.map((n) => n.id));
    await page.keyboard.press('ArrowDown');
    expect(await active()).toBe('option-0');
    expect(await selected()).toEqual(['option-0']);
    await page.keyboard.press('ArrowDown');
    expect(await active()).toBe('option-1');
    await page.keyboard.press('End');
    expect(await active()).toBe('option-4');
    await page.keyboard.press('ArrowDown'); // wraps
    expect(await active()).toBe('option-0');
    await page.keyboard.press('ArrowUp'); // wraps back
    expect(await active()).toBe('option-4');
    await page.keyboard.press('Home');
    expect(await active()).toBe('option-0');
    expect(await selected()).toEqual(['option-0']);
    await page.screenshot({ path: testInfo.outputPath('widget-keyboard.png'), fullPage: true });

    const axe = await new AxeBuilder({ page }).analyze();
    const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    // Enter: a cancelable `select` event with the active result (this page cancels it, so no navigation).
    const secondId = await widget.getByRole('option').nth(1).getAttribute('data-id');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const select = await waitForEvent(page, 'select', 'kb');
    expect(select.defaultPrevented).toBe(true);
    expect((select.detail as { result: Result }).result.id).toBe(secondId);
    await expect(box).toHaveAttribute('aria-expanded', 'false');
    expect(new URL(page.url()).hash).toBe('');

    // ↓ reopens; Esc closes and keeps the text; a second Esc clears it.
    await page.keyboard.press('ArrowDown');
    await expect(box).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('Escape');
    await expect(box).toHaveAttribute('aria-expanded', 'false');
    await expect(box).toHaveValue('reset my password');
    await page.keyboard.press('Escape');
    await expect(box).toHaveValue('');
    await expect(box).toBeFocused();
    // The result chosen above kept its query as a recent search: the empty box offers it.
    await expect(widget.getByRole('listbox', { name: 'Recent searches' })).toBeVisible();
    await expect(options.locator('[part~="title"]')).toHaveText(['reset my password']);
  });

  test('Enter on an option follows its url when no listener cancels the select event', async ({ page }) => {
    await openPage(page);
    await addWidget(page, 'nav', { src: '/widget-data/index.json', device: 'wasm' });
    await waitForEvent(page, 'ready', 'nav');
    const box = page.locator('#nav').getByRole('combobox', { name: 'Search' });
    await box.focus();
    await page.keyboard.type('bicycle chain');
    await waitForAnswer(page, 'nav', 'bicycle chain');
    await expect(page.locator('#nav').getByRole('option')).toHaveCount(5);
    const firstUrl = (await search(page, 'nav', 'bicycle chain'))[0]?.url;
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).hash).toBe(firstUrl);
  });

  test('a mismatched index shows INDEX_MISMATCH and sends an error event; fixing src makes the same widget work', async ({
    page,
  }, testInfo) => {
    await openPage(page);
    // The page asks for q8; the file was built with q4.
    await addWidget(page, 'mm', { src: '/widget-data/index-q4.json', model: MODEL_URL, dtype: 'q8', device: 'wasm' });
    const error = await waitForEvent(page, 'error', 'mm');
    expect(error.detail).toMatchObject({ code: 'INDEX_MISMATCH' });
    const message = (error.detail as { message: string }).message;
    expect(message).toContain('/widget-data/index-q4.json was built with another model setup (dtype q4, not q8)');
    expect(message).toContain(
      "`tabembed index --model <this model's files> --model-id /models/qwen3-tiny/ --dtype q8 --dimensions 32`",
    );
    expect(message).toContain(
      'or load the model the index names (model="/models/qwen3-tiny/" dtype="q4" on the element)',
    );
    const shown = page.locator('#mm').locator('[part~="error"]');
    await expect(shown).toBeVisible();
    await expect(shown).toContainText('INDEX_MISMATCH');
    await expect(shown).toContainText('dtype q4, not q8');
    await expect(page.locator('#mm').getByRole('status')).toHaveText('Search is unavailable');
    await page.screenshot({ path: testInfo.outputPath('widget-mismatch.png'), fullPage: true });
    // search() rejects with the same error.
    const rejected = await page.evaluate(() =>
      (document.getElementById('mm') as HTMLElement & { search(q: string): Promise<unknown> }).search('x').then(
        () => 'resolved',
        (e: Error & { code?: string }) => e.code,
      ),
    );
    expect(rejected).toBe('INDEX_MISMATCH');

    await page.evaluate(() => document.getElementById('mm')?.setAttribute('src', '/widget-data/index.json'));
    const ready = await waitForEvent(page, 'ready', 'mm');
    expect(ready.detail).toMatchObject({ mode: 'index', count: ITEMS.length });
    await expect(shown).toBeEmpty();
    const results = await search(page, 'mm', QUERIES[0] ?? '');
    checkAgainstReference(data, results, QUERIES[0] ?? '', 5, TOLERANCE);
  });

  test('a missing or unreadable src is SOURCE_INVALID naming the file; index(items) then indexes given items', async ({
    page,
  }) => {
    await openPage(page);
    await addWidget(page, 'bad', { src: '/widget-data/nope.json', model: MODEL_URL, device: 'wasm', limit: '2' });
    const missing = await waitForEvent(page, 'error', 'bad');
    expect(missing.detail).toMatchObject({
      code: 'SOURCE_INVALID',
      message: 'src="/widget-data/nope.json" answered HTTP 404 Not Found; check the path to the index or corpus file',
    });
    await expect(page.locator('#bad').locator('[part~="error"]')).toContainText('answered HTTP 404');

    const state = await page.evaluate(async () => {
      const el = document.getElementById('bad') as HTMLElement & {
        index(items: unknown[]): Promise<void>;
        state: string;
      };
      await el.index([
        'The first given text.',
        { id: 'second', text: 'The second given text.', title: 'Second' },
        { text: 'A third.' },
      ]);
      return el.state;
    });
    expect(state).toBe('ready'); // out of 'error' once index(items) resolves
    const ready = await waitForEvent(page, 'ready', 'bad');
    expect(ready.detail).toMatchObject({ count: 3, mode: 'corpus', fingerprint: { dimensions: 64 } });
    await expect(page.locator('#bad').locator('[part~="error"]')).toBeEmpty();
    const results = await search(page, 'bad', 'given text');
    expect(results).toHaveLength(2); // limit="2"
    for (const r of results) expect(['0', 'second', '2']).toContain(r.id);
    expect(new Set(results.map((r) => r.id)).size).toBe(2); // two different items, not one twice
    expect(results[0]?.score ?? 0).toBeGreaterThanOrEqual(results[1]?.score ?? 1);

    const badItems = await page.evaluate(() =>
      (document.getElementById('bad') as HTMLElement & { index(items: unknown[]): Promise<void> })
        .index([{ id: 'x' }])
        .then(
          () => 'resolved',
          (e: Error & { code?: string }) => `${e.code}: ${e.message}`,
        ),
    );
    expect(badItems).toMatch(/^SOURCE_INVALID: index\(items\): items\[0\]: "text" is missing/);
  });
});
