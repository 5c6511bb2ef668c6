import type { Page } from '@playwright/test';
export { cosine } from '../../tests/reference/qwen3-forward.ts';
import type {} from '../pages/smoke-page.ts'; // window.smoke's type
import type { RunRequest, RunResult } from '../pages/smoke-protocol.ts';

/** Where the model fixture is served (Hub layout). Overridable to try another export by hand. */
export const MODEL_URL = process.env.SMOKE_MODEL_URL ?? '/models/qwen3-tiny/';
export const MODEL_FILE = 'onnx/model_q4.onnx';

/** Opens the test-only smoke page and waits until its worker API is on `window.smoke`. */
export async function openSmokePage(page: Page): Promise<void> {
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') console.log(`[browser ${msg.type()}] ${msg.text()}`);
  });
  page.on('pageerror', (error) => console.log(`[browser pageerror] ${error.message}`));
  await page.goto('/e2e/pages/smoke.html');
  await page.locator('body[data-ready="true"]').waitFor();
}

/** A run result as plain JSON (typed arrays do not cross page.evaluate as such). */
export type PlainRunResult = Omit<RunResult, 'last'> & { last: number[] };

export function runInWorker(page: Page, req: Omit<RunRequest, 'kind' | 'id'>): Promise<PlainRunResult> {
  return page.evaluate(async (r) => {
    const result = await window.smoke.run(r);
    return { ...result, last: Array.from(result.last) };
  }, req);
}
