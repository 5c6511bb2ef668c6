/**
 * Just enough of the ONNX protobuf format to rewrite a graph without decoding its weights.
 *
 * A model file is one `ModelProto`; its weights sit in `GraphProto.initializer` as raw bytes,
 * hundreds of MB of them. A full decode/encode (onnx-proto, protobufjs) would copy every one.
 * Here a message is a list of fields, each a view into the file (`pbf` reads the wire format
 * without copying), so a rewrite re-encodes only what it changes and passes the rest through.
 * Field numbers are onnx.proto's (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto).
 */
import { PbfReader, PbfWriter } from 'pbf';

export const MODEL = { irVersion: 1, graph: 7, opsetImport: 8 } as const;
export const OPSET = { domain: 1, version: 2 } as const;
export const GRAPH = { node: 1, initializer: 5, input: 11, output: 12, valueInfo: 13 } as const;
export const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 } as const;
export const ATTRIBUTE = { name: 1, i: 3, ints: 8, type: 20 } as const;
export const ATTRIBUTE_TYPE = { INT: 2, INTS: 7, GRAPH: 5, GRAPHS: 10 } as const;
export const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9, externalData: 13, dataLocation: 14 } as const;
export const VALUE_INFO = { name: 1 } as const;
export const ENTRY = { key: 1, value: 2 } as const;
/** TensorProto.DataType values used here. */
export const DATA_TYPE = { FLOAT: 1, UINT8: 2, INT64: 7, BOOL: 9, FLOAT16: 10 } as const;
const LENGTH_DELIMITED = 2;

/** One field of a message: `whole` is its encoding (key included), `value` its payload. */
export interface WireField {
  tag: number;
  /** Wire type: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  type: number;
  /** The varint value for varint fields; 0 otherwise. */
  varint: number;
  value: Uint8Array;
  whole: Uint8Array;
}

/** The fields of one message, in file order, as views into `bytes`. */
export function fieldsOf(bytes: Uint8Array): WireField[] {
  const reader = new PbfReader(bytes);
  const fields: WireField[] = [];
  while (reader.pos < reader.length) {
    const start = reader.pos;
    const key = reader.readVarint();
    const tag = key >>> 3;
    const type = key & 7;
    let value: Uint8Array;
    let varint = 0;
    if (type === LENGTH_DELIMITED) {
      const length = reader.readVarint();
      value = bytes.subarray(reader.pos, reader.pos + length);
      reader.pos += length;
    } else if (type === 0) {
      varint = reader.readVarint(true);
      value = bytes.subarray(start, reader.pos);
    } else if (type === 1 || type === 5) {
      reader.pos += type === 1 ? 8 : 4;
      value = bytes.subarray(start, reader.pos);
    } else {
      throw new RangeError(
        `byte ${start} holds wire type ${type}, which no ONNX message uses: this is not an ONNX model`,
      );
    }
    if (reader.pos > bytes.length) throw new RangeError(`a field with tag ${tag} runs past the end of its message`);
    fields.push({ tag, type, varint, value, whole: bytes.subarray(start, reader.pos) });
  }
  return fields;
}

export function stringOf(field: WireField): string {
  return new TextDecoder().decode(field.value);
}

/** The strings of a repeated string field, in order. */
export function stringsOf(fields: readonly WireField[], tag: number): string[] {
  return fields.filter((field) => field.tag === tag).map(stringOf);
}

/** The values of a repeated int field (dims, ints), packed or not. */
export function intsOf(fields: readonly WireField[], tag: number): number[] {
  const values: number[] = [];
  for (const field of fields.filter((f) => f.tag === tag)) {
    if (field.type !== LENGTH_DELIMITED) {
      values.push(field.varint);
      continue;
    }
    const reader = new PbfReader(field.value);
    while (reader.pos < reader.length) values.push(reader.readVarint(true));
  }
  return values;
}

/** The first string of `tag`, or '' (proto3's default). */
export function firstString(fields: readonly WireField[], tag: number): string {
  const field = fields.find((f) => f.tag === tag);
  return field ? stringOf(field) : '';
}

/** A message being written: raw fields pass through as they were, new ones are encoded. */
export class MessageWriter {
  private readonly writer = new PbfWriter();

  raw(bytes: Uint8Array): this {
    this.writer.realloc(bytes.length);
    this.writer.buf.set(bytes, this.writer.pos);
    this.writer.pos += bytes.length;
    return this;
  }

  string(tag: number, value: string): this {
    this.writer.writeStringField(tag, value);
    return this;
  }

  varint(tag: number, value: number): this {
    this.writer.writeVarintField(tag, value);
    return this;
  }

  bytes(tag: number, value: Uint8Array): this {
    this.writer.writeBytesField(tag, value);
    return this;
  }

  finish(): Uint8Array {
    return this.writer.finish();
  }
}
