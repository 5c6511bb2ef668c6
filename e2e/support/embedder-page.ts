import type { Page } from '@playwright/test';
export { cosine } from '../../tests/reference/qwen3-forward.ts';
import type {} from '../pages/embedder-page.ts'; // window.harness's type

/** The fixture as the browser sees it (served from public/ in Hub layout). */
export const FIXTURE_URL = '/models/qwen3-tiny/';
export const FIXTURE_DIR = 'public/models/qwen3-tiny';

export async function openEmbedderPage(page: Page): Promise<void> {
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.log(`[browser error] ${msg.text()}`);
  });
  page.on('pageerror', (error) => console.log(`[browser pageerror] ${error.message}`));
  await page.goto('/e2e/pages/embedder.html');
  await page.locator('body[data-ready="true"]').waitFor();
}
