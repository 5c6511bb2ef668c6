/**
 * The widget UX specs' site (e2e/sites/widget-ux/): the README's widget on a page with no
 * inline script or style, a compact index with a lexical part at /search/, an index of a small
 * built docs site (`tabembed index --site`, sections with #fragment urls) at /docs-search/,
 * the package's dist/lib at /tabembed/ and the model at /models/. Every widget event is
 * recorded on the page (`heard`), with Date.now() at dispatch.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { makeCompactIndex, makeWidgetData, MODEL_DIR, MODEL_URL, widgetSiteMounts } from './widget-data.ts';

/** Two pages of a docs site, each with sections under headings that carry ids. */
const DOCS: Record<string, string> = {
  'install/index.html':
    '<title>Install</title><main><h1>Install</h1><p>Get tabembed onto your site.</p>' +
    '<h2 id="npm">From npm</h2><p>Run npm install tabembed and import the widget.</p>' +
    '<h2 id="cdn">From a CDN</h2><p>Copy the widget script from a CDN; the install needs no build.</p></main>',
  'garden/index.html':
    '<title>Garden</title><main><h1>Garden</h1><p>Tomatoes want full sun.</p>' +
    '<h2 id="water">Watering</h2><p>Water deeply, twice a week.</p></main>',
};

/** Builds the indexes (the CLI must be built: makeWidgetData builds it) and gives the site's mounts. */
export function widgetUxMounts(): Record<string, string> {
  makeWidgetData();
  const site = mkdtempSync(join(tmpdir(), 'tabembed-docs-'));
  for (const [path, html] of Object.entries(DOCS)) {
    mkdirSync(join(site, path, '..'), { recursive: true });
    writeFileSync(join(site, path), html);
  }
  const out = join(site, 'search');
  execFileSync(
    process.execPath,
    [
      'bin/tabembed.js',
      'index',
      '--model',
      MODEL_DIR,
      '--model-id',
      MODEL_URL,
      '--site',
      site,
      '--out',
      out,
      '--lexical',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return {
    ...widgetSiteMounts(makeCompactIndex('float32', 4, { lexical: true })),
    '/': 'e2e/sites/widget-ux',
    '/docs-search/': out,
  };
}

export interface Heard {
  type: string;
  at: number;
  detail: unknown;
}

/** Records every widget event from the first script on; call before page.goto. */
export async function recordEvents(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const heard: { type: string; at: number; detail: unknown }[] = [];
    Reflect.set(window, 'heard', heard);
    for (const type of ['keywords-ready', 'ready', 'results', 'select', 'error', 'download-size'])
      document.addEventListener(type, (event) => {
        if (type === 'select') event.preventDefault(); // stay on the page
        heard.push({
          type,
          at: Date.now(),
          detail: JSON.parse(JSON.stringify((event as CustomEvent<unknown>).detail)),
        });
      });
  });
}

export function heard(page: Page, type?: string): Promise<Heard[]> {
  return page.evaluate(
    (t) => (Reflect.get(window, 'heard') as Heard[]).filter((e) => t === undefined || e.type === t),
    type,
  );
}

/** Waits until `count` events of `type` were heard, and gives them. */
export async function waitFor(page: Page, type: string, count = 1): Promise<Heard[]> {
  await page.waitForFunction(
    ([t, n]) => (Reflect.get(window, 'heard') as Heard[]).filter((e) => e.type === t).length >= n,
    [type, count] as const,
    { timeout: 120_000 },
  );
  return heard(page, type);
}
