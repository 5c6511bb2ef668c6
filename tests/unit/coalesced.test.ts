import { describe, expect, it } from 'vitest';
import { coalesced } from '../../src/model/cache/coalesced.ts';

/** A write that records the state it saw when it started and finishes when told to. */
function gatedWrites(state: { value: number }) {
  const seen: number[] = [];
  const gates: (() => void)[] = [];
  const failures = new Set<number>();
  const write = (): Promise<void> => {
    const index = seen.length;
    seen.push(state.value);
    return new Promise((resolve, reject) => {
      gates[index] = () => (failures.has(index) ? reject(new Error(`write ${index} failed`)) : resolve());
    });
  };
  return { write, seen, open: (index: number) => gates[index]?.(), failures };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('coalesced', () => {
  it('runs one write at a time, and the calls made meanwhile share one write that sees all their changes', async () => {
    const state = { value: 0 };
    const writes = gatedWrites(state);
    const save = coalesced(writes.write);
    state.value = 1;
    const first = save();
    await tick();
    expect(writes.seen).toEqual([1]);
    // Five changes while the first write runs: one more write, not five.
    const later = [2, 3, 4, 5, 6].map((value) => {
      state.value = value;
      return save();
    });
    await tick();
    expect(writes.seen).toEqual([1]); // nothing overlaps the running write
    writes.open(0);
    await first;
    await tick();
    expect(writes.seen).toEqual([1, 6]);
    let settled = false;
    void save.settled().then(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    writes.open(1);
    await Promise.all(later);
    await tick();
    expect(settled).toBe(true);
    expect(writes.seen).toEqual([1, 6]);
  });

  it('reports a failed write to its callers and to settled(), and the next call writes again', async () => {
    const state = { value: 1 };
    const writes = gatedWrites(state);
    writes.failures.add(0);
    const save = coalesced(writes.write);
    const failing = save();
    await tick();
    writes.open(0);
    await expect(failing).rejects.toThrow('write 0 failed');
    await expect(save.settled()).rejects.toThrow('write 0 failed');
    state.value = 2;
    const retry = save();
    await tick();
    writes.open(1);
    await retry;
    await expect(save.settled()).resolves.toBeUndefined();
    expect(writes.seen).toEqual([1, 2]);
  });
});
