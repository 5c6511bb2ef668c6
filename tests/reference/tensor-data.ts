/**
 * Raw initializer contents → float64, for every encoding the fixture (or onnxruntime's
 * exporters) may use: raw_data or typed fields, inline or in an external data file.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from './onnx-proto.js';
import type { OnnxTypes } from './onnx-proto.js';

const DT = onnx.TensorProto.DataType;

/** IEEE binary16 bits → number (independent of the generator's encoder). */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/**
 * Reads the byte range a tensor (or part of it) occupies in its external data file, and only
 * that range: a 4B export holds gigabytes in its chunks, and the streaming reference reads one
 * layer's weights or one embedding row at a time (issue 17).
 */
export class ExternalData {
  constructor(private readonly dir: string) {}

  /** `length` bytes (default: the rest of the tensor) from byte `from` of the tensor's data. */
  bytes(tensor: OnnxTypes.ITensorProto, from = 0, length?: number): Uint8Array {
    const entries = new Map((tensor.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
    const location = entries.get('location');
    if (location === undefined) throw new Error(`tensor ${tensor.name ?? '?'}: external data without a location`);
    const path = join(this.dir, location);
    const offset = Number(entries.get('offset') ?? '0');
    const tensorLength = entries.has('length') ? Number(entries.get('length')) : statSync(path).size - offset;
    const n = length ?? tensorLength - from;
    if (from < 0 || from + n > tensorLength)
      throw new Error(`tensor ${tensor.name ?? '?'}: bytes ${from}…${from + n} outside its ${tensorLength}`);
    const out = new Uint8Array(n);
    const fd = openSync(path, 'r');
    try {
      // readSync may return fewer bytes than asked (and reads at most 2 GiB at once): loop.
      for (let done = 0; done < n;) {
        const read = readSync(fd, out, done, Math.min(n - done, 1 << 30), offset + from + done);
        if (read === 0) throw new Error(`${location} ends before tensor ${tensor.name ?? '?'} does`);
        done += read;
      }
    } finally {
      closeSync(fd);
    }
    return out;
  }
}

const BYTES_PER_ELEMENT = new Map<number, number>([
  [DT.FLOAT, 4],
  [DT.FLOAT16, 2],
  [DT.INT8, 1],
  [DT.UINT8, 1],
]);

/** The raw bytes of elements [start, start + count), or undefined when the tensor uses typed fields. */
function rawBytes(
  tensor: OnnxTypes.ITensorProto,
  external: ExternalData,
  start: number,
  count: number,
): Uint8Array | undefined {
  const size = BYTES_PER_ELEMENT.get(tensor.dataType ?? -1) ?? 1;
  if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL)
    return external.bytes(tensor, start * size, count * size);
  return tensor.rawData && tensor.rawData.byteLength > 0
    ? tensor.rawData.subarray(start * size, (start + count) * size)
    : undefined;
}

export function elementCount(tensor: OnnxTypes.ITensorProto): number {
  return (tensor.dims ?? []).reduce<number>((n, d) => n * Number(d), 1);
}

/** Decodes FLOAT, FLOAT16, INT8 and UINT8 tensors to float64 (quantised ints as integers). */
export function tensorToFloat64(tensor: OnnxTypes.ITensorProto, external: ExternalData): Float64Array {
  return elementsToFloat64(tensor, external, 0, elementCount(tensor));
}

/**
 * Elements [start, start + count) of a tensor as float64, reading only their bytes: one row of
 * a [vocab, hidden] table is `elementsToFloat64(t, ext, id * hidden, hidden)`.
 */
export function elementsToFloat64(
  tensor: OnnxTypes.ITensorProto,
  external: ExternalData,
  start: number,
  count: number,
): Float64Array {
  const out = new Float64Array(count);
  const raw = rawBytes(tensor, external, start, count);
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  switch (tensor.dataType) {
    case DT.FLOAT:
      for (let i = 0; i < count; i++)
        out[i] = view ? view.getFloat32(i * 4, true) : (tensor.floatData?.[start + i] ?? NaN);
      break;
    case DT.FLOAT16:
      // Typed-field fp16 is stored as uint16 bits in int32_data.
      for (let i = 0; i < count; i++)
        out[i] = halfToNumber(view ? view.getUint16(i * 2, true) : (tensor.int32Data?.[start + i] ?? 0));
      break;
    case DT.INT8:
      for (let i = 0; i < count; i++) out[i] = view ? view.getInt8(i) : (tensor.int32Data?.[start + i] ?? NaN);
      break;
    case DT.UINT8:
      for (let i = 0; i < count; i++) out[i] = view ? view.getUint8(i) : (tensor.int32Data?.[start + i] ?? NaN);
      break;
    default:
      throw new Error(
        `tensor ${tensor.name ?? '?'}: data type ${String(tensor.dataType)} is not a weight type the reference reads`,
      );
  }
  return out;
}
