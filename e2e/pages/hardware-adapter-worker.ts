/**
 * Test-only: the real embedding worker with its WebGPU adapter posing as hardware (see
 * as-hardware-adapter.ts), so `device: 'auto'` races WebGPU against WASM and keeps the verdict
 * in OPFS, as on a machine with a GPU.
 */
// Static imports, in this order: the engine must see the posing adapter, and a dynamic import
// would let Comlink's first message arrive before anything listens.
import './as-hardware-adapter.ts';
import '../../workers/embed.worker.ts';
