import { statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startStaticSite, type StaticSite } from './support/static-site.ts';
import { MODEL_DIR } from './support/widget-data.ts';
import { heard, recordEvents, waitFor, widgetUxMounts } from './support/widget-ux-site.ts';

/*
 * What site-search users expect of `<semantic-search>` (issue 15), on a plain page served by a
 * plain static server (e2e/sites/widget-ux/): the model's download size before any of its
 * bytes, one `results` event per answer, Ctrl+K and `/`, the modal mode, sections grouped under
 * their page with the query's words marked, and recent searches that survive a full storage.
 * Every wait is on an event or a DOM state; the server's request log is the accounting.
 */

let site: StaticSite;

test.beforeAll(async () => {
  site = await startStaticSite({ mounts: widgetUxMounts() });
});

test.afterAll(async () => {
  await site?.close();
});

const WEIGHTS = /\.onnx(_data)?(\?|$)/;

async function open(page: Page, attributes: Record<string, string> = {}): Promise<number> {
  const from = site.requests().length;
  await recordEvents(page);
  await page.goto(`${site.origin}/`);
  await waitFor(page, 'keywords-ready');
  if (Object.keys(attributes).length > 0) {
    await page.locator('semantic-search').evaluate((el, attrs) => {
      for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
    }, attributes);
    // Only these make the widget read its index again (the others change how it looks).
    if (Object.keys(attributes).some((name) => ['src', 'model-load'].includes(name)))
      await waitFor(page, 'keywords-ready', 2);
  }
  return from;
}

/** Waits until the latest `results` event answers `query`. */
async function waitForAnswer(page: Page, query: string): Promise<void> {
  await expect
    .poll(async () => ((await heard(page, 'results')).at(-1)?.detail as { query: string } | undefined)?.query)
    .toBe(query);
}

test('widget-ux: under model-load="manual" the button shows the download size before any model byte, and the load then fetches exactly that', async ({
  page,
}) => {
  const from = await open(page, { 'model-load': 'manual' });
  const [size] = await waitFor(page, 'download-size');
  const detail = size?.detail as { totalBytes: number; cachedBytes: number; dtype: string; files: { path: string }[] };
  // The index names the q8 export: its graph and the tokenizer, nothing else (the fixture's q8 has no external data).
  expect(detail.dtype).toBe('q8');
  expect(detail.files.map((f) => f.path).sort()).toEqual(
    ['onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json'].sort(),
  );
  const onDisk = detail.files.reduce((sum, f) => sum + statSync(join(MODEL_DIR, f.path)).size, 0);
  expect(detail.totalBytes).toBe(onDisk);
  expect(detail.cachedBytes).toBe(0);
  const button = page.locator('semantic-search').getByRole('button', { name: /Search by meaning too/ });
  // Decimal megabytes, one decimal under 10 MB, whole ones above (the fixture's q8 is ~44 MB).
  const mb = onDisk / 1e6;
  await expect(button).toHaveText(`Search by meaning too: ${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB download`);
  // Measured from sizes alone: no model file's body was fetched (HEADs and config.json only).
  const before = site
    .requests()
    .slice(from)
    .filter((r) => r.path.startsWith('/models/'));
  expect(before.filter((r) => r.method === 'GET' && WEIGHTS.test(r.path))).toEqual([]);
  expect(before.filter((r) => r.method === 'GET').map((r) => r.path)).toEqual(['/models/qwen3-tiny/config.json']);

  // The load the button starts fetches exactly the files and bytes it announced.
  const clickedAt = site.requests().length;
  await button.click();
  await waitFor(page, 'ready');
  const fetched = site
    .requests()
    .slice(clickedAt)
    .filter((r) => r.method === 'GET' && r.path.startsWith('/models/') && r.path !== '/models/qwen3-tiny/config.json');
  expect(fetched.reduce((sum, r) => sum + (r.bytes ?? 0), 0)).toBe(detail.totalBytes);

  // The next visit finds the model in this browser's cache, and says so.
  await page.reload();
  await waitFor(page, 'keywords-ready');
  await page.locator('semantic-search').evaluate((el) => el.setAttribute('model-load', 'manual'));
  const [again] = await waitFor(page, 'download-size');
  expect(again?.detail).toMatchObject({ totalBytes: detail.totalBytes, cachedBytes: detail.totalBytes });
  await expect(page.locator('semantic-search').getByRole('button')).toHaveText(
    'Search by meaning too: the model is already in this browser',
  );
});

