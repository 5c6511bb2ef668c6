/**
 * Hands a graph's inline weights to onnxruntime without copying them: each large initializer
 * becomes an external-data reference (location, offset, length) into the ORIGINAL file, which
 * onnxruntime is given as that "external file": the very bytes we read, or the file as a Blob,
 * from which onnxruntime-web's JSPI build reads each tensor's slice itself.
 *
 * Why: onnxruntime-web copies the model message into the wasm heap, parses it (protobuf copies
 * every raw_data string again) and only then builds the weight tensors, so an inline model cost
 * about 4× its size at load (bench/archive/load-memory.md). With the weights external, the heap gets a
 * graph of a few hundred KB and each tensor is filled straight from the file (issue 13). It also
 * lets a rewritten graph (row-quantization.ts) be encoded in kilobytes.
 */
import type { LargeInitializer } from './onnx-model.ts';
import { ENTRY, MessageWriter, TENSOR } from './onnx-wire.ts';

/** The initializer as a reference into `location`, or undefined when it has no raw bytes to move. */
export function externalised(initializer: LargeInitializer, location: string): Uint8Array | undefined {
  if (!initializer.raw) return undefined;
  const tensor = new MessageWriter();
  for (const field of initializer.header) {
    if (field.tag !== TENSOR.dataLocation && field.tag !== TENSOR.externalData) tensor.raw(field.whole);
  }
  for (const [key, value] of [
    ['location', location],
    ['offset', String(initializer.raw.offset)],
    ['length', String(initializer.raw.length)],
  ] as const) {
    tensor.bytes(TENSOR.externalData, new MessageWriter().string(ENTRY.key, key).string(ENTRY.value, value).finish());
  }
  return tensor.varint(TENSOR.dataLocation, 1).finish();
}
