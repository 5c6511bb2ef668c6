/**
 * Raw initializer contents → float64, for every encoding the fixture (or onnxruntime's
 * exporters) may use: raw_data or typed fields, inline or in an external data file.
 */
import { readFileSync } from 'node:fs';
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

/** Reads external data files lazily and once per file. */
export class ExternalData {
  private readonly files = new Map<string, Uint8Array>();
  constructor(private readonly dir: string) {}

  bytes(tensor: OnnxTypes.ITensorProto): Uint8Array {
    const entries = new Map((tensor.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
    const location = entries.get('location');
    if (location === undefined) throw new Error(`tensor ${tensor.name ?? '?'}: external data without a location`);
    let file = this.files.get(location);
    if (file === undefined) {
      file = new Uint8Array(readFileSync(join(this.dir, location)));
      this.files.set(location, file);
    }
    const offset = Number(entries.get('offset') ?? '0');
    const length = entries.has('length') ? Number(entries.get('length')) : file.byteLength - offset;
    return file.subarray(offset, offset + length);
  }
}

function rawBytes(tensor: OnnxTypes.ITensorProto, external: ExternalData): Uint8Array | undefined {
  if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) return external.bytes(tensor);
  return tensor.rawData && tensor.rawData.byteLength > 0 ? tensor.rawData : undefined;
}

export function elementCount(tensor: OnnxTypes.ITensorProto): number {
  return (tensor.dims ?? []).reduce<number>((n, d) => n * Number(d), 1);
}

/** Decodes FLOAT, FLOAT16, INT8 and UINT8 tensors to float64 (quantised ints as integers). */
export function tensorToFloat64(tensor: OnnxTypes.ITensorProto, external: ExternalData): Float64Array {
  const count = elementCount(tensor);
  const out = new Float64Array(count);
  const raw = rawBytes(tensor, external);
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  switch (tensor.dataType) {
    case DT.FLOAT:
      for (let i = 0; i < count; i++) out[i] = view ? view.getFloat32(i * 4, true) : (tensor.floatData?.[i] ?? NaN);
      break;
    case DT.FLOAT16:
      // Typed-field fp16 is stored as uint16 bits in int32_data.
      for (let i = 0; i < count; i++)
        out[i] = halfToNumber(view ? view.getUint16(i * 2, true) : (tensor.int32Data?.[i] ?? 0));
      break;
    case DT.INT8:
      for (let i = 0; i < count; i++) out[i] = view ? view.getInt8(i) : (tensor.int32Data?.[i] ?? NaN);
      break;
    case DT.UINT8:
      for (let i = 0; i < count; i++) out[i] = view ? view.getUint8(i) : (tensor.int32Data?.[i] ?? NaN);
      break;
    default:
      throw new Error(
        `tensor ${tensor.name ?? '?'}: data type ${String(tensor.dataType)} is not a weight type the reference reads`,
      );
  }
  return out;
}
