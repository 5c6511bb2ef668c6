/**
 * A read-only view of an ONNX model for the rewrites in this folder: the top-level fields, the
 * graph's fields, and each node's names, all views into the file's bytes (onnx-wire.ts).
 */
import { ATTRIBUTE, ATTRIBUTE_TYPE, fieldsOf, firstString, GRAPH, MODEL, NODE, OPSET, stringsOf, type WireField } from './onnx-wire.ts';

export interface GraphNode {
  opType: string;
  /** '' is the default ONNX domain. */
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  /** Whether an attribute holds a subgraph (If, Loop, Scan): its uses of names are not listed here. */
  hasSubgraph: boolean;
  field: WireField;
}

export interface ModelView {
  modelFields: WireField[];
  graphFields: WireField[];
  nodes: GraphNode[];
  /** Names the graph returns; a rewrite must not change what they mean. */
  outputs: Set<string>;
  /** Version of the default ('' / 'ai.onnx') operator set, which decides op signatures. */
  opset: number | undefined;
}

export function readModel(bytes: Uint8Array): ModelView {
  const modelFields = fieldsOf(bytes);
  const graph = modelFields.find((field) => field.tag === MODEL.graph);
  if (!graph) throw new RangeError('the file holds no graph (ModelProto field 7)');
  const graphFields = fieldsOf(graph.value);
  const nodes = graphFields.filter((field) => field.tag === GRAPH.node).map(readNode);
  const outputs = new Set(graphFields.filter((field) => field.tag === GRAPH.output).map((field) => firstString(fieldsOf(field.value), 1)));
  return { modelFields, graphFields, nodes, outputs, opset: defaultOpset(modelFields) };
}

function readNode(field: WireField): GraphNode {
  const fields = fieldsOf(field.value);
  const attributes = fields.filter((f) => f.tag === NODE.attribute).map((f) => fieldsOf(f.value));
  return {
    opType: firstString(fields, NODE.opType),
    domain: firstString(fields, NODE.domain),
    name: firstString(fields, NODE.name),
    inputs: stringsOf(fields, NODE.input),
    outputs: stringsOf(fields, NODE.output),
    hasSubgraph: attributes.some((attribute) => {
      const type = attribute.find((f) => f.tag === ATTRIBUTE.type)?.varint;
      return type === ATTRIBUTE_TYPE.GRAPH || type === ATTRIBUTE_TYPE.GRAPHS;
    }),
    field,
  };
}

function defaultOpset(modelFields: readonly WireField[]): number | undefined {
  for (const field of modelFields) {
    if (field.tag !== MODEL.opsetImport) continue;
    const opset = fieldsOf(field.value);
    const domain = firstString(opset, OPSET.domain);
    if (domain === '' || domain === 'ai.onnx') return opset.find((f) => f.tag === OPSET.version)?.varint;
  }
  return undefined;
}

/** For each value name, the nodes that read it and at which input position. */
export function consumersOf(nodes: readonly GraphNode[]): Map<string, { node: GraphNode; index: number }[]> {
  const uses = new Map<string, { node: GraphNode; index: number }[]>();
  for (const node of nodes) {
    node.inputs.forEach((name, index) => {
      if (name === '') return;
      const list = uses.get(name) ?? [];
      list.push({ node, index });
      uses.set(name, list);
    });
  }
  return uses;
}
