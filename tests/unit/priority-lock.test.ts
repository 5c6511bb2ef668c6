import { describe, expect, it } from 'vitest';
import { PriorityLock } from '../../src/engine/priority-lock.ts';

describe('PriorityLock', () => {
  it('hands the lock to a waiting high-priority batch before earlier normal ones', async () => {
    const lock = new PriorityLock();
    const order: string[] = [];
    const first = await lock.acquire('normal');
    const waiters = [
      lock.acquire('normal').then((release) => (order.push('normal-1'), release())),
      lock.acquire('normal').then((release) => (order.push('normal-2'), release())),
      lock.acquire('high').then((release) => (order.push('high'), release())),
    ];
    expect(lock.depth).toBe(3);
    first();
    await Promise.all(waiters);
    expect(order).toEqual(['high', 'normal-1', 'normal-2']);
    expect(lock.depth).toBe(0);
  });

  it('never lets two holders run at once, and a double release is harmless', async () => {
    const lock = new PriorityLock();
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const release = await lock.acquire(i % 3 === 0 ? 'high' : 'normal');
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running--;
        release();
        release();
      }),
    );
    expect(most).toBe(1);
  });
});
