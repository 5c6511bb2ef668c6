/**
 * Test-only: the real embedding worker in a JS engine without JSPI (see without-jspi.ts), where
 * it must load the plain build for WASM and the asyncify build for WebGPU (src/engine/ort-web-build.ts).
 */
// Static imports, in this order: the engine must not see JSPI, and a dynamic import would let
// Comlink's first message arrive before anything listens.
import './without-jspi.ts';
import '../../workers/embed.worker.ts';
