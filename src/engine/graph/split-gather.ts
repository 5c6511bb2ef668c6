/**
 * Splits a large embedding table into row blocks, each its own external initializer, and the
 * `Gather` that reads it into one `Gather` per block whose rows are kept where the id falls in
 * that block. The values are selected, never computed, so every vector is bit for bit the one
 * the unsplit graph gives.
 *
 * Why, twice:
 *  - Staging. onnxruntime-web 1.30's JSPI build reads each external tensor from a Blob into a
 *    JavaScript staging buffer the size of the largest tensor read so far, kept until the session
 *    exists (its `ortWasmThreaded` loader: `Module.D`, freed by `unmountExternalData`), then copies
 *    it into the WASM heap (a CPU tensor) or, for the WebGPU EP, through a mapped GPU buffer of the
 *    tensor's size into the tensor's GPU buffer (never the WASM heap). Qwen3-0.6B's float32
 *    embedding table is 621 MB, 0.72× of the q4 file, so that one buffer put the load's peak at
 *    ~1.9× the file (measured, bench/archive/load-memory.md); in blocks of ≤ 32 MB the buffer stays
 *    ≤ 32 MB. From bytes onnxruntime copies without staging, so this reason holds for a Blob only.
 *  - Bindings. On WebGPU every weight is one GPU buffer bound whole to a shader: a table larger
 *    than the adapter's maxBufferSize or maxStorageBufferBindingSize cannot be created at all.
 *    Qwen3-Embedding-4B's q4 table (151665 × 2560 float32) is 1553 MB; SwiftShader allows 1 GiB.
 */
import { externalTensor, intAttribute, intsAttribute, nodeProto, tensorProto } from './onnx-build.ts';
import { consumersOf, isLarge, type GraphNode, type LargeInitializer, type ModelView } from './onnx-model.ts';
import { DATA_TYPE, firstString, intsOf, TENSOR } from './onnx-wire.ts';

/** Largest block of rows, in bytes (the staging buffer's bound). */
export const GATHER_BLOCK_BYTES = 32 << 20;
/** Unsqueeze takes `axes` as an input from opset 13. */
const AXES_AS_INPUT_OPSET = 13;
const ELEMENT_BYTES: Partial<Record<number, number>> = { [DATA_TYPE.FLOAT]: 4, [DATA_TYPE.FLOAT16]: 2 };

export interface GatherSplit {
  node: GraphNode;
  table: LargeInitializer;
  name: string;
  dataType: number;
  rows: number;
  width: number;
  /** First row of each block; block k holds rows [starts[k], starts[k + 1]). */
  starts: number[];
  /** Bytes of the first (largest) block. */
  largestBlockBytes: number;
}

/**
 * The block bound for one load, or undefined when no table needs splitting: `stagedBytes` (32 MB)
 * when onnxruntime stages reads from a Blob, the adapter's binding limit on WebGPU, the smaller
 * when both hold.
 *
 * @example gatherBlockBytes(false, 2 ** 30) // 1073741824; gatherBlockBytes(true, 2 ** 30) // 33554432
 */
export function gatherBlockBytes(
  staged: boolean,
  gpuBindingBytes: number | undefined,
  stagedBytes = GATHER_BLOCK_BYTES,
): number | undefined {
  const bounds = [...(staged ? [stagedBytes] : []), ...(gpuBindingBytes === undefined ? [] : [gpuBindingBytes])];
  return bounds.length > 0 ? Math.min(...bounds) : undefined;
}

/** The Gathers over a 2-D float table larger than one block, whose table nothing else reads. */
export function planGatherSplits(model: ModelView, blockBytes = GATHER_BLOCK_BYTES): GatherSplit[] {
  if (model.opset === undefined || model.nodes.some((node) => node.hasSubgraph)) return [];
  const tables = new Map(
    model.graphFields.filter(isLarge).map((field) => [firstString(field.header, TENSOR.name), field] as const),
  );
  const uses = consumersOf(model.nodes);
  const splits: GatherSplit[] = [];
  for (const node of model.nodes) {
    const name = node.inputs[0] ?? '';
    const table = tables.get(name);
    if (node.opType !== 'Gather' || (node.domain !== '' && node.domain !== 'ai.onnx') || !table?.raw) continue;
    if ((uses.get(name) ?? []).length !== 1 || model.outputs.has(name)) continue;
    const dims = intsOf(table.header, TENSOR.dims);
    const dataType = intsOf(table.header, TENSOR.dataType)[0] ?? 0;
    const element = ELEMENT_BYTES[dataType];
    const [rows = 0, width = 0] = dims;
    const axis = node.ints.get('axis') ?? 0;
    if (
      dims.length !== 2 ||
      (axis !== 0 && axis !== -2) ||
      element === undefined ||
      rows * width * element !== table.raw.length
    )
      continue;
    const blockRows = Math.max(1, Math.floor(blockBytes / (width * element)));
    if (blockRows >= rows) continue;
    const starts = Array.from({ length: Math.ceil(rows / blockRows) }, (_, k) => k * blockRows);
    splits.push({ node, table, name, dataType, rows, width, starts, largestBlockBytes: blockRows * width * element });
  }
  return splits;
}

