import { expect, test, type Request } from '@playwright/test';
import { startStaticSite, type StaticSite } from './support/static-site.ts';
import {
  checkAgainstReference,
  ITEMS,
  makeWidgetData,
  QUERIES,
  type WidgetData,
  type WidgetResult,
  widgetSiteMounts,
} from './support/widget-data.ts';

/*
 * The README's widget snippet on a site owner's plain HTML page (e2e/sites/widget/index.html),
 * served by a plain static server, not by Vite: the package's dist/lib at /tabembed/, an index
 * the real CLI made at /search/, the model at /models/, and a strict CSP on the page. The
 * widget must work there and nothing it sends may carry the visitor's query or the site's
 * texts, or go to another origin.
 */

const CSP = "script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";
/** Typed by the "visitor"; no item contains it, so finding it anywhere outgoing is a leak. */
const QUERY = QUERIES[2] ?? '';
/** Score tolerance against the CLI's cosine: the reasoning is in e2e/widget.spec.ts. */
const TOLERANCE = 1e-6;

interface Logged {
  source: 'page' | 'context';
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

let data: WidgetData;
let site: StaticSite;

test.beforeAll(async () => {
  data = makeWidgetData();
  site = await startStaticSite({
    mounts: widgetSiteMounts(data.dir),
    headers: (path) => (path.endsWith('.html') || path.endsWith('/') ? { 'Content-Security-Policy': CSP } : {}),
  });
});

test.afterAll(async () => {
  await site?.close();
});

/** Every form a text could take in a request: as is, URL-encoded, form-encoded, JSON-escaped. */
function forms(text: string): string[] {
  return [
    text,
    encodeURIComponent(text),
    encodeURIComponent(text).replaceAll('%20', '+'),
    JSON.stringify(text).slice(1, -1),
  ];
}

test('widget-site: the README snippet works on a plain page under a strict CSP, and no request carries the query or the texts or leaves the site', async ({
  page,
  context,
}, testInfo) => {
  const logged: Logged[] = [];
  // Every request's headers arrive asynchronously: keep the promises, so the leak check waits for all of them.
  const pending: Promise<void>[] = [];
  const record = (source: Logged['source']) => (request: Request) => {
    pending.push(
      request
        .allHeaders()
        .catch(() => ({}))
        .then(
          (headers) =>
            void logged.push({
              source,
              url: request.url(),
              method: request.method(),
              headers,
              body: request.postData() ?? '',
            }),
        ),
    );
  };
  page.on('request', record('page'));
  // The context also sees service workers' requests; workers' fetches are reported on the page.
  context.on('request', record('context'));
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  context.on('weberror', (error) => problems.push(`weberror: ${error.error().message}`));
  await page.addInitScript(() => {
    const violations: string[] = [];
    Object.assign(window, { __cspViolations: violations });
    document.addEventListener('securitypolicyviolation', (e) =>
      violations.push(`${e.violatedDirective} blocked ${e.blockedURI}`),
    );
  });

  const response = await page.goto(`${site.origin}/`);
  expect(response?.headers()['content-security-policy']).toBe(CSP);
  const widget = page.locator('semantic-search');
  const box = widget.getByRole('combobox', { name: 'Search the help pages' });
  await expect(widget.getByRole('status')).toHaveText(`${ITEMS.length} items ready to search`, { timeout: 120_000 });

  // A visitor types; the results appear as options with their scores. A pause between two keys
  // on a busy machine lets a prefix of the query run first (the widget searches once typing
  // pauses for 200 ms): wait for the answer to the whole query, which its results event names.
  await page.evaluate(() => {
    const answered: string[] = [];
    Object.assign(window, { __answered: answered });
    document
      .querySelector('semantic-search')
      ?.addEventListener('results', (e) => answered.push((e as CustomEvent<{ query: string }>).detail.query));
  });
  await box.click();
  await page.keyboard.type(QUERY);
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __answered: string[] }).__answered.at(-1)))
    .toBe(QUERY);
  await expect(widget.getByRole('option')).toHaveCount(5);
  await expect(box).toHaveAttribute('aria-expanded', 'true');
  const shown = await widget.getByRole('option').evaluateAll((nodes) =>
    nodes.map((n) => ({
      id: n.getAttribute('data-id') ?? '',
      score: Number(n.querySelector('[part~="score"]')?.textContent),
    })),
  );
  const results = await page.evaluate(
    (text) =>
      (
        document.querySelector('semantic-search') as HTMLElement & { search(q: string): Promise<WidgetResult[]> }
      ).search(text),
    QUERY,
  );
  expect(results.map((r) => r.id)).toEqual(shown.map((s) => s.id));
  results.forEach((r, i) => expect(Math.abs(r.score - (shown[i]?.score ?? NaN))).toBeLessThanOrEqual(0.0005)); // shown to 3 places
  // The scores are the cosines of the CLI's vectors (the index's documents, the query alone).
  checkAgainstReference(data, results, QUERY, 5, TOLERANCE);
  await page.screenshot({ path: testInfo.outputPath('widget-site.png'), fullPage: true });

  const violations = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
  expect(violations).toEqual([]);
  // Name what was missing first: a console 404 does not say which file.
  expect(
    site
      .requests()
      .filter((r) => r.status !== 200)
      .map((r) => `${r.status} ${r.method} ${r.path}`),
  ).toEqual([]);
  expect(problems).toEqual([]);

  // What left the page: every request, from the page, its workers and any service worker.
  await Promise.all(pending);
  expect(logged.length).toBeGreaterThan(0);
  expect(logged.length).toBe(pending.length);
  const secrets = [QUERY, ...QUERY.split(' ').filter((word) => word.length >= 7), ...ITEMS.map((item) => item.text)];
  const leaks: string[] = [];
  for (const request of logged) {
    const origin = request.url.startsWith('blob:')
      ? new URL(request.url.slice('blob:'.length)).origin
      : new URL(request.url).origin;
    if (origin !== site.origin && !request.url.startsWith('data:')) leaks.push(`${request.url}: another origin`);
    const outgoing = [request.url, ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`), request.body].join(
      '\n',
    );
    for (const secret of secrets)
      for (const form of forms(secret))
        if (outgoing.includes(form)) leaks.push(`${request.method} ${request.url} carries ${JSON.stringify(secret)}`);
  }
  expect(leaks).toEqual([]);
  const served = site.requests();
  expect(served.length).toBeGreaterThan(0);
  for (const request of served) {
    expect(request.method === 'GET' || request.method === 'HEAD', `${request.method} ${request.path}`).toBe(true);
    for (const secret of secrets)
      for (const form of forms(secret)) expect(`${request.path}\n${request.body}`).not.toContain(form);
  }
  const paths = served.map((r) => r.path.split('?')[0] ?? '');
  expect(paths).toContain('/search/index.json');
  expect(paths).toContain('/tabembed/widget.js');
  expect(paths.some((p) => p.startsWith('/models/qwen3-tiny/'))).toBe(true);
  testInfo.annotations.push({
    type: 'requests',
    description: `${logged.length} seen by the browser, ${served.length} served: ${[...new Set(paths)].join(', ')}`,
  });
});
