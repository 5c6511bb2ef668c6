/**
 * Gives the page's model back when the page is unloaded, and only then. A page going into the
 * back/forward cache (`pagehide` with `persisted`) keeps it: restored by Back, it searches at
 * once with the model it had. Disposing it there left a restored page that looked ready and
 * failed every query with NOT_LOADED.
 */
export function disposeOnUnload(current: () => { dispose(): Promise<void> } | undefined): void {
  addEventListener('pagehide', (event) => {
    if (!event.persisted) void current()?.dispose();
  });
}