test('widget-ux: under model-load="interaction" a note gives the size before the first focus starts the load', async ({
  page,
}) => {
  const from = await open(page, { 'model-load': 'interaction' });
  await waitFor(page, 'download-size');
  await expect(page.locator('semantic-search').locator('[part~="model-note"]')).toHaveText(
    /^Searching by meaning loads a language model when you use the box: \d+(\.\d)? MB download$/,
  );
  expect(
    site
      .requests()
      .slice(from)
      .filter((r) => r.method === 'GET' && WEIGHTS.test(r.path)),
  ).toEqual([]);
});

test('widget-ux: one results event per answer: Enter on a shown answer sends nothing, the model adds one fused answer', async ({
  page,
}) => {
  await open(page, { 'model-load': 'manual' });
  const widget = page.locator('semantic-search');
  const box = widget.getByRole('combobox');
  await box.click();
  await page.keyboard.type('green tea');
  await waitFor(page, 'results');
  await expect(widget.getByRole('option')).toHaveCount(1);
  // Enter with no option active asks for the query again: its answer is on screen already.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  // The model's arrival is the one thing that changes the answer: exactly one more event, fused.
  await page.keyboard.press('Escape');
  await widget.getByRole('button').click();
  await waitFor(page, 'ready');
  const results = await waitFor(page, 'results', 2);
  const matches = (await heard(page, 'results')).map((e) => {
    const d = e.detail as { query: string; results: { match: string }[] };
    return [d.query, d.results.some((r) => r.match !== 'keyword')];
  });
  expect(results).toHaveLength(2);
  expect(matches).toEqual([
    ['green tea', false],
    ['green tea', true],
  ]);
});

test('widget-ux: Ctrl+K and / bring the search up; / typed in another field stays a character', async ({ page }) => {
  await open(page);
  const box = page.locator('semantic-search').getByRole('combobox');
  const notes = page.getByLabel('Notes');
  await notes.click();
  await page.keyboard.type('a/b');
  await expect(notes).toHaveValue('a/b');
  await expect(notes).toBeFocused();
  await page.keyboard.press('Control+k');
  await expect(box).toBeFocused();
  await page.locator('h1').click();
  await expect(box).not.toBeFocused();
  await page.keyboard.press('/');
  await expect(box).toBeFocused();
  await expect(box).toHaveValue(''); // the / opened the search; it was not typed into it
});

