/**
 * Test inputs built the way the runtime must build them (left padding, positions =
 * max(cumsum(mask) - 1, 0)), written out independently here so the numerics test does not
 * trust the code under test to prepare its own inputs.
 */
export const EOS_ID = 151643;

/** Deterministic pseudo-random token ids (below the special tokens), each row ending in EOS. */
export function testSequences(lengths: readonly number[], seed = 7): number[][] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
  return lengths.map((len) => [...Array.from({ length: len - 1 }, () => next() % EOS_ID), EOS_ID]);
}

export interface PaddedBatch {
  batch: number;
  total: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  positionIds: BigInt64Array;
}

export function leftPaddedBatch(rows: readonly (readonly number[])[], padId = EOS_ID): PaddedBatch {
  const total = Math.max(...rows.map((r) => r.length));
  const batch = rows.length;
  const inputIds = new BigInt64Array(batch * total).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(batch * total);
  const positionIds = new BigInt64Array(batch * total);
  rows.forEach((row, b) => {
    const pad = total - row.length;
    let seen = 0;
    for (let t = 0; t < total; t++) {
      const real = t >= pad;
      if (real) {
        inputIds[b * total + t] = BigInt(row[t - pad] ?? padId);
        attentionMask[b * total + t] = 1n;
        seen += 1;
      }
      positionIds[b * total + t] = BigInt(Math.max(seen - 1, 0));
    }
  });
  return { batch, total, inputIds, attentionMask, positionIds };
}

/** Hidden state of the last position of every row of a [batch, total, hidden] output. */
export function lastPositions(
  hidden: ArrayLike<number>,
  batch: number,
  total: number,
  hiddenSize: number,
): Float64Array[] {
  return Array.from({ length: batch }, (_, b) => {
    const start = (b * total + total - 1) * hiddenSize;
    return Float64Array.from({ length: hiddenSize }, (_, c) => hidden[start + c] ?? NaN);
  });
}
