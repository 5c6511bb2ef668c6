/**
 * Test-only, imported first by hardware-adapter-worker.ts: makes this worker's WebGPU adapter
 * (SwiftShader, the only one headless Chromium has here) describe itself as a hardware GPU, so
 * that `device: 'auto'` takes the path a real GPU takes: the backend race at load. Only the
 * adapter's description changes; onnxruntime-web still runs on SwiftShader, which loses.
 */
const POSING = {
  vendor: 'tabembed-test',
  architecture: 'posing-as-hardware',
  device: '',
  description: 'a software adapter posing as a hardware GPU',
};
for (const [name, value] of Object.entries(POSING)) {
  Object.defineProperty(GPUAdapterInfo.prototype, name, { get: () => value, configurable: true });
}
Object.defineProperty(GPUAdapterInfo.prototype, 'isFallbackAdapter', { get: () => false, configurable: true });
Object.defineProperty(GPUAdapter.prototype, 'isFallbackAdapter', { get: () => false, configurable: true });
