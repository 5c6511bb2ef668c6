/**
 * What the engine does to a graph file before onnxruntime sees it (each step's why is in its
 * own file):
 *  - q8 exports: per-tensor activation quantisers become per-row ones (row-quantization.ts),
 *    so a text's vector does not depend on its batch-mates;
 *  - large inline weights become external-data references into the file itself
 *    (external-weights.ts), so onnxruntime fills its tensors without extra copies;
 *  - read from a Blob, a large embedding table is split into row blocks (split-gather.ts), so
 *    onnxruntime-web stages at most one block in memory at a time.
 * A graph that needs neither (weights already in `.onnx_data`, no quantiser) is passed as is.
 */
import type { ExternalDataFile } from '../runtime.ts';
import { externalised } from './external-weights.ts';
import { modelBytes } from './model-bytes.ts';
import { isLarge, scanModel, withGraph } from './onnx-model.ts';
import { fieldsOf, firstString, GRAPH, MessageWriter, VALUE_INFO } from './onnx-wire.ts';
import { perRowConstants, perRowQuantizer, planRowQuantization } from './row-quantization.ts';
import { blockTensors, planGatherSplits, splitGatherNodes } from './split-gather.ts';

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
}

export interface PrepareOptions {
  /** Split large embedding tables into row blocks (split-gather.ts); default: when `file` is a Blob. */
  splitGathers?: boolean;
  /** Block size in bytes for that split (tests make it small). */
  gatherBlockBytes?: number;
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
  const model = await scanModel(source);
  const plan = planRowQuantization(model);
  const splits =
    (options.splitGathers ?? file instanceof Blob) ? planGatherSplits(model, options.gatherBlockBytes) : [];
  const splitTables = new Map(splits.map((split) => [split.table, split] as const));
  const splitNodes = new Map(splits.map((split) => [split.node.field, split] as const));
  const activationQuantization = plan.perTensor.length > 0 ? 'per-tensor' : plan.perRow.length > 0 ? 'per-row' : 'none';
  const perTensorReasons = plan.perTensor.map(
    ({ node, reason }) => `${node.name || node.outputs[0] || 'DynamicQuantizeLinear'}: ${reason}`,
  );
  const rewritten = new Map(plan.perRow.map((node) => [node.field, perRowQuantizer(node, model.opset ?? 0)] as const));
  const moved = model.graphFields.map((field) =>
    isLarge(field) && !splitTables.has(field) ? externalised(field, name) : undefined,
  );
  const externalisedBytes = model.graphFields.reduce(
    (sum, field, i) => sum + (isLarge(field) && (moved[i] || splitTables.has(field)) ? (field.raw?.length ?? 0) : 0),
    0,
  );
  if (rewritten.size === 0 && externalisedBytes === 0 && file instanceof Uint8Array) {
    return { graph: file, externalData, report: { activationQuantization, perTensorReasons, externalisedBytes } };
  }

  const graph = new MessageWriter();
  const replacedValues = new Set(plan.perRow.flatMap((node) => node.outputs));
  model.graphFields.forEach((field, i) => {
    if (isLarge(field)) {
      const split = splitTables.get(field);
      for (const tensor of split ? blockTensors(split, name) : [moved[i] ?? fieldsMessage(field.header)])
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
    report: { activationQuantization, perTensorReasons, externalisedBytes },
  };
}

function fieldsMessage(fields: readonly { whole: Uint8Array }[]): Uint8Array {
  const message = new MessageWriter();
  for (const field of fields) message.raw(field.whole);
  return message.finish();
}
