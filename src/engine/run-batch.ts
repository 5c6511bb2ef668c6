import type { Tensor } from 'onnxruntime-common';
import { float16ToFloat32 } from '../core/float16.ts';
import { lastTokenRows } from '../core/last-token.ts';
import type { PaddedBatch } from '../core/left-pad.ts';
import type { ModelSpec } from '../core/model-config.ts';
import type { ModelRunner } from './load-model.ts';
import type { OrtRuntime } from './runtime.ts';

export interface BatchOutput {
  rows: Float32Array[];
  /** Bytes onnxruntime copied back to JavaScript for this batch. */
  bytesReadBack: number;
}

/** Feeds one padded batch through the session and returns each row's last hidden state. */
export async function runBatch(
  runtime: OrtRuntime,
  runner: ModelRunner,
  spec: ModelSpec,
  batch: PaddedBatch,
): Promise<BatchOutput> {
  const { session, lastToken, signature } = runner;
  const { Tensor: OrtTensor } = runtime;
  const shape = [batch.rows, batch.length];
  const index = (values: BigInt64Array): Tensor =>
    signature.indexType === 'int32'
      ? new OrtTensor('int32', Int32Array.from(values, Number), shape)
      : new OrtTensor('int64', values, shape);
  const feeds: Record<string, Tensor> = {
    input_ids: index(batch.inputIds),
    attention_mask: index(batch.attentionMask),
  };
  if (signature.positionIds) feeds['position_ids'] = index(batch.positionIds);
  // No cache: the past is empty, [rows, kv_heads, 0, head_dim].
  const pastShape = [batch.rows, spec.numKeyValueHeads, 0, spec.headDim];
  for (const name of signature.pastInputs) {
    feeds[name] =
      signature.pastType === 'float16'
        ? new OrtTensor('float16', new Uint16Array(0), pastShape)
        : new OrtTensor('float32', new Float32Array(0), pastShape);
  }
  // Asking for the hidden state alone keeps the present.* outputs from being copied back.
  const results = await session.run(feeds, [signature.output]);
  let hidden = results[signature.output];
  if (!hidden) throw new Error(`session returned no ${signature.output}`);
  if (lastToken) {
    // The state is still on the GPU: gather the last position there, free the rest unread.
    const onDevice = hidden;
    try {
      hidden = (await lastToken.run({ hidden: onDevice }, ['last']))['last'];
    } finally {
      onDevice.dispose();
    }
    if (!hidden) throw new Error('the last-token graph returned nothing');
  }
  try {
    const data = hidden.data;
    const bytesReadBack = ArrayBuffer.isView(data) ? data.byteLength : 0;
    // float16 arrives as raw Uint16Array bits, or as Float16Array where the browser has one.
    if (data instanceof Float32Array) return { rows: lastTokenRows(data, hidden.dims), bytesReadBack };
    if (data instanceof Uint16Array)
      return { rows: lastTokenRows(data, hidden.dims).map(float16ToFloat32), bytesReadBack };
    // Any other numeric array (Float16Array where the browser has one): read as numbers.
    if (ArrayBuffer.isView(data) && !(data instanceof DataView) && !(data instanceof BigInt64Array)) {
      // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- a numeric typed array TS's lib does not name (Float16Array)
      return { rows: lastTokenRows(Float32Array.from(data as ArrayLike<number>), hidden.dims), bytesReadBack };
    }
    throw new Error(`the hidden state is ${hidden.type}, not a float tensor`);
  } finally {
    hidden.dispose();
  }
}
