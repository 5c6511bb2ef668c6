import type { OrtRuntimeFiles } from '../protocol/worker-api.ts';

/**
 * Where onnxruntime-web's runtime files are, as the page sees them. In the app build nothing is
 * said here: vite.config.ts serves them at `<base>ort/` and the worker looks there. The library
 * build swaps this module for `ort-files.lib.ts` (see vite.lib.config.ts), whose `new URL(…,
 * import.meta.url)` literals make every bundler downstream copy the files and rewrite the URLs.
 */
export const ORT_RUNTIME_FILES: OrtRuntimeFiles | undefined = undefined;
