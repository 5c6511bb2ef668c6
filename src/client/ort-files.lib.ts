import type { OrtRuntimeFiles } from '../protocol/worker-api.ts';

/**
 * The library build's answer to "where are onnxruntime-web's runtime files" (ort-files.ts says
 * why there are two). Written as `new URL('…', import.meta.url)` literals on purpose: our build
 * emits every file beside the bundle and rewrites these URLs, and a consumer's bundler (Vite,
 * webpack 5, Parcel) sees the same pattern in `dist/lib/index.js` and copies them again; with no
 * bundler at all (a `<script type="module">`, a CDN path) they resolve next to the bundle.
 * All three builds are listed; the worker fetches only the one it chooses
 * (src/engine/ort-web-build.ts).
 */
export const ORT_RUNTIME_FILES: OrtRuntimeFiles = {
  jspi: {
    mjs: new URL('../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.jspi.mjs', import.meta.url).href,
    wasm: new URL('../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.jspi.wasm', import.meta.url).href,
  },
  asyncify: {
    mjs: new URL('../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.mjs', import.meta.url).href,
    wasm: new URL('../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm', import.meta.url).href,
  },
  plain: {
    mjs: new URL('../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.mjs', import.meta.url).href,
    wasm: new URL('../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm', import.meta.url).href,
  },
};
