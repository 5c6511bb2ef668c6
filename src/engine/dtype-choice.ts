import type { DeviceName, Dtype } from '../core/types.ts';

export interface DtypeDecision {
  dtype: Dtype;
  reason: string;
}

/**
 * Preference order per device when the caller says `'auto'`. WebGPU: 4-bit weights move least
 * memory; half-precision activations only where the adapter has `shader-f16`. WASM: 8-bit
 * (MatMulInteger) is the usual CPU sweet spot, 4-bit next, fp32 last.
 */
export function dtypePreference(device: DeviceName, shaderF16: boolean): Dtype[] {
  switch (device) {
    case 'webgpu':
      return shaderF16 ? ['q4f16', 'fp16', 'q4', 'fp32'] : ['q4', 'fp32'];
    case 'wasm':
    case 'cpu':
      return ['q8', 'q4', 'fp32'];
    default: {
      const unreachable: never = device;
      throw new Error(`unknown device ${String(unreachable)}`);
    }
  }
}

const HALF_DTYPES: readonly Dtype[] = ['fp16', 'q4f16'];

/**
 * Picks the dtype: a forced one is checked against what the device can run; `'auto'` takes the
 * first preference the repo offers (`available`, probed by the caller). Returns undefined when
 * nothing fits; the caller turns that into a DTYPE_UNAVAILABLE error naming what it looked for.
 */
export function chooseDtype(
  requested: Dtype | 'auto',
  device: DeviceName,
  shaderF16: boolean,
  available: ReadonlySet<Dtype>,
): DtypeDecision | undefined {
  if (requested !== 'auto') {
    if (device === 'webgpu' && !shaderF16 && HALF_DTYPES.includes(requested)) return undefined;
    return available.has(requested) ? { dtype: requested, reason: `${requested} was requested` } : undefined;
  }
  const preference = dtypePreference(device, shaderF16);
  const dtype = preference.find((candidate) => available.has(candidate));
  if (dtype === undefined) return undefined;
  const skipped = preference.slice(0, preference.indexOf(dtype));
  const why = skipped.length > 0 ? `; the repo has no ${skipped.join('/')}` : '';
  return {
    dtype,
    reason: `${dtype} is the first ${device}${device === 'webgpu' && !shaderF16 ? ' (no shader-f16)' : ''} preference${why}`,
  };
}
