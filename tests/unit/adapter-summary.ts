import type { AdapterSummary } from '../../src/core/types.ts';

/** A WebGPU adapter as plain data for the pure choices' tests: unnamed, no shader-f16, 1 GiB buffers; `fields` override. */
export function adapter(fields: Partial<AdapterSummary>): AdapterSummary {
  return {
    vendor: '',
    architecture: '',
    device: '',
    description: '',
    isFallbackAdapter: false,
    shaderF16: false,
    maxBufferSize: 2 ** 30,
    maxStorageBufferBindingSize: 2 ** 27,
    ...fields,
  };
}
