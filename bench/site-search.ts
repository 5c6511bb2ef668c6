/**
 * `<semantic-search>` against Pagefind on the same built site (issue 15, item 7): index size on
 * disk, bytes sent until the first results and time from the first keystroke to them, on a cold
 * page in Chromium. Writes bench/site-search.md. A measurement, not a test.
 *
 *   npm run bench:site                 # 10,000 pages
 *   npm run bench:site -- --pages 1000 # a quick try
 *   npm run bench:site -- --reps 3 --keep  # keep the generated site (its path is printed)
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { startStaticSite } from '../e2e/support/static-site.ts';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { argValue, flag, ROOT } from './bench-args.ts';
import { createRunner, type SearchRun } from './site/site-browser.ts';
import { indexPagefind, indexTabembed, MODEL_DIR, MODEL_URL } from './site/site-indexes.ts';
import { siteSearchMarkdown, type EngineResult } from './site/site-search-md.ts';
import { PAGEFIND_PAGE, TABEMBED_PAGE, writeSearchPages } from './site/search-pages.ts';
import { SITE_QUERIES, writeSite } from './site/site-pages.ts';

const pages = Number(argValue('--pages') ?? 10_000);
const reps = Number(argValue('--reps') ?? 3);
if (!existsSync(join(ROOT, 'dist/node/cli-main.js')) || !existsSync(join(ROOT, 'dist/lib/widget.js')))
  throw new Error('build first: npm run build:cli && npm run build:lib');
if (!existsSync(join(ROOT, MODEL_DIR, 'config.json'))) throw new Error('no fixture: npm run fixture');

const started = new Date().toISOString();
const site = mkdtempSync(join(tmpdir(), 'tabembed-site-'));
const log = (line: string): void => void process.stderr.write(`${line}\n`);
try {
  log(`site: ${site}`);
  const sections = writeSite(site, pages);
  log(`wrote ${pages} pages, ${sections} sections; indexing with tabembed …`);
  const tabembedIndex = indexTabembed(site);
  log(`tabembed: ${tabembedIndex.seconds.toFixed(0)} s; indexing with pagefind …`);
  const pagefindIndex = indexPagefind(site);
  log(`pagefind: ${pagefindIndex.seconds.toFixed(0)} s`);
  writeSearchPages(site);

  const server = await startStaticSite({
    mounts: { '/': site, '/tabembed/': 'dist/lib', [MODEL_URL]: MODEL_DIR },
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const run = createRunner(browser, server, site);
  const runs: Record<'tabembed' | 'pagefind', SearchRun[][]> = { tabembed: [], pagefind: [] };
  try {
    for (const query of SITE_QUERIES) {
      const t: SearchRun[] = [];
      const p: SearchRun[] = [];
      // Taken in turn, so a change in the machine's load falls on both engines alike.
      for (let r = 0; r < reps; r++) {
        t.push(await run(TABEMBED_PAGE, query));
        p.push(await run(PAGEFIND_PAGE, query));
        log(
          `${query} #${r + 1}: tabembed ${t.at(-1)?.firstMs.toFixed(0)} ms, pagefind ${p.at(-1)?.firstMs.toFixed(0)} ms`,
        );
      }
      runs.tabembed.push(t);
      runs.pagefind.push(p);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const engines: EngineResult[] = [
    { name: 'tabembed', index: tabembedIndex, runs: runs.tabembed },
    { name: 'Pagefind 1.6.0', index: pagefindIndex, runs: runs.pagefind },
  ];
  const md = siteSearchMarkdown({ started, pages, sections, reps, queries: SITE_QUERIES, engines });
  writeFileSync(join(ROOT, 'bench/site-search.md'), md);
  process.stdout.write(md);
} finally {
  if (flag('--keep')) log(`kept ${site}`);
  else rmSync(site, { recursive: true, force: true });
}
