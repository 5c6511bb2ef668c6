import type { AdapterSummary, DeviceName } from '../core/types.ts';
import type { ModelSpec } from '../core/model-config.ts';

/**
 * Tokens (rows × padded length) per session.run. The largest activation of a Qwen3 layer is the
 * MLP's [tokens, intermediate] float32 tensor; on WebGPU it must fit a storage-buffer binding
 * with room to spare (half of it: gate and up live side by side).
 *
 * On the CPU small batches win: attention grows with rows × length², and past ~1k tokens the
 * weights are already reused enough. Measured on the bench corpus (200 texts, 8–501 tokens,
 * tiny q8, Node): 1024 tokens gave 820 texts/s native and 215 wasm, against 558 and 148 at
 * 8192 (256: 825/224; 2048: 754/196), with a smaller peak too.
 */
export const CPU_TOKEN_BUDGET = 1024;
/** A GPU keeps gaining from wider batches; this caps one batch's latency (and the cost of a retry). */
export const GPU_TOKEN_BUDGET_CAP = 8192;
const MAX_ROWS = 64;

export function tokenBudget(
  device: DeviceName,
  adapter: AdapterSummary | undefined,
  spec: Pick<ModelSpec, 'intermediateSize'>,
): { tokenBudget: number; maxRows: number } {
  if (device !== 'webgpu' || !adapter) return { tokenBudget: CPU_TOKEN_BUDGET, maxRows: MAX_ROWS };
  const bytesPerToken = spec.intermediateSize * 4;
  const limit = Math.min(adapter.maxStorageBufferBindingSize, adapter.maxBufferSize) / 2;
  return {
    tokenBudget: Math.max(1, Math.min(GPU_TOKEN_BUDGET_CAP, Math.floor(limit / bytesPerToken))),
    maxRows: MAX_ROWS,
  };
}
