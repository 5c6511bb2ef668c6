/**
 * A read-only view of an ONNX model for the rewrites in this folder, scanned without reading
 * its weights: the top-level fields, the graph's fields, each node's names. A large initializer
 * is kept as its small fields plus where its raw bytes sit in the file, so a 600 MB model costs
 * a few hundred KB of reads here whether it is in memory or a Blob on disk (model-bytes.ts).
 */
import { PbfReader } from 'pbf';
import type { ModelBytes } from './model-bytes.ts';
import { WindowedReader } from './model-bytes.ts';
import {
  ATTRIBUTE,
  ATTRIBUTE_TYPE,
  ENTRY,
  fieldsOf,
  firstString,
  GRAPH,
  MessageWriter,
  MODEL,
  NODE,
  OPSET,
  stringsOf,
  TENSOR,
  type WireField,
} from './onnx-wire.ts';

export interface GraphNode {
  opType: string;
  /** '' is the default ONNX domain. */
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  /** Whether an attribute holds a subgraph (If, Loop, Scan): its uses of names are not listed here. */
  hasSubgraph: boolean;
  /** The node's INT attributes by name (e.g. Gather's `axis`). */
  ints: ReadonlyMap<string, number>;
  field: WireField;
}

/** An initializer too large to read: its other fields, and where its raw_data lies in the file. */
export interface LargeInitializer {
  tag: typeof GRAPH.initializer;
  header: WireField[];
  raw: { offset: number; length: number } | undefined;
}

export type GraphField = WireField | LargeInitializer;

export interface ModelView {
  /** Top-level fields other than the graph, in file order; the graph belongs at `graphAt`. */
  modelFields: WireField[];
  graphAt: number;
  graphFields: GraphField[];
  nodes: GraphNode[];
  /** Names the graph returns; a rewrite must not change what they mean. */
  outputs: Set<string>;
  /** Version of the default ('' / 'ai.onnx') operator set, which decides op signatures. */
  opset: number | undefined;
}

/** Fields longer than this are looked into rather than read (only initializers hold that much). */
export const LARGE_FIELD_BYTES = 1 << 16;
const LENGTH_DELIMITED = 2;

export function isLarge(field: GraphField): field is LargeInitializer {
  return 'header' in field;
}

/** @throws RangeError when the bytes are not an ONNX model */
export async function scanModel(file: ModelBytes): Promise<ModelView> {
  const reader = new WindowedReader(file);
  const modelFields: WireField[] = [];
  let graph: FieldHead | undefined;
  let graphAt = -1;
  for (let pos = 0; pos < file.size;) {
    const head = await headAt(reader, pos, file.size);
    if (head.tag === MODEL.graph && head.type === LENGTH_DELIMITED) {
      graph = head;
      graphAt = modelFields.length;
    } else {
      modelFields.push(...fieldsOf(await reader.bytes(head.start, head.end - head.start)));
    }
    pos = head.end;
  }
  if (!graph) throw new RangeError('the file holds no graph (ModelProto field 7)');
  const graphFields: GraphField[] = [];
  for (let pos = graph.valueStart; pos < graph.end;) {
    const head = await headAt(reader, pos, graph.end);
    if (head.tag === GRAPH.initializer && head.end - head.valueStart > LARGE_FIELD_BYTES) {
      graphFields.push(await largeInitializer(reader, head));
    } else {
      graphFields.push(...fieldsOf(await reader.bytes(head.start, head.end - head.start)));
    }
    pos = head.end;
  }
  const wire = graphFields.filter((field): field is WireField => !isLarge(field));
  const nodes = wire.filter((field) => field.tag === GRAPH.node).map(readNode);
  const outputs = new Set(
    wire.filter((field) => field.tag === GRAPH.output).map((field) => firstString(fieldsOf(field.value), 1)),
  );
  return { modelFields, graphAt, graphFields, nodes, outputs, opset: defaultOpset(modelFields) };
}

interface FieldHead {
  tag: number;
  type: number;
  /** Where the field's key starts, where its payload starts, and where it ends (absolute). */
  start: number;
  valueStart: number;
  end: number;
}

