/**
 * What a remote provider has done so far, in the shape local engines report (`EmbedderMetrics`),
 * so a page shows either the same way. A request is a "batch"; rates are over the time calls
 * were running; padding is the engine's business and reads 0.
 */
import type { EmbedderMetrics } from '../core/types.ts';

const LATENCY_WINDOW = 256;

export class RemoteMetrics {
  private texts = 0;
  private tokens = 0;
  private batches = 0;
  private bytes = 0;
  private lastBytes = 0;
  private busyMs = 0;
  private readonly rows: Record<number, number> = {};
  private readonly latencies: number[] = [];

  /** One answered request: its rows, the engine's token count, and the bytes of vectors it carried. */
  request(rows: number, tokens: number | undefined, bytes: number): void {
    this.texts += rows;
    this.tokens += tokens ?? 0;
    this.batches++;
    this.rows[rows] = (this.rows[rows] ?? 0) + 1;
    this.bytes += bytes;
    this.lastBytes = bytes;
  }

  /** One embed call, from start to its last vector. */
  call(ms: number): void {
    this.busyMs += ms;
    this.latencies.push(ms);
    if (this.latencies.length > LATENCY_WINDOW) this.latencies.shift();
  }

  snapshot(queueDepth: number): EmbedderMetrics {
    const seconds = this.busyMs / 1000;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return {
      texts: this.texts,
      tokens: this.tokens,
      batches: this.batches,
      tokensPerSecond: seconds > 0 ? this.tokens / seconds : 0,
      textsPerSecond: seconds > 0 ? this.texts / seconds : 0,
      paddingRatio: 0,
      batchRows: { ...this.rows },
      latencyMs: { p50: at(0.5), p95: at(0.95), calls: this.latencies.length },
      queueDepth,
      bytesReadBack: this.bytes,
      bytesReadBackLastBatch: this.lastBytes,
    };
  }
}
