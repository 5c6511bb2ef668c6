import type { Page } from '@playwright/test';
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

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}