/** The field starting at `pos`, read from its first bytes (a key and a length are at most 15). */
async function headAt(reader: WindowedReader, pos: number, limit: number): Promise<FieldHead> {
  const bytes = await reader.bytes(pos, Math.min(16, limit - pos));
  const pbf = new PbfReader(bytes);
  const key = pbf.readVarint();
  const type = key & 7;
  let valueStart = pos + pbf.pos;
  let end: number;
  if (type === LENGTH_DELIMITED) {
    const length = pbf.readVarint();
    valueStart = pos + pbf.pos;
    end = valueStart + length;
  } else if (type === 0) {
    pbf.readVarint();
    end = pos + pbf.pos;
  } else if (type === 1 || type === 5) {
    end = valueStart + (type === 1 ? 8 : 4);
  } else {
    throw new RangeError(`byte ${pos} holds wire type ${type}, which no ONNX message uses: this is not an ONNX model`);
  }
  if (end > limit || pbf.pos > bytes.length)
    throw new RangeError(
      `the field at byte ${pos} runs past the end of its message (byte ${limit}): the file is truncated or not an ONNX model`,
    );
  return { tag: key >>> 3, type, start: pos, valueStart, end };
}

async function largeInitializer(reader: WindowedReader, tensor: FieldHead): Promise<LargeInitializer> {
  const header: WireField[] = [];
  let raw: LargeInitializer['raw'];
  for (let pos = tensor.valueStart; pos < tensor.end;) {
    const head = await headAt(reader, pos, tensor.end);
    if (head.tag === TENSOR.rawData && head.type === LENGTH_DELIMITED)
      raw = { offset: head.valueStart, length: head.end - head.valueStart };
    else header.push(...fieldsOf(await reader.bytes(head.start, head.end - head.start)));
    pos = head.end;
  }
  return { tag: GRAPH.initializer, header, raw };
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
    ints: new Map(
      attributes
        .filter((attribute) => attribute.find((f) => f.tag === ATTRIBUTE.type)?.varint === ATTRIBUTE_TYPE.INT)
        .map(
          (attribute) =>
            [
              firstString(attribute, ATTRIBUTE.name),
              attribute.find((f) => f.tag === ATTRIBUTE.i)?.varint ?? 0,
            ] as const,
        ),
    ),
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

/** The model's own fields as they were, with `graph` (an encoded GraphProto) where its graph was. */
export function withGraph(model: ModelView, graph: Uint8Array): Uint8Array {
  const out = new MessageWriter();
  model.modelFields.forEach((field, i) => {
    if (i === model.graphAt) out.bytes(MODEL.graph, graph);
    out.raw(field.whole);
  });
  if (model.graphAt === model.modelFields.length) out.bytes(MODEL.graph, graph);
  return out.finish();
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

/**
 * An initializer whose bytes lie in an external data file, seen as a LargeInitializer over that
 * file (its fields bar the external-data ones; `raw` where its bytes are in `location`), so the
 * rewrites treat it like an inline one. Undefined for a tensor with its bytes inline;
 * 'incomplete' for a reference without a location or a length.
 */
export function externalReference(
  field: WireField,
): { field: LargeInitializer; location: string; name: string } | 'incomplete' | undefined {
  if (field.tag !== GRAPH.initializer) return undefined;
  const tensor = fieldsOf(field.value);
  if (tensor.find((f) => f.tag === TENSOR.dataLocation)?.varint !== 1) return undefined;
  const entries = new Map(
    tensor
      .filter((f) => f.tag === TENSOR.externalData)
      .map((f) => {
        const entry = fieldsOf(f.value);
        return [firstString(entry, ENTRY.key), firstString(entry, ENTRY.value)] as const;
      }),
  );
  const location = entries.get('location');
  const length = Number(entries.get('length'));
  if (!location || !Number.isSafeInteger(length)) return 'incomplete';
  const header = tensor.filter((f) => f.tag !== TENSOR.externalData && f.tag !== TENSOR.dataLocation);
  return {
    field: { tag: GRAPH.initializer, header, raw: { offset: Number(entries.get('offset') ?? 0), length } },
    location,
    name: firstString(tensor, TENSOR.name),
  };
}
