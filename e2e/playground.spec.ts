import { expect, test, type Page } from '@playwright/test';
import { waitForModel } from './support/demo-page.ts';

/*
 * The playground page (playground.html) in Debian's Chromium, on the tiny random-weight Qwen3
 * fixture, on WASM (WebGPU on SwiftShader is too slow for a page test; e2e/embedder.spec.ts
 * covers it). Diagonal cells are a vector's dot product with itself: 1 up to float32 rounding,
 * so they read "1.000"; off-diagonal cells are different texts, so below 1.
 */
const FIXTURE_PAGE = '/playground.html?model=/models/qwen3-tiny/&device=wasm';

function logBrowserErrors(page: Page): void {
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.log(`[browser error] ${msg.text()}`);
  });
  page.on('pageerror', (error) => console.log(`[browser pageerror] ${error.message}`));
}

async function openPlayground(page: Page, path: string, state: 'ready' | 'failed'): Promise<void> {
  logBrowserErrors(page);
  await page.goto(path);
  await waitForModel(page, state);
}

async function matrixValues(page: Page): Promise<string[][]> {
  return page
    .locator('table.similarity tbody tr')
    .evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('td'), (td) => td.textContent ?? '')));
}

/** The embedding workers alive in the page (ORT's WASM threads run in workers of their own). */
function embedWorkers(page: Page): number {
  return page.workers().filter((worker) => /\/embed\.worker[^/]*\.(js|ts)/.test(worker.url())).length;
}

