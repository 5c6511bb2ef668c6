import * as ort from 'onnxruntime-node';

/**
 * One row of `ids` for the tiny fixture's graph (3 layers, 2 KV heads of 32), with its mask,
 * positions and empty past key/values in the graph's float type.
 */
export function tinyFeeds(ids: readonly number[], half = false): Record<string, ort.Tensor> {
  const n = ids.length;
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
    position_ids: new ort.Tensor(
      'int64',
      BigInt64Array.from(ids, (_, i) => BigInt(i)),
      [1, n],
    ),
  };
  for (let layer = 0; layer < 3; layer++)
    for (const kind of ['key', 'value'])
      feeds[`past_key_values.${layer}.${kind}`] = half
        ? new ort.Tensor('float16', new Uint16Array(0), [1, 2, 0, 32])
        : new ort.Tensor('float32', new Float32Array(0), [1, 2, 0, 32]);
  return feeds;
}
