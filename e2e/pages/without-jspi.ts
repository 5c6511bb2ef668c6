/**
 * Test-only, imported first by no-jspi-worker.ts: removes WebAssembly JS Promise Integration
 * from this worker's JS engine, so it looks like one without JSPI (Firefox and Safari when this
 * was written). Chromium's own switches did not turn JSPI off (`--js-flags=--no-experimental-wasm-jspi`
 * and `--disable-features=WebAssemblyJSPromiseIntegration` were tried). onnxruntime-web's JSPI
 * build and src/engine/ort-web-build.ts both test `'Suspending' in WebAssembly`.
 */
Reflect.deleteProperty(WebAssembly, 'Suspending');
if ('Suspending' in WebAssembly) throw new Error('WebAssembly.Suspending could not be removed');
