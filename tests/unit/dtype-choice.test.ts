import { describe, expect, it } from 'vitest';
import type { Dtype } from '../../src/core/types.ts';
import { chooseDtype } from '../../src/engine/dtype-choice.ts';

const ALL: ReadonlySet<Dtype> = new Set(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4']);

describe('chooseDtype with auto', () => {
  it('never picks a half-precision dtype on webgpu without shader-f16, even when the repo has them', () => {
    expect(chooseDtype('auto', 'webgpu', false, ALL)?.dtype).toBe('q4');
    expect(chooseDtype('auto', 'webgpu', false, new Set(['fp16', 'q4f16', 'fp32']))?.dtype).toBe('fp32');
    expect(chooseDtype('auto', 'webgpu', false, new Set(['fp16', 'q4f16']))).toBeUndefined();
  });

  it('prefers q4f16 on webgpu with shader-f16, then fp16', () => {
    expect(chooseDtype('auto', 'webgpu', true, ALL)?.dtype).toBe('q4f16');
    expect(chooseDtype('auto', 'webgpu', true, new Set(['fp16', 'q4', 'fp32']))?.dtype).toBe('fp16');
  });

  it('prefers q8, then q4, then fp32 on wasm', () => {
    expect(chooseDtype('auto', 'wasm', false, ALL)?.dtype).toBe('q8');
    expect(chooseDtype('auto', 'wasm', false, new Set(['q4', 'fp32', 'fp16']))?.dtype).toBe('q4');
    expect(chooseDtype('auto', 'wasm', false, new Set(['fp32', 'fp16', 'q4f16']))?.dtype).toBe('fp32');
  });

  it('uses the wasm order for the native cpu backend', () => {
    expect(chooseDtype('auto', 'cpu', false, ALL)?.dtype).toBe('q8');
  });

  it('returns undefined when the repo has none of the preferences', () => {
    expect(chooseDtype('auto', 'wasm', false, new Set(['fp16', 'bnb4']))).toBeUndefined();
  });

  it('names the skipped preferences in its reason', () => {
    expect(chooseDtype('auto', 'wasm', false, new Set(['fp32']))?.reason).toBe(
      'fp32 is the first wasm preference; the repo has no q8/q4',
    );
    expect(chooseDtype('auto', 'webgpu', false, new Set(['fp32']))?.reason).toBe(
      'fp32 is the first webgpu (no shader-f16) preference; the repo has no q4',
    );
    expect(chooseDtype('auto', 'webgpu', true, ALL)?.reason).toBe('q4f16 is the first webgpu preference');
  });
});

describe('chooseDtype with a forced dtype', () => {
  it('takes it when the repo has it', () => {
    expect(chooseDtype('fp32', 'wasm', false, ALL)).toEqual({ dtype: 'fp32', reason: 'fp32 was requested' });
  });

  it('returns undefined when the repo lacks it', () => {
    expect(chooseDtype('q4f16', 'webgpu', true, new Set(['q4', 'fp32']))).toBeUndefined();
  });

  it('refuses fp16 and q4f16 on webgpu without shader-f16', () => {
    expect(chooseDtype('fp16', 'webgpu', false, ALL)).toBeUndefined();
    expect(chooseDtype('q4f16', 'webgpu', false, ALL)).toBeUndefined();
    expect(chooseDtype('fp16', 'webgpu', true, ALL)?.dtype).toBe('fp16');
  });

  it('allows fp16 on wasm, which computes it on the CPU', () => {
    expect(chooseDtype('fp16', 'wasm', false, ALL)?.dtype).toBe('fp16');
  });
});
