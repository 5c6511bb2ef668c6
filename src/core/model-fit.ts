import { EmbedError } from './errors.ts';
import type { Dtype } from './choices.ts';
import type { AdapterSummary, DeviceName } from './types.ts';

/**
 * Whether a model can be held by this device, decided before any weight byte is fetched, from
 * plain data: the model's shapes (config.json), its file sizes (the load's plan, or an estimate
 * from the shapes), the WebGPU adapter's limits and `navigator.deviceMemory`. The load refuses
 * with MODEL_TOO_LARGE when it cannot (engine/load-model.ts); the demo and the widget offer the
 * 4B only where it can (`knownModelFits`).
 *
 * The limits, and why each one binds:
 *  - WebGPU, one tensor: every weight is one GPU buffer bound whole to a shader, so the largest
 *    tensor must fit `maxBufferSize` and `maxStorageBufferBindingSize`. The embedding table does
 *    not count: it is split into row blocks under those limits (engine/graph/split-gather.ts); the
 *    largest weight left is an MLP matrix (intermediate × hidden).
 *  - WASM: onnxruntime-web's wasm is wasm32 (onnxruntime-node's 'cpu' has no such bound), so every weight the CPU runs on lives in one heap of at
 *    most 4 GiB, beside the activations and the arena (WASM_MARGIN_BYTES).
 *  - Memory: the whole model stays resident (GPU memory or the heap) as long as the session; a
 *    device reporting `navigator.deviceMemory` (GiB, rounded down, capped by the browser) must
 *    have at least twice the weights, so the page, the browser and the OS keep the rest.
 *
 * SwiftShader in headless Chromium 156 here (the e2e suite's WebGPU), read from
 * `navigator.gpu.requestAdapter()`: maxBufferSize 1073741824 and maxStorageBufferBindingSize
 * 1073741824 (1 GiB each), no `shader-f16`, `navigator.deviceMemory` 16.
 */

/** The shapes of a Qwen3 model that decide its weights' sizes (config.json). */
export interface ModelShape {
  hiddenSize: number;
  numLayers: number;
  intermediateSize: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  headDim: number;
  /** Rows of the embedding table; undefined when config.json does not say. */
  vocabSize: number | undefined;
}

export interface ModelNeeds {
  /** Bytes of every weight file (graph and external data): what stays resident. */
  weightBytes: number;
  /** The largest tensor that cannot be split (an MLP matrix), in bytes. */
  largestTensorBytes: number;
  /** The embedding table, in bytes (split on WebGPU); 0 when the vocabulary is unknown. */
  tableBytes: number;
}

/** Where the model would run. */
export interface DeviceRoom {
  device: DeviceName;
  /** The WebGPU adapter (its limits), on 'webgpu'. */
  adapter: AdapterSummary | undefined;
  /** `navigator.deviceMemory` in GiB, where the browser tells it. */
  deviceMemoryGiB: number | undefined;
}

export type FitVerdict =
  | { fits: true }
  | {
      fits: false;
      /** The limit that binds, by its name, e.g. `maxStorageBufferBindingSize`. */
      limit: string;
      neededBytes: number;
      limitBytes: number;
      /** One sentence: what needs what, against which limit. */
      reason: string;
    };

/** onnxruntime-web's wasm32 heap: at most 4 GiB (its builds set MAXIMUM_MEMORY to 4 GiB). */
export const WASM_HEAP_BYTES = 4 * 2 ** 30;
/** Kept free in that heap for activations and onnxruntime's arena: a batch of 8192 tokens at hidden 2560 in float32 is 84 MB per live tensor. */
export const WASM_MARGIN_BYTES = 512 * 2 ** 20;
/** The weights may take at most this share of `navigator.deviceMemory`. */
export const DEVICE_MEMORY_SHARE = 0.5;

/** Bytes per embedding-table element in the transformers.js exports: q4/bnb4 keep it float32, the f16 ones float16, q8 quantises it to 8 bits. */
const TABLE_ELEMENT_BYTES: Record<Dtype, number> = {
  fp32: 4,
  q4: 4,
  bnb4: 4,
  fp16: 2,
  q4f16: 2,
  q8: 1,
  int8: 1,
  uint8: 1,
};

