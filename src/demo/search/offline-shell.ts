/**
 * Registers the service worker that keeps the app shell (pages, scripts, the onnxruntime wasm)
 * so that, with the model in this browser's storage, the page loads, indexes and searches with
 * the network off. Production builds only: `vite` dev serves modules that change on every edit,
 * and a cached shell would hide the edits.
 */
export function registerOfflineShell(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker
    .register(`${import.meta.env.BASE_URL}sw.js`, { type: 'module', scope: import.meta.env.BASE_URL })
    .catch((error: unknown) => {
      // The page works without it, only not offline: say so in the console, not in the user's way.
      console.warn('tabembed: the offline service worker could not be registered', error);
    });
}
