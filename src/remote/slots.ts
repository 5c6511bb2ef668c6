/**
 * At most `size` requests in flight to one engine, across every embed call of a provider: a
 * long indexing job and a query share the engine's capacity instead of each opening its own.
 * Waiters go in arrival order; one whose signal fires leaves the queue.
 */
import { abortedError } from './retry.ts';

export class Slots {
  private free: number;
  private readonly queue: (() => void)[] = [];
  private inFlight = 0;
  /** Time with at least one request in flight, not yet taken; and since when the current such stretch runs. */
  private busyMs = 0;
  private busySince: number | undefined;

  constructor(size: number) {
    this.free = size;
  }

  /** Requests waiting for a slot now (`metrics().queueDepth`). */
  get waiting(): number {
    return this.queue.length;
  }

  /** Runs `task` once a slot is free, and frees the slot when it settles. */
  async run<T>(task: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    await this.acquire(signal);
    if (this.inFlight++ === 0) this.busySince = performance.now();
    try {
      return await task();
    } finally {
      if (--this.inFlight === 0 && this.busySince !== undefined) {
        this.busyMs += performance.now() - this.busySince;
        this.busySince = undefined;
      }
      this.release();
    }
  }

  /**
   * The time requests were in flight since the last call, overlapping requests counted once: the
   * run time behind `metrics()` rates, which summed request times would understate under concurrency.
   */
  takeBusyMs(): number {
    const now = performance.now();
    const taken = this.busyMs + (this.busySince === undefined ? 0 : now - this.busySince);
    this.busyMs = 0;
    if (this.busySince !== undefined) this.busySince = now;
    return taken;
  }

  private acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortedError(signal));
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const at = this.queue.indexOf(grant);
        if (at >= 0) this.queue.splice(at, 1);
        reject(abortedError(signal));
      };
      this.queue.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(): void {
    const next = this.queue.shift();
    // The slot passes straight to the next waiter, so `free` only grows when nobody waits.
    if (next) next();
    else this.free++;
  }
}
