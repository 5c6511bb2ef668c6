import type { EmbedderMetrics } from '../core/types.ts';

const LATENCY_WINDOW = 256;

/**
 * Running counters behind `metrics()`: what the session did, not what the caller hoped. Shared by
 * the local engine (a batch is one session run) and the remote provider (a batch is one request;
 * its run time is the time requests were in flight, overlaps counted once).
 */
export class EngineMetrics {
  private texts = 0;
  private tokens = 0;
  private paddedTokens = 0;
  private batches = 0;
  private runMs = 0;
  private bytesReadBack = 0;
  private lastBatchBytes = 0;
  private readonly batchRows = new Map<number, number>();
  private latencies: number[] = [];

  recordBatch(rows: number, length: number, realTokens: number, runMs: number, bytesReadBack: number): void {
    this.batches++;
    this.texts += rows;
    this.tokens += realTokens;
    this.paddedTokens += rows * length;
    this.runMs += runMs;
    this.bytesReadBack += bytesReadBack;
    this.lastBatchBytes = bytesReadBack;
    this.batchRows.set(rows, (this.batchRows.get(rows) ?? 0) + 1);
  }

  recordCall(ms: number): void {
    this.latencies.push(ms);
    if (this.latencies.length > LATENCY_WINDOW) this.latencies = this.latencies.slice(-LATENCY_WINDOW);
  }

  snapshot(queueDepth: number): EmbedderMetrics {
    const seconds = this.runMs / 1000;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      texts: this.texts,
      tokens: this.tokens,
      batches: this.batches,
      tokensPerSecond: seconds > 0 ? this.tokens / seconds : 0,
      textsPerSecond: seconds > 0 ? this.texts / seconds : 0,
      paddingRatio: this.paddedTokens > 0 ? 1 - this.tokens / this.paddedTokens : 0,
      batchRows: Object.fromEntries([...this.batchRows].sort(([a], [b]) => a - b)),
      latencyMs: { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), calls: sorted.length },
      queueDepth,
      bytesReadBack: this.bytesReadBack,
      bytesReadBackLastBatch: this.lastBatchBytes,
    };
  }
}

/** The q-quantile of an ascending list (nearest rank, 0 for none). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}
