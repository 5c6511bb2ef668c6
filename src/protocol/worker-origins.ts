/**
 * Who may call a worker that `Comlink.expose`s an API: only the page that started it.
 *
 * A page's `worker.postMessage` (and a MessagePort's) delivers a MessageEvent whose `origin` is
 * the empty string: checked in Chromium 156, where a window's message carries its origin instead.
 * Comlink's default allow-list is `['*']`, which would also answer a window message if an API
 * were ever exposed on an endpoint that receives them (a window, a shared or service worker, a
 * port handed to a frame). Naming '' makes the rule explicit, and anything else is refused and
 * logged by Comlink, not served: the widget runs on other people's pages, next to their frames.
 *
 * @example
 * Comlink.expose(api, self, FROM_OWNING_PAGE);
 */
export const FROM_OWNING_PAGE: readonly string[] = [''];