test('widget-ux: mode="modal" opens a dialog from its button or Ctrl+K; Esc and a click outside close it, focus goes back', async ({
  page,
}) => {
  await open(page, { mode: 'modal' });
  const widget = page.locator('semantic-search');
  const opener = widget.getByRole('button', { name: /Search the docs/ });
  await expect(opener).toBeVisible();
  await expect(opener).toContainText(/Ctrl K|⌘K/);
  await expect(widget.getByRole('combobox')).toBeHidden();

  await opener.focus();
  await page.keyboard.press('Enter');
  const dialog = widget.getByRole('dialog', { name: 'Search the docs' });
  await expect(dialog).toBeVisible();
  const box = dialog.getByRole('combobox');
  await expect(box).toBeFocused();
  await page.keyboard.type('green tea');
  await waitFor(page, 'results');
  await expect(dialog.getByRole('option')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();

  // From another field: Ctrl+K opens it, a click on the backdrop closes it, focus returns to the field.
  const notes = page.getByLabel('Notes');
  await notes.click();
  await page.keyboard.press('Control+k');
  await expect(dialog).toBeVisible();
  await expect(box).toBeFocused();
  await page.mouse.click(5, 5); // outside the dialog's box: its backdrop
  await expect(dialog).toBeHidden();
  await expect(notes).toBeFocused();
});

test('widget-ux: sections of one page are grouped under it, linking to their fragments, with the query words marked', async ({
  page,
}) => {
  await open(page, { src: '/docs-search/index.json' });
  const widget = page.locator('semantic-search');
  await widget.getByRole('combobox').fill('install widget');
  const [answer] = await waitFor(page, 'results');
  const urls = (answer?.detail as { results: { url: string }[] }).results.map((r) => r.url);
  expect(urls).toEqual(expect.arrayContaining(['/install/#npm', '/install/#cdn']));
  const group = widget.getByRole('group', { name: 'Install' });
  await expect(group).toBeVisible();
  const rows = group.getByRole('option');
  const kinds = await rows.evaluateAll((nodes) =>
    nodes.map((n) => [
      n.getAttribute('data-kind'),
      n.getAttribute('data-url'),
      n.querySelector('[part~="title"]')?.textContent,
    ]),
  );
  expect(kinds[0]).toEqual(['page', '/install/', 'Install']);
  expect(
    kinds
      .slice(1)
      .map((k) => k[1])
      .sort(),
  ).toEqual(['/install/#cdn', '/install/#npm']);
  expect(kinds.find((k) => k[1] === '/install/#npm')?.[2]).toBe('From npm');
  // Marks: every <mark> holds a query word (any case), and the words are marked in the excerpts.
  const marks = await widget.locator('mark').allTextContents();
  expect(marks.length).toBeGreaterThan(0);
  for (const mark of marks) expect(['install', 'widget']).toContain(mark.toLowerCase());
  await expect(group.locator('[data-url="/install/#npm"] [part~="text"] mark')).toHaveText(['install', 'widget']);
});

test('widget-ux: recent searches are kept when a result is chosen, shown in the empty box, removable with Delete; a full storage breaks nothing; recent="off" keeps none', async ({
  page,
}) => {
  // No model: its answer would re-render the list under the keys pressed here.
  await open(page, { 'model-load': 'manual' });
  const widget = page.locator('semantic-search');
  const box = widget.getByRole('combobox');
  for (const query of ['green tea', 'bread']) {
    await box.fill(query);
    await waitForAnswer(page, query);
    await box.press('ArrowDown');
    await box.press('Enter');
    await waitFor(page, 'select', query === 'bread' ? 2 : 1);
  }
  await box.fill('');
  const recent = widget.getByRole('listbox', { name: 'Recent searches' });
  await expect(recent).toBeVisible();
  await expect(recent.getByRole('option').locator('[part~="title"]')).toHaveText(['bread', 'green tea']);
  // Keyboard: ↓ onto the first, Delete removes it; Enter on the next runs it again.
  await box.press('ArrowDown');
  await box.press('Delete');
  await expect(recent.getByRole('option').locator('[part~="title"]')).toHaveText(['green tea']);
  await expect(box).toHaveAttribute('aria-activedescendant', 'option-0');
  await box.press('Enter');
  await expect(box).toHaveValue('green tea');
  await waitForAnswer(page, 'green tea');
  await expect(widget.getByRole('listbox', { name: 'Search results' })).toBeVisible();

  // Fill this origin's localStorage to its quota: choosing a result must still work and search on.
  const full = await page.evaluate(() => {
    localStorage.clear();
    const chunk = 'x'.repeat(1 << 20);
    let i = 0;
    try {
      for (; i < 64; i++) localStorage.setItem(`filler-${i}`, chunk);
    } catch (error) {
      return (error as DOMException).name;
    }
    return 'never full';
  });
  expect(full).toBe('QuotaExceededError');
  await box.fill('bread');
  await waitForAnswer(page, 'bread');
  await box.press('ArrowDown');
  await box.press('Enter');
  await waitFor(page, 'select', 3);
  await box.fill('green tea');
  await expect(widget.getByRole('option')).toHaveCount(1);
  expect(await heard(page, 'error')).toEqual([]);

  // recent="off": nothing shown, nothing kept.
  await page.evaluate(() => localStorage.clear());
  await widget.evaluate((el) => el.setAttribute('recent', 'off'));
  await box.fill('bread');
  await waitForAnswer(page, 'bread');
  await box.press('ArrowDown');
  await box.press('Enter');
  await waitFor(page, 'select', 4);
  await box.fill('');
  await expect(widget.getByRole('listbox')).toBeHidden();
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
});
