/*
 * Batch planning. Texts are sorted by token count so that rows of similar length share a batch
 * (little padding), then cut into batches whose padded size, rows × longest row, stays under a
 * token budget. One text longer than the budget still gets a batch of its own.
 */

/** One batch: which texts run together, and their padded length. */
export interface BatchPlan {
  /** Indices into the caller's list, in the order they run. */
  indices: number[];
  /** Longest sequence in the batch: the padded length. */
  length: number;
}

export interface PlanLimits {
  /** Upper bound on rows × padded length for one session.run. */
  tokenBudget: number;
  /** Upper bound on rows per batch, whatever the budget. */
  maxRows?: number;
}

export function planBatches(lengths: readonly number[], limits: PlanLimits): BatchPlan[] {
  const { tokenBudget, maxRows = Number.POSITIVE_INFINITY } = limits;
  if (!(tokenBudget >= 1)) throw new Error(`tokenBudget must be ≥ 1, got ${tokenBudget}`);
  const order = lengths.map((_, i) => i).sort((a, b) => (lengths[a] ?? 0) - (lengths[b] ?? 0) || a - b);
  const batches: BatchPlan[] = [];
  let current: BatchPlan | undefined;
  for (const index of order) {
    const length = lengths[index] ?? 0;
    // Sorted ascending, so adding this row makes it the longest: rows × length is the new cost.
    if (current && current.indices.length < maxRows && (current.indices.length + 1) * length <= tokenBudget) {
      current.indices.push(index);
      current.length = length;
    } else {
      current = { indices: [index], length };
      batches.push(current);
    }
  }
  return batches;
}
