/**
 * The server's life: `loading` (the model is not ready: /health and embeddings answer 503),
 * `ready`, then `draining` after SIGTERM or SIGINT (new requests 503, those already received
 * are finished), then `closed`. Requests in flight are counted from their headers to their
 * answer, so a drain also waits for a body still arriving.
 */
export type Phase = 'loading' | 'ready' | 'draining' | 'closed';

export class Lifecycle {
  phase: Phase = 'loading';
  private count = 0;
  private waiters: (() => void)[] = [];

  get inFlight(): number {
    return this.count;
  }

  /** Whether new work is taken: only once ready, and no longer once draining. */
  get accepting(): boolean {
    return this.phase === 'ready';
  }

  begin(): void {
    this.count++;
  }

  end(): void {
    this.count--;
    if (this.count > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves when no request is in flight. */
  settled(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}
