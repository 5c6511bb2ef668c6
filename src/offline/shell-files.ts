/**
 * The app-shell files a browser precaches. The build's list names every onnxruntime-web build's
 * runtime files (vite.config.ts emits them all under `ort/`), but the embedding worker loads one
 * (src/engine/ort-web-build.ts): the JSPI build wherever the browser has JSPI; without it, the
 * plain build for WASM or the asyncify build for WebGPU, decided by the device, which a service
 * worker cannot know. So a browser with JSPI keeps only the JSPI files (16.8 MB of wasm instead
 * of 58 MB), and one without keeps the other two.
 *
 * @example
 *   shellFilesFor(['index.html', 'ort/ort-wasm-simd-threaded.jspi.wasm', 'ort/ort-wasm-simd-threaded.wasm'], true)
 *   // ['index.html', 'ort/ort-wasm-simd-threaded.jspi.wasm']
 */
export function shellFilesFor(files: readonly string[], hasJspi: boolean): string[] {
  return files.filter((file) => {
    const ort = /(?:^|\/)ort\/ort-wasm-simd-threaded(\.[a-z]+)?\.(?:mjs|wasm)$/.exec(file);
    if (!ort) return true;
    return (ort[1] === '.jspi') === hasJspi;
  });
}

/** The test onnxruntime-web's JSPI build and the worker make (src/engine/ort-web-build.ts); the service worker's engine is the same. */
export function browserHasJspi(): boolean {
  return typeof WebAssembly !== 'undefined' && 'Suspending' in WebAssembly;
}
