import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';

/** The service worker's entry name; it is emitted as `sw.js` at the root, unhashed, so its scope is the whole site. */
export const SERVICE_WORKER_ENTRY = 'sw';
const PLACEHOLDER = /(["'`])__TABEMBED_APP_SHELL__\1/;

/**
 * Writes the list of files the search page needs into the service worker, after the build knows
 * every file name: everything the app build emitted (the e2e test pages are another build,
 * vite.e2e.config.ts) except source maps and the service worker itself. Must come after the
 * plugins that emit files in `generateBundle` (the /ort/ runtime files).
 */
export function appShellManifest(): Plugin {
  return {
    name: 'tabembed:app-shell-manifest',
    apply: 'build',
    // After Vite's own HTML plugin has emitted the pages.
    enforce: 'post',
    generateBundle(_options, bundle) {
      const worker = Object.values(bundle).find((file) => file.type === 'chunk' && file.name === SERVICE_WORKER_ENTRY);
      if (!worker || worker.type !== 'chunk') return; // a build without the service worker (e.g. the CLI)
      const files = Object.keys(bundle)
        .filter((name) => name !== worker.fileName && !name.endsWith('.map'))
        .sort();
      const hash = createHash('sha256');
      for (const name of files) {
        const file = bundle[name];
        hash
          .update(name)
          .update(
            file?.type === 'chunk'
              ? file.code
              : typeof file?.source === 'string'
                ? file.source
                : (file?.source ?? new Uint8Array()),
          );
      }
      const manifest = { version: hash.digest('hex').slice(0, 16), files };
      if (!PLACEHOLDER.test(worker.code))
        this.error(`${worker.fileName} has no __TABEMBED_APP_SHELL__ placeholder to fill`);
      // A JSON string inside JSON.parse('…'): the worker parses it back at start.
      worker.code = worker.code.replace(PLACEHOLDER, JSON.stringify(JSON.stringify(manifest)));
    },
  };
}
