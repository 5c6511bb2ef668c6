import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { startStaticSite, type StaticSite } from './support/static-site.ts';
import { recordEvents, waitFor, widgetUxMounts } from './support/widget-ux-site.ts';

/*
 * The widget under the Content-Security-Policy README's widget section documents, sent with
 * every response (the page, the widget's scripts, the workers' scripts, the index, the model),
 * as a careful site would: keyword search and the semantic upgrade both work, with no
 * `securitypolicyviolation` on the page and no violation report from anywhere (the policy's
 * report-uri posts to this server, whose log the spec reads: workers report there too). Then
 * axe on both modes, closed, open with results, and with recent searches shown.
 */

/** README.md, "The `<semantic-search>` widget", "Content-Security-Policy": keep the two in step. */
export const WIDGET_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

let site: StaticSite;

test.beforeAll(async () => {
  site = await startStaticSite({
    mounts: widgetUxMounts(),
    headers: () => ({ 'Content-Security-Policy': `${WIDGET_CSP}; report-uri /csp-report` }),
  });
});

test.afterAll(async () => {
  await site?.close();
});

async function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => Reflect.get(window, 'cspViolations') as string[]);
}

test('widget-csp: keyword search and the semantic upgrade work under the documented CSP, with no violation anywhere', async ({
  page,
}) => {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await page.addInitScript(() => {
    const seen: string[] = [];
    Reflect.set(window, 'cspViolations', seen);
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} blocked ${e.blockedURI}`),
    );
  });
  await recordEvents(page);
  const from = site.requests().length;
  const response = await page.goto(`${site.origin}/`);
  expect(response?.headers()['content-security-policy']).toContain(WIDGET_CSP);
  await waitFor(page, 'keywords-ready');
  const widget = page.locator('semantic-search');
  await widget.getByRole('combobox').fill('how do I bake bread');
  const [keyword] = await waitFor(page, 'results');
  expect((keyword?.detail as { results: { match: string }[] }).results.map((r) => r.match)).toEqual(['keyword']);
  // The default model-load: the first search starts the model; its answer joins the keyword one.
  await waitFor(page, 'ready');
  const [, fused] = await waitFor(page, 'results', 2);
  expect((fused?.detail as { results: { match: string }[] }).results.some((r) => r.match !== 'keyword')).toBe(true);
  await expect(widget.getByRole('status')).toHaveText(/results?, best first$/);

  expect(await violations(page)).toEqual([]);
  expect(problems).toEqual([]);
  const log = site.requests().slice(from);
  expect(log.filter((r) => r.path.startsWith('/csp-report')).map((r) => r.body)).toEqual([]);
  // The model came from the site itself, through the worker, under the same policy.
  expect(log.some((r) => r.path.startsWith('/models/') && r.path.endsWith('.onnx'))).toBe(true);
});

async function expectNoAxeViolations(page: Page, state: string): Promise<void> {
  const axe = await new AxeBuilder({ page }).analyze();
  expect(
    axe.violations.map((v) => `${state}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

test('widget-csp: axe finds nothing in either mode: closed, open with results, and showing recent searches', async ({
  page,
}) => {
  await recordEvents(page);
  await page.goto(`${site.origin}/`);
  await waitFor(page, 'keywords-ready');
  const widget = page.locator('semantic-search');
  // The model button with its size is on show too; and no model answer re-renders the list under the keys.
  await widget.evaluate((el) => el.setAttribute('model-load', 'manual'));
  await waitFor(page, 'download-size');
  const box = widget.getByRole('combobox');
  await expectNoAxeViolations(page, 'inline, closed');

  await box.fill('green tea');
  await expect(widget.getByRole('option')).toHaveCount(1);
  await box.press('ArrowDown');
  await expect(box).toHaveAttribute('aria-activedescendant', 'option-0');
  await expectNoAxeViolations(page, 'inline, open with results');

  await box.press('Enter'); // chosen: kept as a recent search
  await waitFor(page, 'select');
  await box.fill('');
  await expect(widget.getByRole('listbox', { name: 'Recent searches' })).toBeVisible();
  await box.press('ArrowDown');
  await expectNoAxeViolations(page, 'inline, recent searches');

  await widget.evaluate((el) => el.setAttribute('mode', 'modal'));
  await expect(widget.getByRole('button', { name: /Search the docs/ })).toBeVisible();
  await expectNoAxeViolations(page, 'modal, closed');
  await page.keyboard.press('Control+k');
  const dialog = widget.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('listbox', { name: 'Recent searches' })).toBeVisible();
  await expectNoAxeViolations(page, 'modal, recent searches');
  await page.keyboard.type('bread');
  await expect(dialog.getByRole('listbox', { name: 'Search results' })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expectNoAxeViolations(page, 'modal, open with results');
});
