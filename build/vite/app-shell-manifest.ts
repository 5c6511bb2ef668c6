import { createHash } from 'node:crypto';
import type { Plugin, Rollup } from 'vite';

/** The service worker's entry name; it is emitted as `sw.js` at the root, unhashed, so its scope is the whole site. */
export const SERVICE_WORKER_ENTRY = 'sw';
const PLACEHOLDER = /(["'`])__TABEMBED_APP_SHELL__\1/;

/**
 * Writes the list of files the search page needs into the service worker, after the build knows
 * every file name: everything the build emitted except the e2e test pages and what only they
 * use (`testWorkers` names their workers), source maps, and the service worker itself. Must come after the plugins that emit files
 * in `generateBundle` (the /ort/ runtime files).
 */
export function appShellManifest(options: { testWorkers: readonly string[] }): Plugin {
  return {
    name: 'tabembed:app-shell-manifest',
    apply: 'build',
    // After Vite's own HTML plugin has emitted the pages.
    enforce: 'post',
    generateBundle(_options, bundle) {
      const worker = Object.values(bundle).find((file) => file.type === 'chunk' && file.name === SERVICE_WORKER_ENTRY);
      if (!worker || worker.type !== 'chunk') return; // a build without the service worker (e.g. the CLI)
      const testOnly = testOnlyFiles(bundle, options.testWorkers);
      const files = Object.keys(bundle)
        .filter((name) => name !== worker.fileName && !name.endsWith('.map') && !testOnly.has(name))
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

/**
 * Files reachable only from the e2e test pages: their HTML, chunks none of the real pages import
 * (statically or dynamically), and the test pages' workers. Workers and wasm are referenced
 * through `new URL()`, which the import graph does not show, and Vite records no source for a
 * worker asset, so test workers are known by name (`testWorkers`: their file names without .ts).
 */
function testOnlyFiles(bundle: Rollup.OutputBundle, testWorkers: readonly string[]): Set<string> {
  const chunks = Object.values(bundle).filter((file) => file.type === 'chunk');
  const reachable = new Set<string>();
  const visit = (name: string): void => {
    if (reachable.has(name)) return;
    reachable.add(name);
    const chunk = bundle[name];
    if (chunk?.type === 'chunk') for (const next of [...chunk.imports, ...chunk.dynamicImports]) visit(next);
  };
  for (const chunk of chunks) if (chunk.isEntry && !chunk.facadeModuleId?.includes('/e2e/')) visit(chunk.fileName);
  const testOnly = new Set<string>();
  for (const name of Object.keys(bundle)) {
    const file = bundle[name];
    if (name.startsWith('e2e/')) testOnly.add(name);
    else if (testWorkers.some((worker) => name.startsWith(`assets/${worker}-`))) testOnly.add(name);
    else if (file?.type === 'chunk' && !reachable.has(name)) testOnly.add(name);
  }
  return testOnly;
}
