import type { OrtRuntimeFiles } from '../protocol/worker-api.ts';

/**
 * The library build's answer to "where are onnxruntime-web's runtime files" (ort-files.ts says
 * why there are two). Written as `new URL('…', import.meta.url)` literals on purpose: our build
 * emits both files beside the bundle and rewrites these URLs, and a consumer's bundler (Vite,
 * webpack 5, Parcel) sees the same pattern in `dist/lib/index.js` and copies them again; with no
 * bundler at all (a `<script type="module">`, a CDN path) they resolve next to the bundle.
 */
export const ORT_RUNTIME_FILES: OrtRuntimeFiles = {
  mjs: new URL('../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.mjs', import.meta.url).href,
  wasm: new URL('../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm', import.meta.url).href,
};
