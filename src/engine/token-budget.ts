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

/**
 * That budget was measured on the 64-wide test model, where a run is so cheap that the cost of the
 * call itself is what batching saves. On a model of real width a single text is already a large
 * matrix product, and a batch only adds padding and attention: the quick bench's qwen3-wide-2l
 * (hidden 1024, intermediate 3072, 2 layers; 32 texts of 8–501 tokens, q8, Node, one run each)
 * ran 93.8 texts/s native and 16.7 wasm with one text per run, against 62.8 and 14.7 at 1024
 * tokens (66.3 / 15.1 at 256). So the CPU budget is a budget of work, not tokens: the test
 * model's 1024 tokens of per-token MLP work (hidden × intermediate × layers), which leaves it
 * unchanged there and gives a real-width model one text per run (short queries may still pair).
 */
const CPU_WORK_PER_RUN = CPU_TOKEN_BUDGET * 64 * 192 * 3;

/** Tokens per run on the CPU for this model: CPU_WORK_PER_RUN over its work per token, 1 … CPU_TOKEN_BUDGET. */
export function cpuTokenBudget(spec: Pick<ModelSpec, 'hiddenSize' | 'intermediateSize' | 'numLayers'>): number {
  const perToken = spec.hiddenSize * spec.intermediateSize * spec.numLayers;
  return Math.max(1, Math.min(CPU_TOKEN_BUDGET, Math.floor(CPU_WORK_PER_RUN / perToken)));
}
/** A GPU keeps gaining from wider batches; this caps one batch's latency (and the cost of a retry). */
export const GPU_TOKEN_BUDGET_CAP = 8192;
const MAX_ROWS = 64;

export function tokenBudget(
  device: DeviceName,
  adapter: AdapterSummary | undefined,
  spec: Pick<ModelSpec, 'hiddenSize' | 'intermediateSize' | 'numLayers'>,
): { tokenBudget: number; maxRows: number } {
  if (device !== 'webgpu' || !adapter) return { tokenBudget: cpuTokenBudget(spec), maxRows: MAX_ROWS };
  const bytesPerToken = spec.intermediateSize * 4;
  const limit = Math.min(adapter.maxStorageBufferBindingSize, adapter.maxBufferSize) / 2;
  return {
    tokenBudget: Math.max(1, Math.min(GPU_TOKEN_BUDGET_CAP, Math.floor(limit / bytesPerToken))),
    maxRows: MAX_ROWS,
  };
}