test.describe('the playground page', () => {
  test('the playground loads the fixture on wasm, labels it a test model, and shows a similarity matrix with 1.000 on the diagonal', async ({
    page,
  }) => {
    await openPlayground(page, FIXTURE_PAGE, 'ready');
    await expect(page.getByText('Test model with random weights: similarities are not semantic.')).toBeVisible();
    await expect(page.locator('[data-field="device"]')).toHaveText(/^wasm — /);
    await expect(page.locator('[data-field="hidden-size"]')).toHaveText('64');
    await expect(page.getByRole('alert')).toBeEmpty();

    const texts = (await page.getByLabel(/one text per line/i).inputValue())
      .split('\n')
      .filter((line) => line.trim() !== '');
    expect(texts.length).toBeGreaterThanOrEqual(4);
    await page.getByRole('button', { name: 'Embed' }).click();

    const table = page.getByRole('table');
    await expect(table.locator('tbody td')).toHaveCount(texts.length * texts.length);
    await expect(table.locator('thead th')).toHaveCount(texts.length);
    await expect(table.locator('tbody th')).toHaveCount(texts.length);
    const values = await matrixValues(page);
    values.forEach((row, i) =>
      row.forEach((cell, j) => {
        expect(cell).toMatch(/^-?\d\.\d{3}$/);
        if (i === j) expect(cell).toBe('1.000');
        else expect(Number(cell)).toBeLessThan(1);
      }),
    );
    await expect(page.locator('[data-field="last-embed"]')).toHaveText(
      new RegExp(`^\\d+ ms for ${texts.length} texts \\([\\d.]+ texts/s\\)$`),
    );
    // The engine's own metrics: the warm-up text plus these texts went through the session.
    await expect(page.locator('[data-field="throughput"]')).toHaveText(
      new RegExp(`^[1-9]\\d* tokens/s, [\\d.]+ texts/s \\(session time, ${texts.length + 1} texts in \\d+ batches\\)$`),
    );
    await expect(page.locator('[data-field="read-back"]')).toHaveText(/^[\d.]+ KB last batch, [\d.]+ KB in all$/);
    await page.screenshot({ path: 'test-results/playground.png', fullPage: true });
  });

  test('the playground embeds queries at a smaller Matryoshka size with Ctrl+Enter, and stays usable after an input error', async ({
    page,
  }) => {
    await openPlayground(page, FIXTURE_PAGE, 'ready');
    const textarea = page.getByLabel(/one text per line/i);

    await textarea.fill('\n  \n');
    await textarea.press('Control+Enter');
    await expect(page.getByRole('alert')).toContainText('INVALID_INPUT');

    await page.getByRole('radio', { name: 'Query' }).check();
    await expect(page.getByLabel(/instruction/i)).toBeEnabled();
    await page.getByLabel('Dimensions').fill('32');
    await textarea.fill('what do cats eat\nwhere do cats sleep\nhow tall is a giraffe');
    await textarea.press('Control+Enter');
    await expect(page.locator('table.similarity tbody td')).toHaveCount(9);
    await expect(page.getByRole('alert')).toBeEmpty();
    await expect(page.getByRole('status').filter({ hasText: 'texts as' })).toHaveText(
      /^3 texts as queries, 32 dimensions, in \d+ ms\.$/,
    );
  });

  test('the playground loads a model folder picked from disk, replacing the model it had', async ({ page }) => {
    await openPlayground(page, FIXTURE_PAGE, 'ready');
    await expect(page.locator('[data-field="model"]')).toHaveText(/\/models\/qwen3-tiny\//);
    await expect.poll(() => embedWorkers(page)).toBe(1);

    // Playwright uploads a directory to a webkitdirectory input with webkitRelativePath set
    // (qwen3-tiny/config.json, qwen3-tiny/onnx/model.onnx, …), as a browser's folder pick does.
    await page.setInputFiles('input[webkitdirectory]', 'public/models/qwen3-tiny');
    await expect(page.locator('#model-source')).toHaveText('local folder qwen3-tiny');
    await waitForModel(page);
    await expect(page.locator('#load-phase')).toHaveText('Ready');
    await expect(page.locator('[data-field="model"]')).toHaveText('local files');
    await expect(page.locator('[data-field="dtype"]')).toHaveText(/^(fp32|fp16|q8|int8|uint8|q4|q4f16|bnb4) — /);
    await expect(page.locator('[data-field="cache"]')).toHaveText('not cached');
    await expect(page.locator('[data-field="cold-start"]')).toHaveText(/^session \d+ ms, warm-up \d+ ms$/);
    await expect(page.getByText('Test model with random weights: similarities are not semantic.')).toBeVisible();
    // The first model's worker was disposed, not left running beside the new one.
    await expect.poll(() => embedWorkers(page)).toBe(1);

    await page.getByRole('button', { name: 'Embed' }).click();
    await expect(page.locator('table.similarity tbody td')).toHaveCount(25);
    await expect(page.getByRole('alert')).toBeEmpty();
    await page.screenshot({ path: 'test-results/playground-local.png', fullPage: true });
  });

  test('the playground shows load progress that ends at the total and lists the cached model, which can be deleted', async ({
    page,
  }) => {
    await openPlayground(page, `${FIXTURE_PAGE}&dtype=q4`, 'ready');
    const bar = page.locator('#load-bar');
    await expect(bar).toBeVisible();
    const [value, max] = await bar.evaluate((el: HTMLProgressElement) => [el.value, el.max]);
    expect(max).toBeGreaterThan(1_000_000); // q4 graph + tokenizer: tens of MB
    expect(value).toBe(max);
    const detail = (await page.locator('#load-detail').textContent()) ?? '';
    const [, loaded, total] = /^([\d.]+ MB) of ([\d.]+ MB)$/.exec(detail) ?? [];
    expect(total, `progress text "${detail}"`).toBeDefined();
    expect(loaded).toBe(total);
    await expect(page.locator('[data-field="cache"]')).toHaveText('stored in this browser');

    // The list holds the model just loaded, with the load's size.
    const item = page.locator('#cached-models li[data-key]');
    await expect(item).toHaveCount(1);
    await expect(item).toContainText('/models/qwen3-tiny/');
    await expect(item.locator('.cached-size')).toHaveText(new RegExp(`^${total?.replace('.', '\\.')} in \\d+ files$`));

    // Loading again reads every byte from this browser's storage.
    await page.reload();
    await waitForModel(page);
    await expect(page.locator('#load-detail')).toHaveText(`${total} of ${total} · from cache`);

    await item.getByRole('button', { name: /^Delete / }).click();
    await expect(item).toHaveCount(0);
    await expect(page.locator('#cached-models')).toHaveText('No models stored in this browser.');
  });

  test('the playground explains a model that cannot be reached', async ({ page }) => {
    await openPlayground(page, '/playground.html?model=/models/does-not-exist/&device=wasm', 'failed');
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('MODEL_FILE_MISSING');
    await expect(alert).toContainText('/models/does-not-exist/');
    await expect(page.getByRole('button', { name: 'Embed' })).toBeDisabled();
    await expect(page.locator('[data-field="status"]')).toHaveText(/not loaded/);
    await expect(page.locator('#cached-models')).toHaveText('No models stored in this browser.');
    await page.screenshot({ path: 'test-results/playground-error.png', fullPage: true });
  });

  test('the playground rejects a device it does not know instead of guessing', async ({ page }) => {
    await openPlayground(page, '/playground.html?model=/models/qwen3-tiny/&device=gpu', 'failed');
    await expect(page.getByRole('alert')).toContainText('INVALID_OPTION');
    await expect(page.getByRole('alert')).toContainText('?device=gpu is not one of auto, wasm, webgpu');
  });
});
