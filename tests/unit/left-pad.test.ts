import { describe, expect, it } from 'vitest';
import { leftPad } from '../../src/core/left-pad.ts';

const PAD = 151643;

describe('leftPad', () => {
  it('pads on the left with the pad id, masks pads 0 and tokens 1, and counts positions from each first token', () => {
    const batch = leftPad(
      [
        [7, PAD],
        [1, 2, 3, PAD],
      ],
      PAD,
    );
    expect(batch.rows).toBe(2);
    expect(batch.length).toBe(4);
    expect(batch.inputIds).toEqual(new BigInt64Array([151643n, 151643n, 7n, 151643n, 1n, 2n, 3n, 151643n]));
    expect(batch.attentionMask).toEqual(new BigInt64Array([0n, 0n, 1n, 1n, 1n, 1n, 1n, 1n]));
    // cumsum(mask) - 1 = [-1, -1, 0, 1 | 0, 1, 2, 3], pads clamped to 0.
    expect(batch.positionIds).toEqual(new BigInt64Array([0n, 0n, 0n, 1n, 0n, 1n, 2n, 3n]));
  });

  it('uses the given pad id, not a hard-coded one', () => {
    const batch = leftPad([[5], [6, 7, 8]], 0);
    expect(batch.inputIds).toEqual(new BigInt64Array([0n, 0n, 5n, 6n, 7n, 8n]));
    expect(batch.attentionMask).toEqual(new BigInt64Array([0n, 0n, 1n, 1n, 1n, 1n]));
    expect(batch.positionIds).toEqual(new BigInt64Array([0n, 0n, 0n, 0n, 1n, 2n]));
  });

  it('puts every row last token in the final column', () => {
    const batch = leftPad([[1, 2, 99], [99], [3, 4, 5, 6, 99]], PAD);
    for (let row = 0; row < batch.rows; row++) expect(batch.inputIds[row * batch.length + batch.length - 1]).toBe(99n);
  });

  it('leaves a batch of equal lengths unpadded', () => {
    const batch = leftPad(
      [
        [1, 2],
        [3, 4],
      ],
      PAD,
    );
    expect(batch.inputIds).toEqual(new BigInt64Array([1n, 2n, 3n, 4n]));
    expect(batch.attentionMask).toEqual(new BigInt64Array([1n, 1n, 1n, 1n]));
    expect(batch.positionIds).toEqual(new BigInt64Array([0n, 1n, 0n, 1n]));
  });
});
