import type { Browser, BrowserContext, BrowserType, LaunchOptions, Page } from '@playwright/test';

/**
 * A Chromium with the back/forward cache on, as users' browsers have it: Playwright launches
 * Chromium with `--disable-back-forward-cache`. The browser is closed when `run` ends.
 */
export async function withBackForwardCache<T>(
  chromium: BrowserType,
  launchOptions: LaunchOptions,
  run: (browser: Browser) => Promise<T>,
): Promise<T> {
  const browser = await chromium.launch({ ...launchOptions, ignoreDefaultArgs: ['--disable-back-forward-cache'] });
  try {
    return await run(browser);
  } finally {
    await browser.close();
  }
}

/**
 * Why Chromium did not keep `page` in the back/forward cache, as it says over CDP: filled as it
 * happens, for a failure message (`JavaScriptExecution` is how a finalizer in a frozen page shows).
 */
export async function notRestoredReasons(context: BrowserContext, page: Page): Promise<string[]> {
  const reasons: string[] = [];
  const cdp = await context.newCDPSession(page);
  await cdp.send('Page.enable');
  cdp.on('Page.backForwardCacheNotUsed', (event) =>
    reasons.push(...event.notRestoredExplanations.map((e) => `${e.type} ${e.reason}`)),
  );
  return reasons;
}
