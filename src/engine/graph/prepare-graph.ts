/**
 * What the engine does to a graph file before onnxruntime sees it (each step's why is in its
 * own file):
 *  - q8 exports: per-tensor activation quantisers become per-row ones (row-quantization.ts),
 *    so a text's vector does not depend on its batch-mates;
 *  - large inline weights become external-data references into the file itself
 *    (external-weights.ts), so onnxruntime fills its tensors without extra copies;
 *  - a large embedding table, inline or in external data, is split into row blocks
 *    (split-gather.ts): read from a Blob, so onnxruntime-web stages at most one block in memory at
 *    a time; on WebGPU, so no block exceeds the adapter's buffer and binding limits.
 * A graph that needs neither (weights already in `.onnx_data`, no quantiser) is passed as is.
 */
import type { ExternalDataFile } from '../runtime.ts';
import { externalised } from './external-weights.ts';
import { modelBytes } from './model-bytes.ts';
import {
  externalReference,
  isLarge,
  scanModel,
  withGraph,
  type GraphField,
  type LargeInitializer,
  type ModelView,
} from './onnx-model.ts';
import { fieldsOf, firstString, GRAPH, MessageWriter, VALUE_INFO, type WireField } from './onnx-wire.ts';
import { perRowConstants, perRowQuantizer, planRowQuantization } from './row-quantization.ts';
import { blockTensors, gatherBlockBytes, planGatherSplits, splitGatherNodes } from './split-gather.ts';

export interface GraphReport {
  /**
   * How activations are quantised at run time: 'none' (no dynamic quantiser), 'per-row' (every
   * one rewritten: batch-independent) or 'per-tensor' (some kept: vectors depend on batch-mates).
   */
  activationQuantization: 'none' | 'per-row' | 'per-tensor';
  /** Why quantisers were kept per tensor, one line each (empty unless 'per-tensor'). */
  perTensorReasons: string[];
  /** Inline weights handed over as external data instead of inside the graph. */
  externalisedBytes: number;
  /** Bytes of external data the session reads: every weight not inside the graph message (the load's upload total). */
  externalBytes: number;
  /** Row blocks the embedding tables were split into (0: none split), and the largest block's bytes. */
  gatherBlocks: number;
  largestBlockBytes: number;
}

export interface PrepareOptions {
  /** Split large embedding tables into row blocks (split-gather.ts); default: when `file` is a Blob. */
  splitGathers?: boolean;
  /** Block size in bytes for that split (tests make it small). */
  gatherBlockBytes?: number;
  /**
   * On WebGPU: the adapter's largest buffer a shader may bind (min of maxBufferSize and
   * maxStorageBufferBindingSize); a table larger is split whatever the file is.
   */
  gpuBindingBytes?: number;
}

export interface PreparedGraph {
  /** The graph message onnxruntime parses: the file itself, or a rewrite of a few hundred KB. */
  graph: Uint8Array;
  externalData: ExternalDataFile[];
  report: GraphReport;
}

/**
 * @param file the graph file, e.g. `onnx/model_quantized.onnx`: its bytes, or a Blob of it
 * @param name its file name (`model_quantized.onnx`): the location its moved weights point to
 * @param externalData the export's own external data files, passed through
 * @throws RangeError when the file is not an ONNX model (the caller names the file)
 * @example
 *   const { graph, externalData, report } = await prepareGraph(bytes, 'model_quantized.onnx', []);
 *   // graph: Uint8Array(~75 KB); externalData: [{ path: 'model_quantized.onnx', data: bytes }]
 *   // report: { activationQuantization: 'per-row', perTensorReasons: [], externalisedBytes: 39012845 }
 */
