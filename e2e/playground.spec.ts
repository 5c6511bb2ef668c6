import { expect, test, type Page } from '@playwright/test';

/*
 * The playground page (index.html) in Debian's Chromium, on the tiny random-weight Qwen3
 * fixture, on WASM (WebGPU on SwiftShader is too slow for a page test; e2e/embedder.spec.ts
 * covers it). Diagonal cells are a vector's dot product with itself: 1 up to float32 rounding,
 * so they read "1.000"; off-diagonal cells are different texts, so below 1.
 */
const FIXTURE_PAGE = '/?model=/models/qwen3-tiny/&device=wasm';

function logBrowserErrors(page: Page): void {
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.log(`[browser error] ${msg.text()}`);
  });
  page.on('pageerror', (error) => console.log(`[browser pageerror] ${error.message}`));
}

async function openPlayground(page: Page, path: string, state: 'ready' | 'failed'): Promise<void> {
  logBrowserErrors(page);
  await page.goto(path);
  await expect(page.locator('body')).toHaveAttribute('data-state', state);
}

async function matrixValues(page: Page): Promise<string[][]> {
  return page.locator('table.similarity tbody tr').evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('td'), (td) => td.textContent ?? '')));
}

test.describe('the playground page', () => {
  test('the playground loads the fixture on wasm, labels it a test model, and shows a similarity matrix with 1.000 on the diagonal', async ({ page }) => {
    await openPlayground(page, FIXTURE_PAGE, 'ready');
    await expect(page.getByText('Test model with random weights: similarities are not semantic.')).toBeVisible();
    await expect(page.locator('[data-field="device"]')).toHaveText(/^wasm — /);
    await expect(page.locator('[data-field="hidden-size"]')).toHaveText('64');
    await expect(page.getByRole('alert')).toBeEmpty();

    const texts = (await page.getByLabel(/one text per line/i).inputValue()).split('\n').filter((line) => line.trim() !== '');
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
    await expect(page.locator('[data-field="last-embed"]')).toHaveText(new RegExp(`^\\d+ ms for ${texts.length} texts \\([\\d.]+ texts/s\\)$`));
    await page.screenshot({ path: 'test-results/playground.png', fullPage: true });
  });

  test('the playground embeds queries at a smaller Matryoshka size with Ctrl+Enter, and stays usable after an input error', async ({ page }) => {
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
    await expect(page.getByRole('status').filter({ hasText: 'texts as' })).toHaveText(/^3 texts as queries, 32 dimensions, in \d+ ms\.$/);
  });

  test('the playground explains a model that cannot be reached', async ({ page }) => {
    await openPlayground(page, '/?model=/models/does-not-exist/&device=wasm', 'failed');
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('MODEL_FILE_MISSING');
    await expect(alert).toContainText('/models/does-not-exist/');
    await expect(page.getByRole('button', { name: 'Embed' })).toBeDisabled();
    await expect(page.locator('[data-field="status"]')).toHaveText(/not loaded/);
    await page.screenshot({ path: 'test-results/playground-error.png', fullPage: true });
  });

  test('the playground rejects a device it does not know instead of guessing', async ({ page }) => {
    await openPlayground(page, '/?model=/models/qwen3-tiny/&device=gpu', 'failed');
    await expect(page.getByRole('alert')).toContainText('INVALID_OPTION');
    await expect(page.getByRole('alert')).toContainText('?device=gpu is not one of auto, wasm, webgpu');
  });
});
