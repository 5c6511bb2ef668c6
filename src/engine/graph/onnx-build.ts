/**
 * Encoders for the few ONNX messages the rewrites in this folder write: nodes, attributes, and
 * tensors inline or as references into an external file (field numbers in onnx-wire.ts).
 */
import { ATTRIBUTE, ATTRIBUTE_TYPE, ENTRY, MessageWriter, NODE, TENSOR } from './onnx-wire.ts';

export function nodeProto(
  opType: string,
  inputs: string[],
  outputs: string[],
  name: string,
  attributes: Uint8Array[] = [],
): Uint8Array {
  const node = new MessageWriter();
  for (const input of inputs) node.string(NODE.input, input);
  for (const output of outputs) node.string(NODE.output, output);
  node.string(NODE.name, name).string(NODE.opType, opType);
  for (const attribute of attributes) node.bytes(NODE.attribute, attribute);
  return node.finish();
}

export function intAttribute(name: string, value: number): Uint8Array {
  return new MessageWriter()
    .string(ATTRIBUTE.name, name)
    .varint(ATTRIBUTE.i, value)
    .varint(ATTRIBUTE.type, ATTRIBUTE_TYPE.INT)
    .finish();
}

export function intsAttribute(name: string, values: number[]): Uint8Array {
  const attribute = new MessageWriter().string(ATTRIBUTE.name, name);
  for (const value of values) attribute.varint(ATTRIBUTE.ints, value);
  return attribute.varint(ATTRIBUTE.type, ATTRIBUTE_TYPE.INTS).finish();
}

export function tensorProto(name: string, dataType: number, dims: number[], raw: Uint8Array): Uint8Array {
  const tensor = new MessageWriter();
  for (const dim of dims) tensor.varint(TENSOR.dims, dim);
  return tensor.varint(TENSOR.dataType, dataType).string(TENSOR.name, name).bytes(TENSOR.rawData, raw).finish();
}

/** A tensor whose bytes lie at [offset, offset + length) of the external file `location`. */
export function externalTensor(
  name: string,
  dataType: number,
  dims: number[],
  location: string,
  offset: number,
  length: number,
): Uint8Array {
  const tensor = new MessageWriter();
  for (const dim of dims) tensor.varint(TENSOR.dims, dim);
  tensor.varint(TENSOR.dataType, dataType).string(TENSOR.name, name);
  for (const [key, value] of [
    ['location', location],
    ['offset', String(offset)],
    ['length', String(length)],
  ] as const) {
    tensor.bytes(TENSOR.externalData, new MessageWriter().string(ENTRY.key, key).string(ENTRY.value, value).finish());
  }
  return tensor.varint(TENSOR.dataLocation, 1).finish();
}
