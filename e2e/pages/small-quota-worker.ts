/**
 * Test-only: the real embedding worker, with `navigator.storage.estimate()` reporting a small
 * quota (bytes given in the worker's name, `quota:<bytes>`). Headless Chromium reports a fixed
 * 10 GiB and ignores the DevTools quota override for estimate(), so the shrunk quota is set here.
 */
// A static import: the engine reads estimate() only when it plans a download, and a dynamic
// import would let Comlink's first message arrive before anything listens.
import '../../workers/embed.worker.ts';

const quota = Number(/^quota:(\d+)$/.exec(self.name)?.[1] ?? Number.NaN);
if (Number.isFinite(quota)) {
  Object.defineProperty(StorageManager.prototype, 'estimate', { value: () => Promise.resolve({ quota, usage: 0 }) });
}
