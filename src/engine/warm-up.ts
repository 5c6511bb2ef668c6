import type { AdapterSummary, DeviceName, WarmupShape } from '../core/types.ts';
import { isSoftwareAdapter } from '../core/webgpu-adapter.ts';

/**
 * Which batch shapes the engine runs once at load (issue: throughput, part 3), so the first
 * real call does not pay for them. Pure, so the choice is tested with plain data.
 *
 * - WASM / native CPU: one short query. Kernels there do not depend on the shape; the run only
 *   pays the first-call costs (thread pool start, allocator growth), which are small.
 * - WebGPU: one short query (the search box's shape) and one full-budget batch (an indexing job's
 *   shape). onnxruntime-web compiles a pipeline per shape for many kernels, and the big batch
 *   also makes the GPU allocate its largest buffers now; an out-of-memory there is recovered
 *   at load, before any caller's batch, and lowers the budget for the job that follows.
 * - A software adapter (SwiftShader, only when WebGPU is forced: the Playwright specs) gets the
 *   query alone: each new shape costs seconds there and a full budget tens of seconds.
 */
export type WarmupPlan = Pick<WarmupShape, 'what' | 'rows' | 'length'>;

/** Tokens per row of the batch shape: near the bench corpus's p90 (358) and under most maxTokens. */
export const WARMUP_BATCH_LENGTH = 256;
/** The query's length in tokens: an instruction plus a few words. */
export const WARMUP_QUERY_LENGTH = 24;

export function warmupPlan(
  device: DeviceName,
  adapter: AdapterSummary | undefined,
  limits: { tokenBudget: number; maxRows: number },
  maxTokens: number,
): WarmupPlan[] {
  const query: WarmupPlan = { what: 'query', rows: 1, length: Math.min(WARMUP_QUERY_LENGTH, maxTokens) };
  if (device !== 'webgpu' || (adapter !== undefined && isSoftwareAdapter(adapter))) return [query];
  const length = Math.min(WARMUP_BATCH_LENGTH, maxTokens, limits.tokenBudget);
  const rows = Math.min(limits.maxRows, Math.floor(limits.tokenBudget / length));
  return rows > 1 ? [query, { what: 'batch', rows, length }] : [query];
}
