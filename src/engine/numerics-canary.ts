import { cosine } from '../core/cosine.ts';

/**
 * Some GPU/driver/dtype combinations return silently wrong vectors (reported for quantized
 * models on some GPUs). At load, one probe text runs on WebGPU and on WASM; below this cosine
 * the GPU's vectors are not trusted and WASM serves instead.
 */
export const CANARY_MIN_COSINE = 0.99;
export const CANARY_TEXT = 'tabembed numerics probe: The quick brown fox jumps over the lazy dog. 敏捷的棕色狐狸 42';

export interface CanaryResult {
  cosine: number;
  /** What the engine did about it. */
  action: 'kept webgpu' | 'switched to wasm';
}

export function judgeCanary(gpu: ArrayLike<number>, cpu: ArrayLike<number>): CanaryResult {
  const value = cosine(gpu, cpu);
  return { cosine: value, action: value >= CANARY_MIN_COSINE ? 'kept webgpu' : 'switched to wasm' };
}
