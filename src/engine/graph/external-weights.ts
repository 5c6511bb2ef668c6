/**
 * Moves a graph's inline weights out of the graph message without copying them: each large
 * initializer becomes an external-data reference (location, offset, length) into the ORIGINAL
 * file's bytes, which are handed to onnxruntime as that "external file".
 *
 * Why: onnxruntime-web copies the model bytes into the wasm heap, parses them (protobuf copies
 * every raw_data string again) and only then builds the weight tensors, so an inline model
 * costs several times its size at load. With the weights external, the heap gets a graph of a
 * few hundred KB and each tensor is filled straight from our bytes (issue 13, load memory).
 * It also lets a rewritten graph (row-quantization.ts) be re-encoded in kilobytes instead of
 * copying the whole file.
 */
import { ENTRY, fieldsOf, MessageWriter, TENSOR, type WireField } from './onnx-wire.ts';

/** Smaller initializers (scalars, shapes, norms) stay inline: not worth a reference each. */
export const INLINE_LIMIT_BYTES = 1024;

/** The initializer rewritten to point at `location` (the whole file's bytes), or undefined when it stays as it is. */
export function externalised(initializer: WireField, file: Uint8Array, location: string): Uint8Array | undefined {
  const fields = fieldsOf(initializer.value);
  const raw = fields.find((field) => field.tag === TENSOR.rawData);
  if (!raw || raw.value.length < INLINE_LIMIT_BYTES) return undefined;
  if (raw.value.buffer !== file.buffer) throw new RangeError('an initializer is not a view into the model file');
  const offset = raw.value.byteOffset - file.byteOffset;
  const tensor = new MessageWriter();
  for (const field of fields) {
    if (field.tag !== TENSOR.rawData && field.tag !== TENSOR.dataLocation && field.tag !== TENSOR.externalData) tensor.raw(field.whole);
  }
  for (const [key, value] of [['location', location], ['offset', String(offset)], ['length', String(raw.value.length)]] as const) {
    tensor.bytes(TENSOR.externalData, new MessageWriter().string(ENTRY.key, key).string(ENTRY.value, value).finish());
  }
  return tensor.varint(TENSOR.dataLocation, 1).finish();
}
