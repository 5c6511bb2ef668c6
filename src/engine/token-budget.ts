import type { AdapterSummary, DeviceName } from '../core/types.ts';
import type { ModelSpec } from '../core/model-config.ts';

/**
 * Tokens (rows × padded length) per session.run. The largest activation of a Qwen3 layer is the
 * MLP's [tokens, intermediate] float32 tensor; on WebGPU it must fit a storage-buffer binding
 * with room to spare (half of it: gate and up live side by side). On the CPU the budget only
 * bounds peak memory and keeps batches short enough to cancel promptly.
 */
export const CPU_TOKEN_BUDGET = 8192;
const MAX_ROWS = 64;

export function tokenBudget(device: DeviceName, adapter: AdapterSummary | undefined, spec: Pick<ModelSpec, 'intermediateSize'>): { tokenBudget: number; maxRows: number } {
  if (device !== 'webgpu' || !adapter) return { tokenBudget: CPU_TOKEN_BUDGET, maxRows: MAX_ROWS };
  const bytesPerToken = spec.intermediateSize * 4;
  const limit = Math.min(adapter.maxStorageBufferBindingSize, adapter.maxBufferSize) / 2;
  return { tokenBudget: Math.max(1, Math.min(CPU_TOKEN_BUDGET, Math.floor(limit / bytesPerToken))), maxRows: MAX_ROWS };
}
