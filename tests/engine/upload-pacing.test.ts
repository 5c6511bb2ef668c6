import { describe, expect, it } from 'vitest';
import { queuePacer } from '../../src/engine/upload-pacing.ts';

/** A GPU queue that only counts the waits asked of it (no GPU in Node). */
function countingQueue(): { waits: number; device: { queue: { onSubmittedWorkDone(): Promise<void> } } } {
  const counter = {
    waits: 0,
    device: {
      queue: {
        onSubmittedWorkDone: () => {
          counter.waits++;
          return Promise.resolve();
        },
      },
    },
  };
  return counter;
}

describe('queuePacer, the upload paced on the GPU queue', () => {
  it('waits on the queue once every `everyBytes` read, never between', async () => {
    const queue = countingQueue();
    const pacer = queuePacer(queue.device, 10);
    const paced: boolean[] = [];
    for (const bytes of [4, 4, 4, 4, 4, 4, 4, 4]) {
      const wait = pacer.pace();
      paced.push(wait !== undefined);
      await wait;
      pacer.read(bytes);
    }
    // 12 bytes read before the 4th chunk, then 12 again before the 7th.
    expect(paced).toEqual([false, false, false, true, false, false, true, false]);
    expect(queue.waits).toBe(2);
  });

  it('a chunk larger than the step waits before each next read', () => {
    const queue = countingQueue();
    const pacer = queuePacer(queue.device, 10);
    pacer.read(64);
    expect(pacer.pace()).toBeDefined();
    expect(pacer.pace()).toBeUndefined();
    pacer.read(10);
    expect(pacer.pace()).toBeDefined();
    expect(queue.waits).toBe(2);
  });
});