/** The block initializers that replace the table, as references into `location`. */
export function blockTensors(split: GatherSplit, location: string): Uint8Array[] {
  const offset = split.table.raw?.offset ?? 0;
  return split.starts.map((start, k) => blockTensor(split, k, location, offset + start * rowBytes(split)));
}

/** Block k's initializer, a reference to its rows at `offset` of `location` (the packer moves blocks into chunks). */
export function blockTensor(split: GatherSplit, k: number, location: string, offset: number): Uint8Array {
  const rows = blockRows(split, k);
  return externalTensor(
    blockName(split, k),
    split.dataType,
    [rows, split.width],
    location,
    offset,
    rows * rowBytes(split),
  );
}

/** Bytes of one row of the table. */
export function rowBytes(split: GatherSplit): number {
  return split.table.raw ? split.table.raw.length / split.rows : 0;
}

/** Rows in block k. */
export function blockRows(split: GatherSplit, k: number): number {
  return (split.starts[k + 1] ?? split.rows) - (split.starts[k] ?? 0);
}

/**
 * The nodes and constants that replace the Gather: per block k,
 *   local = ids − start_k;  inside = (local > −1) ∧ (local < rows_k)
 *   part_k = Where(Unsqueeze(inside, −1), Gather(block_k, Where(inside, local, 0)), 0)
 * and the output is Sum(part_k): exactly one part holds the row, the others are zeros.
 */
export function splitGatherNodes(
  split: GatherSplit,
  opset: number,
): { nodes: Uint8Array[]; initializers: Uint8Array[] } {
  const out = split.node.outputs[0] ?? '';
  const at = (step: string): string => `${out}/split_gather/${step}`;
  const int64 = (value: number): Uint8Array => new Uint8Array(BigInt64Array.of(BigInt(value)).buffer);
  const initializers = [
    tensorProto(at('minus_one'), DATA_TYPE.INT64, [], int64(-1)),
    tensorProto(at('zero_index'), DATA_TYPE.INT64, [], int64(0)),
    tensorProto(at('zero'), split.dataType, [], new Uint8Array(ELEMENT_BYTES[split.dataType] ?? 4)),
    tensorProto(at('last_axis'), DATA_TYPE.INT64, [1], int64(-1)),
  ];
  const nodes = [
    nodeProto('Cast', [split.node.inputs[1] ?? ''], [at('ids')], at('Cast'), [intAttribute('to', DATA_TYPE.INT64)]),
  ];
  const parts: string[] = [];
  split.starts.forEach((start, k) => {
    const rows = blockRows(split, k);
    const step = (what: string): string => at(`${k}/${what}`);
    initializers.push(
      tensorProto(step('start'), DATA_TYPE.INT64, [], int64(start)),
      tensorProto(step('rows'), DATA_TYPE.INT64, [], int64(rows)),
    );
    nodes.push(
      nodeProto('Sub', [at('ids'), step('start')], [step('local')], step('Sub')),
      nodeProto('Greater', [step('local'), at('minus_one')], [step('above')], step('Greater')),
      nodeProto('Less', [step('local'), step('rows')], [step('below')], step('Less')),
      nodeProto('And', [step('above'), step('below')], [step('inside')], step('And')),
      nodeProto('Where', [step('inside'), step('local'), at('zero_index')], [step('index')], step('WhereIndex')),
      nodeProto('Gather', [blockName(split, k), step('index')], [step('rows_read')], step('Gather'), [
        intAttribute('axis', 0),
      ]),
      opset >= AXES_AS_INPUT_OPSET
        ? nodeProto('Unsqueeze', [step('inside'), at('last_axis')], [step('mask')], step('Unsqueeze'))
        : nodeProto('Unsqueeze', [step('inside')], [step('mask')], step('Unsqueeze'), [intsAttribute('axes', [-1])]),
      nodeProto('Where', [step('mask'), step('rows_read'), at('zero')], [step('part')], step('Where')),
    );
    parts.push(step('part'));
  });
  nodes.push(nodeProto('Sum', parts, [out], at('Sum')));
  return { nodes, initializers };
}

function blockName(split: GatherSplit, k: number): string {
  return `${split.name}/rows_${split.starts[k] ?? 0}`;
}