/**
 * Bytes per matrix weight: 4-bit blocks of 32 carry a scale (float32 for q4, float16 for q4f16)
 * and a packed zero point; an estimate (±10 %) used only where no file size is known.
 */
const WEIGHT_BYTES: Record<Dtype, number> = {
  fp32: 4,
  fp16: 2,
  q8: 1,
  int8: 1,
  uint8: 1,
  q4: 20.5 / 32,
  q4f16: 18.5 / 32,
  bnb4: 18.5 / 32,
};

/** Bytes of the largest matrix as stored: 4-bit weights pack two to a byte (MatMulNBits), scales aside. */
const PACKED_WEIGHT_BYTES: Record<Dtype, number> = { ...WEIGHT_BYTES, q4: 0.5, q4f16: 0.5, bnb4: 0.5 };

/** What a model with these shapes needs; `weightBytes` from the files when known (the plan), else estimated. */
export function modelNeeds(shape: ModelShape, dtype: Dtype, weightBytes?: number): ModelNeeds {
  const { hiddenSize: hidden, headDim } = shape;
  const tableBytes = (shape.vocabSize ?? 0) * hidden * TABLE_ELEMENT_BYTES[dtype];
  const attention = 2 * hidden * shape.numAttentionHeads * headDim + 2 * hidden * shape.numKeyValueHeads * headDim;
  const mlp = 3 * hidden * shape.intermediateSize;
  const estimated = tableBytes + shape.numLayers * (attention + mlp) * WEIGHT_BYTES[dtype];
  const largest = Math.max(shape.intermediateSize * hidden, shape.numAttentionHeads * headDim * hidden);
  return {
    weightBytes: weightBytes ?? Math.round(estimated),
    largestTensorBytes: Math.ceil(largest * PACKED_WEIGHT_BYTES[dtype]),
    tableBytes,
  };
}

/**
 * @example
 *   modelFit(modelNeeds(QWEN3_EMBEDDING.find(m => m.label === '4B').shape, 'q4'), { device: 'wasm', adapter: undefined, deviceMemoryGiB: 8 })
 *   // { fits: false, limit: 'the WASM heap', neededBytes: 3.9e9 + margin, limitBytes: 4294967296, reason: '…' }
 */
export function modelFit(needs: ModelNeeds, room: DeviceRoom): FitVerdict {
  if (room.device === 'webgpu' && room.adapter) {
    const { maxBufferSize, maxStorageBufferBindingSize } = room.adapter;
    const [limit, limitBytes] =
      maxStorageBufferBindingSize <= maxBufferSize
        ? (['maxStorageBufferBindingSize', maxStorageBufferBindingSize] as const)
        : (['maxBufferSize', maxBufferSize] as const);
    if (needs.largestTensorBytes > limitBytes)
      return {
        fits: false,
        limit,
        neededBytes: needs.largestTensorBytes,
        limitBytes,
        reason: `its largest weight matrix is ${mb(needs.largestTensorBytes)} in one GPU buffer, but this adapter's ${limit} is ${mb(limitBytes)}`,
      };
  } else if (room.device === 'wasm') {
    const neededBytes = needs.weightBytes + WASM_MARGIN_BYTES;
    if (neededBytes > WASM_HEAP_BYTES)
      return {
        fits: false,
        limit: 'the WASM heap',
        neededBytes,
        limitBytes: WASM_HEAP_BYTES,
        reason: `its weights (${mb(needs.weightBytes)}) and a working margin of ${mb(WASM_MARGIN_BYTES)} must sit in onnxruntime-web's wasm32 heap of at most ${mb(WASM_HEAP_BYTES)}`,
      };
  }
  if (room.deviceMemoryGiB !== undefined) {
    const limitBytes = room.deviceMemoryGiB * 2 ** 30 * DEVICE_MEMORY_SHARE;
    if (needs.weightBytes > limitBytes)
      return {
        fits: false,
        limit: 'navigator.deviceMemory',
        neededBytes: needs.weightBytes,
        limitBytes,
        reason: `its weights (${mb(needs.weightBytes)}) stay resident, and this device reports ${room.deviceMemoryGiB} GiB of memory (navigator.deviceMemory), of which at most half (${mb(limitBytes)}) is theirs`,
      };
  }
  return { fits: true };
}

