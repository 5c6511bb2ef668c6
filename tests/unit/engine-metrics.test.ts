import { describe, expect, it } from 'vitest';
import { EngineMetrics } from '../../src/core/embed-metrics.ts';

describe('EngineMetrics', () => {
  it('reports rates over session time, padding share, batch sizes and latency percentiles', () => {
    const metrics = new EngineMetrics();
    metrics.recordBatch(4, 10, 30, 500, 4 * 10 * 64 * 4); // 40 positions, 30 real
    metrics.recordBatch(2, 5, 10, 500, 2 * 5 * 64 * 4); // 10 positions, 10 real
    for (const ms of [10, 20, 30, 40, 100]) metrics.recordCall(ms);
    expect(metrics.snapshot(3)).toEqual({
      texts: 6,
      tokens: 40,
      batches: 2,
      tokensPerSecond: 40, // 40 tokens in 1 s of session time
      textsPerSecond: 6,
      paddingRatio: 1 - 40 / 50,
      batchRows: { 2: 1, 4: 1 },
      latencyMs: { p50: 30, p95: 100, calls: 5 },
      queueDepth: 3,
      bytesReadBack: 10240 + 2560,
      bytesReadBackLastBatch: 2560,
    });
  });

  it('starts at zero without dividing by zero', () => {
    expect(new EngineMetrics().snapshot(0)).toMatchObject({
      tokensPerSecond: 0,
      paddingRatio: 0,
      latencyMs: { p50: 0, p95: 0, calls: 0 },
    });
  });
});
