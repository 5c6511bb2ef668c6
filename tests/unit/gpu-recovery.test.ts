import { describe, expect, it } from 'vitest';
import { decideRecovery, isDeviceLost, MAX_GPU_RECREATIONS } from '../../src/engine/gpu-recovery.ts';

describe('decideRecovery', () => {
  it('recognises the ways Chromium, Dawn and onnxruntime-web word a lost device', () => {
    expect(
      [
        'Device lost: GPUDevice was lost (reason: unknown)',
        'the GPUDevice was lost',
        'GPU device lost during run',
        'DEVICE_LOST',
      ].map(isDeviceLost),
    ).toEqual([true, true, true, true]);
    expect(['WebGPU out of memory', 'Invalid argument', 'lost connection to the server'].map(isDeviceLost)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('creates the session again after a lost device, a bounded number of times, then leaves for WASM', () => {
    expect(decideRecovery('Device lost', 8, 0)).toBe('recreate session');
    expect(decideRecovery('Device lost', 1, 0)).toBe('recreate session');
    expect(decideRecovery('Device lost', 8, MAX_GPU_RECREATIONS)).toBe('fall back to wasm');
  });

  it('splits a failing batch of several rows, and leaves WebGPU when one row still fails', () => {
    expect(decideRecovery('WebGPU out of memory', 2, 0)).toBe('split rows');
    expect(decideRecovery('WebGPU out of memory', 1, 0)).toBe('fall back to wasm');
  });
});