export interface KnownModel {
  id: string;
  label: string;
  shape: ModelShape;
}

/** The Qwen3-Embedding exports tabembed offers by name, smallest first (shapes from their config.json). */
export const QWEN3_EMBEDDING: readonly KnownModel[] = [
  {
    id: 'onnx-community/Qwen3-Embedding-0.6B-ONNX',
    label: '0.6B',
    shape: {
      hiddenSize: 1024,
      numLayers: 28,
      intermediateSize: 3072,
      numAttentionHeads: 16,
      numKeyValueHeads: 8,
      headDim: 128,
      vocabSize: 151669,
    },
  },
  {
    id: 'onnx-community/Qwen3-Embedding-4B-ONNX',
    label: '4B',
    shape: {
      hiddenSize: 2560,
      numLayers: 36,
      intermediateSize: 9728,
      numAttentionHeads: 32,
      numKeyValueHeads: 8,
      headDim: 128,
      vocabSize: 151665,
    },
  },
];

/** The largest known model smaller than `hiddenSize` that fits `room` in `dtype`, if any. */
export function smallerModelThatFits(hiddenSize: number, dtype: Dtype, room: DeviceRoom): KnownModel | undefined {
  return QWEN3_EMBEDDING.filter(
    (model) => model.shape.hiddenSize < hiddenSize && modelFit(modelNeeds(model.shape, dtype), room).fits,
  ).at(-1);
}

/** The MODEL_TOO_LARGE message: what does not fit, the limit and both numbers, and what would. */
export function tooLargeMessage(
  what: string,
  verdict: Exclude<FitVerdict, { fits: true }>,
  smaller: KnownModel | undefined,
): string {
  const instead = smaller
    ? `; ${smaller.id} (Qwen3-Embedding-${smaller.label}) would fit`
    : '; no smaller Qwen3-Embedding model fits either';
  return `${what} does not fit this device: ${verdict.reason} (${verdict.limit}: needs ${verdict.neededBytes} bytes, has ${Math.floor(verdict.limitBytes)})${instead}`;
}

export interface KnownModelFit {
  model: KnownModel;
  /** Undefined when it fits; else why not, in one sentence. */
  whyNot: string | undefined;
}

/**
 * The known models a page may offer on this device, each with why not where it cannot hold it
 * (estimated sizes: nothing is fetched). The device is the one the load would take.
 */
export function knownModelFits(dtype: Dtype, room: DeviceRoom): KnownModelFit[] {
  return QWEN3_EMBEDDING.map((model) => {
    const verdict = modelFit(modelNeeds(model.shape, dtype), room);
    return { model, whyNot: verdict.fits ? undefined : `${verdict.reason} (${verdict.limit})` };
  });
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * The load's check, on the plan's file sizes: throws MODEL_TOO_LARGE naming the limit, the bytes
 * needed and the smaller model that would fit.
 */
export function checkModelFits(
  what: string,
  shape: ModelShape,
  dtype: Dtype,
  room: DeviceRoom,
  weightBytes: number,
): void {
  const verdict = modelFit(modelNeeds(shape, dtype, weightBytes), room);
  if (!verdict.fits)
    throw new EmbedError(
      'MODEL_TOO_LARGE',
      tooLargeMessage(
        `${what} (${dtype}, on ${room.device})`,
        verdict,
        smallerModelThatFits(shape.hiddenSize, dtype, room),
      ),
    );
}

/** Why WASM cannot hold this model (the probe and the fallback are then skipped), or undefined when it can. */
export function wasmRefusal(
  shape: ModelShape,
  dtype: Dtype,
  room: DeviceRoom,
  weightBytes: number,
): string | undefined {
  const verdict = modelFit(modelNeeds(shape, dtype, weightBytes), { ...room, device: 'wasm' });
  return verdict.fits ? undefined : `${verdict.reason} (${verdict.limit})`;
}