export async function prepareGraph(
  file: Uint8Array | Blob,
  name: string,
  externalData: ExternalDataFile[],
  options: PrepareOptions = {},
): Promise<PreparedGraph> {
  const source = modelBytes(file);
  const scanned = await scanModel(source);
  const plan = planRowQuantization(scanned);
  const blockBytes = gatherBlockBytes(
    options.splitGathers ?? file instanceof Blob,
    options.gpuBindingBytes,
    options.gatherBlockBytes,
  );
  // Tables in the export's own external data are split too: seen as large initializers over their file.
  const references = externalTables(scanned);
  const model: ModelView = {
    ...scanned,
    graphFields: scanned.graphFields.map((field) => (isLarge(field) ? field : (references.get(field)?.view ?? field))),
  };
  const views = new Map([...references.values()].map((reference) => [reference.view, reference] as const));
  const splits = blockBytes === undefined ? [] : planGatherSplits(model, blockBytes);
  const splitTables = new Map(splits.map((split) => [split.table, split] as const));
  const splitNodes = new Map(splits.map((split) => [split.node.field, split] as const));
  const activationQuantization = plan.perTensor.length > 0 ? 'per-tensor' : plan.perRow.length > 0 ? 'per-row' : 'none';
  const perTensorReasons = plan.perTensor.map(
    ({ node, reason }) => `${node.name || node.outputs[0] || 'DynamicQuantizeLinear'}: ${reason}`,
  );
  const rewritten = new Map(plan.perRow.map((node) => [node.field, perRowQuantizer(node, model.opset ?? 0)] as const));
  const inline = (field: LargeInitializer): boolean => !views.has(field);
  const moved = model.graphFields.map((field) =>
    isLarge(field) && inline(field) && !splitTables.has(field) ? externalised(field, name) : undefined,
  );
  const externalisedBytes = model.graphFields.reduce(
    (sum, field, i) =>
      sum + (isLarge(field) && inline(field) && (moved[i] || splitTables.has(field)) ? (field.raw?.length ?? 0) : 0),
    0,
  );
  const report: GraphReport = {
    activationQuantization,
    perTensorReasons,
    externalisedBytes,
    // Splitting cuts tables without changing their bytes, so this is the same before and after.
    externalBytes: externalisedBytes + [...references.values()].reduce((sum, r) => sum + (r.view.raw?.length ?? 0), 0),
    gatherBlocks: splits.reduce((sum, split) => sum + split.starts.length, 0),
    largestBlockBytes: Math.max(0, ...splits.map((split) => split.largestBlockBytes)),
  };
  if (rewritten.size === 0 && externalisedBytes === 0 && splits.length === 0 && file instanceof Uint8Array) {
    return { graph: file, externalData, report };
  }

  const graph = new MessageWriter();
  const replacedValues = new Set(plan.perRow.flatMap((node) => node.outputs));
  model.graphFields.forEach((field, i) => {
    if (isLarge(field)) {
      const split = splitTables.get(field);
      const reference = views.get(field);
      if (reference && !split) graph.raw(reference.original.whole);
      else
        for (const tensor of split
          ? blockTensors(split, reference?.location ?? name)
          : [moved[i] ?? fieldsMessage(field.header)])
          graph.bytes(GRAPH.initializer, tensor);
      return;
    }
    const split = field.tag === GRAPH.node ? splitNodes.get(field) : undefined;
    const replacement = split
      ? splitGatherNodes(split, model.opset ?? 0)
      : field.tag === GRAPH.node
        ? rewritten.get(field)
        : undefined;
    if (replacement) {
      for (const node of replacement.nodes) graph.bytes(GRAPH.node, node);
      for (const tensor of replacement.initializers) graph.bytes(GRAPH.initializer, tensor);
    } else if (
      field.tag === GRAPH.valueInfo &&
      replacedValues.has(firstString(fieldsOf(field.value), VALUE_INFO.name))
    ) {
      // A recorded shape of a per-tensor scale ([]) would contradict the per-row one.
    } else {
      graph.raw(field.whole);
    }
  });
  if (rewritten.size > 0)
    for (const tensor of perRowConstants(model.opset ?? 0)) graph.bytes(GRAPH.initializer, tensor);

  return {
    graph: withGraph(model, graph.finish()),
    externalData: externalisedBytes > 0 ? [...externalData, { path: name, data: source.data }] : externalData,
    report,
  };
}

/** An external-data initializer, and the view of it the split plans over. */
interface Reference {
  original: WireField;
  view: LargeInitializer;
  location: string;
}

/** The graph's external-data initializers by their field (planGatherSplits picks the tables among them). */
function externalTables(model: ModelView): Map<GraphField, Reference> {
  const references = new Map<GraphField, Reference>();
  for (const field of model.graphFields) {
    if (isLarge(field)) continue;
    const reference = externalReference(field);
    if (reference && reference !== 'incomplete')
      references.set(field, { original: field, view: reference.field, location: reference.location });
  }
  return references;
}

function fieldsMessage(fields: readonly { whole: Uint8Array }[]): Uint8Array {
  const message = new MessageWriter();
  for (const field of fields) message.raw(field.whole);
  return message.finish();
}
