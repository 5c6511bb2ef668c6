import { describe, expect, it } from 'vitest';
import { planBatches, type BatchPlan } from '../../src/core/planner.ts';

/** A deterministic pseudo-random length list (LCG), so the test does not depend on Math.random. */
function lengths(count: number, seed: number, max: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return 1 + (state % max);
  });
}

function checkInvariants(input: number[], plans: BatchPlan[], tokenBudget: number, maxRows: number): void {
  const seen = plans.flatMap((p) => p.indices).sort((a, b) => a - b);
  expect(seen).toEqual(input.map((_, i) => i));
  let previousLongest = 0;
  for (const plan of plans) {
    const rowLengths = plan.indices.map((i) => input[i] ?? -1);
    const longest = Math.max(...rowLengths);
    expect(plan.length).toBe(longest);
    expect(plan.indices.length).toBeLessThanOrEqual(maxRows);
    if (plan.indices.length > 1) expect(plan.indices.length * plan.length).toBeLessThanOrEqual(tokenBudget);
    else if (plan.length > tokenBudget) expect(plan.indices).toHaveLength(1);
    // Sorted by length: within a batch ascending, and batches in ascending order.
    expect(rowLengths).toEqual([...rowLengths].sort((a, b) => a - b));
    expect(Math.min(...rowLengths)).toBeGreaterThanOrEqual(previousLongest);
    previousLongest = longest;
  }
}

describe('planBatches', () => {
  it('sorts by length and packs rows while rows × longest stays within the budget', () => {
    // Sorted order: idx1(2) idx3(3) idx0(5) idx2(8). Budget 12:
    // [1,3] → 2×3=6 ok; +0 → 3×5=15 > 12, new batch [0]; +2 → 2×8=16 > 12, new batch [2].
    expect(planBatches([5, 2, 8, 3], { tokenBudget: 12 })).toEqual([
      { indices: [1, 3], length: 3 },
      { indices: [0], length: 5 },
      { indices: [2], length: 8 },
    ]);
  });

  it('puts every index in exactly one batch and keeps each multi-row batch within the budget', () => {
    const input = lengths(500, 7, 300);
    const plans = planBatches(input, { tokenBudget: 1024, maxRows: 16 });
    checkInvariants(input, plans, 1024, 16);
  });

  it('respects maxRows even when the budget would allow more rows', () => {
    const plans = planBatches([1, 1, 1, 1, 1, 1, 1], { tokenBudget: 1000, maxRows: 3 });
    expect(plans.map((p) => p.indices)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('gives a text longer than the budget a batch of its own', () => {
    const plans = planBatches([4, 50, 4, 4], { tokenBudget: 16 });
    expect(plans).toEqual([
      { indices: [0, 2, 3], length: 4 },
      { indices: [1], length: 50 },
    ]);
  });

  it('keeps equal lengths in caller order (stable), so the plan is deterministic', () => {
    const input = lengths(200, 42, 20);
    const first = planBatches(input, { tokenBudget: 64, maxRows: 8 });
    const second = planBatches([...input], { tokenBudget: 64, maxRows: 8 });
    expect(second).toEqual(first);
    expect(planBatches([3, 3, 3], { tokenBudget: 100 })).toEqual([{ indices: [0, 1, 2], length: 3 }]);
  });

  it('returns no batches for no texts', () => {
    expect(planBatches([], { tokenBudget: 10 })).toEqual([]);
  });

  it('rejects a token budget below 1', () => {
    expect(() => planBatches([1], { tokenBudget: 0 })).toThrow('tokenBudget must be ≥ 1, got 0');
    expect(() => planBatches([1], { tokenBudget: Number.NaN })).toThrow('tokenBudget must be ≥ 1');
  });
});
