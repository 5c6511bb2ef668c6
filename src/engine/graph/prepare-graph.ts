/**
 * What the engine does to a graph file before onnxruntime sees it (each step's why is in its
 * own file):
 *  - q8 exports: per-tensor activation quantisers become per-row ones (row-quantization.ts),
 *    so a text's vector does not depend on its batch-mates;
 *  - inline weights become external-data references into the file's own bytes
 *    (external-weights.ts), so onnxruntime fills its tensors without extra copies.
 * A graph that needs neither (weights already in `.onnx_data`, no quantiser) is passed as is.
 */
import type { ExternalDataFile } from '../runtime.ts';
import { readModel } from './onnx-model.ts';
import { GRAPH, MessageWriter, MODEL, VALUE_INFO, fieldsOf, firstString } from './onnx-wire.ts';
import { externalised } from './external-weights.ts';
import { perRowConstants, perRowQuantizer, planRowQuantization } from './row-quantization.ts';

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

export interface PreparedGraph {
  graph: Uint8Array;
  externalData: ExternalDataFile[];
  report: GraphReport;
}

/**
 * @param file the graph file's bytes, e.g. `onnx/model_quantized.onnx`
 * @param name its file name (`model_quantized.onnx`): the location its moved weights point to
 * @param externalData the export's own external data files, passed through
 * @throws RangeError when the bytes are not an ONNX model (the caller names the file)
 */
export function prepareGraph(file: Uint8Array, name: string, externalData: ExternalDataFile[]): PreparedGraph {
  const model = readModel(file);
  const plan = planRowQuantization(model);
  const activationQuantization = plan.perTensor.length > 0 ? 'per-tensor' : plan.perRow.length > 0 ? 'per-row' : 'none';
  const perTensorReasons = plan.perTensor.map(({ node, reason }) => `${node.name || node.outputs[0] || 'DynamicQuantizeLinear'}: ${reason}`);
  const rewritten = new Map(plan.perRow.map((node) => [node.field, perRowQuantizer(node, model.opset ?? 0)] as const));
  const moved = model.graphFields.map((field) => (field.tag === GRAPH.initializer ? externalised(field, file, name) : undefined));
  const externalisedBytes = moved.reduce((sum, tensor, i) => sum + (tensor ? (model.graphFields[i]?.value.length ?? 0) : 0), 0);
  if (rewritten.size === 0 && externalisedBytes === 0) {
    return { graph: file, externalData, report: { activationQuantization, perTensorReasons, externalisedBytes } };
  }

  const graph = new MessageWriter();
  const replacedValues = new Set(plan.perRow.flatMap((node) => node.outputs));
  model.graphFields.forEach((field, i) => {
    const replacement = field.tag === GRAPH.node ? rewritten.get(field) : undefined;
    if (replacement) {
      for (const node of replacement.nodes) graph.bytes(GRAPH.node, node);
      for (const tensor of replacement.initializers) graph.bytes(GRAPH.initializer, tensor);
    } else if (field.tag === GRAPH.valueInfo && replacedValues.has(firstString(fieldsOf(field.value), VALUE_INFO.name))) {
      // A recorded shape of a per-tensor scale ([]) would contradict the per-row one.
    } else {
      const tensor = moved[i];
      if (tensor) graph.bytes(GRAPH.initializer, tensor);
      else graph.raw(field.whole);
    }
  });
  if (rewritten.size > 0) for (const tensor of perRowConstants()) graph.bytes(GRAPH.initializer, tensor);

  const out = new MessageWriter();
  for (const field of model.modelFields) {
    if (field.tag === MODEL.graph) out.bytes(MODEL.graph, graph.finish());
    else out.raw(field.whole);
  }
  return {
    graph: out.finish(),
    externalData: externalisedBytes > 0 ? [...externalData, { path: name, data: file }] : externalData,
    report: { activationQuantization, perTensorReasons, externalisedBytes },
  };
}
