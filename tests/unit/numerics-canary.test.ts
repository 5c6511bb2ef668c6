import { describe, expect, it } from 'vitest';
import { CANARY_MIN_COSINE, judgeCanary } from '../../src/engine/numerics-canary.ts';

describe('the numerics canary', () => {
  it('keeps WebGPU when its probe vector agrees with WASM', () => {
    expect(judgeCanary([1, 2, 3], [1.001, 2, 2.999])).toMatchObject({ action: 'kept webgpu' });
  });

  it('switches to WASM below a cosine of 0.99', () => {
    // cos([1,0],[0.98,0.2]) = 0.98/sqrt(0.9604+0.04) = 0.9798 < 0.99
    const verdict = judgeCanary([1, 0], [0.98, 0.2]);
    expect(verdict.cosine).toBeCloseTo(0.9798, 4);
    expect(verdict.action).toBe('switched to wasm');
    expect(CANARY_MIN_COSINE).toBe(0.99);
  });

  it('treats an all-zero GPU vector (a silent failure) as disagreement', () => {
    expect(judgeCanary([0, 0, 0], [1, 2, 3]).action).toBe('switched to wasm');
  });
});
