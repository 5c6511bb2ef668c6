/**
 * One session.run at a time, with a fast lane. Each batch takes the lock; when it is released,
 * a waiting `high` batch (a search query) goes before any waiting `normal` one (document
 * indexing), so a query overtakes a long indexing job after at most one batch.
 */
export type Priority = 'high' | 'normal';

export class PriorityLock {
  private held = false;
  private readonly waiting: Record<Priority, (() => void)[]> = { high: [], normal: [] };

  /** Batches waiting for the session. */
  get depth(): number {
    return this.waiting.high.length + this.waiting.normal.length;
  }

  async acquire(priority: Priority): Promise<() => void> {
    if (this.held) await new Promise<void>((resolve) => this.waiting[priority].push(resolve));
    this.held = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.high.shift() ?? this.waiting.normal.shift();
      if (next)
        next(); // ownership passes straight on: `held` stays true
      else this.held = false;
    };
  }
}
