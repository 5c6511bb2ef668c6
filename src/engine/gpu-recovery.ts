/**
 * What the engine does when a WebGPU batch throws (issue: throughput, part 4). A pure decision,
 * so the rule is read and tested in one place; engine-device.ts acts on it under the session lock.
 *
 * - A lost device (driver reset, GPU process crash, `GPUDevice.lost`) breaks the session, not the
 *   batch: the session is created again, a bounded number of times, and the rows are retried.
 * - Anything else on more than one row is treated as a size problem (out-of-memory, a buffer over
 *   a binding limit): the rows are retried in smaller batches.
 * - Either way the token budget halves, so later batches are planned smaller too.
 * - One row that still fails, or a device lost once too often, leaves WebGPU for WASM.
 */
export type RecoveryStep = 'recreate session' | 'split rows' | 'fall back to wasm';

/** A lost device can leave session creation pending for ever; the engine falls back instead of waiting. */
export const RECREATE_TIMEOUT_MS = 60_000;

/** New WebGPU sessions after a lost device before the engine stops trusting the GPU. */
export const MAX_GPU_RECREATIONS = 1;

// Chromium/Dawn say "Device lost", "device was lost", ORT says "GPUDevice lost"; match them all.
const DEVICE_LOST = /device\b.*\blost|\blost\b.*device|device_lost/i;

export function isDeviceLost(message: string): boolean {
  return DEVICE_LOST.test(message);
}

export function decideRecovery(message: string, rows: number, recreations: number): RecoveryStep {
  if (isDeviceLost(message)) return recreations < MAX_GPU_RECREATIONS ? 'recreate session' : 'fall back to wasm';
  return rows > 1 ? 'split rows' : 'fall back to wasm';
}
