/**
 * The plan `tabembed pack-model` follows for one graph, so every file of a model fits a static
 * host's per-file limit (Cloudflare Pages: 25 MiB): each initializer of MOVED_BYTES or more, inline
 * in the graph or in the export's own external data, moves into external-data chunks named as
 * the Hub names them (`model_q4.onnx_data`, `…_data_1`, …), each chunk under the limit; a table
 * larger than a chunk is split into row blocks ahead of time by the very rewrite the loader
 * applies at load time (split-gather.ts), so no tensor is larger than the limit. The graph that
 * remains holds nodes and the initializers under 1 KiB (scalars, shapes; a tiny model's norms).
 *
 * The maths is unchanged: the same tensors, bit for bit, and Gathers split into selections.
 */
import { EmbedError } from '../../core/errors.ts';
import { externalised } from './external-weights.ts';
import {
  externalReference,
  isLarge,
  withGraph,
  type GraphField,
  type LargeInitializer,
  type ModelView,
} from './onnx-model.ts';
import { fieldsOf, firstString, GRAPH, MessageWriter, TENSOR } from './onnx-wire.ts';
import {
  blockRows,
  blockTensor,
  GATHER_BLOCK_BYTES,
  planGatherSplits,
  rowBytes,
  splitGatherNodes,
} from './split-gather.ts';

/** Each weight starts at a multiple of this in its chunk (aligned views; costs < 64 B a tensor). */
const ALIGN = 64;

/** Bytes to copy: from the file `from` (relative to the graph's folder) into chunk `chunk` at `at`. */
export interface WeightCopy {
  from: string;
  /** The bytes themselves, for a small initializer already read with the graph (then `from`/`offset` are where it was). */
  bytes?: Uint8Array;
  offset: number;
  length: number;
  chunk: number;
  at: number;
}

export interface PackedGraph {
  /** The graph file, its weights referenced in the chunks. */
  graph: Uint8Array;
  /** Each chunk's size in bytes; chunk k is `chunkName(k)`. */
  chunkSizes: number[];
  copies: WeightCopy[];
  /** The largest piece that could not be split further: the smallest limit this graph packs under. */
  largestPiece: { name: string; bytes: number };
}

/** A weight to move: its tensor fields, and where its bytes are now. */
interface Weight {
  field: LargeInitializer;
  from: string;
  bytes?: Uint8Array;
}

/** Initializers from this size on leave the graph: every weight (a 0.6B's norm is 4 KiB), not its scalars and shapes. */
export const MOVED_BYTES = 1024;

/**
 * @param graphName the graph's file name (`model_q4.onnx`): inline weights are read from it
 * @param chunkName chunk k's file name, as the graph's external data refers to it
 * @throws EmbedError INVALID_OPTION when a weight that cannot be split is larger than `maxBytes`
 */
export function packGraph(
  model: ModelView,
  graphName: string,
  maxBytes: number,
  chunkName: (k: number) => string,
): PackedGraph {
  const weights = new Map<GraphField, Weight>();
  const fields = model.graphFields.map((field) => {
    const weight = weightOf(field, graphName);
    if (!weight) return field;
    weights.set(weight.field, weight);
    return weight.field;
  });
  const view: ModelView = { ...model, graphFields: fields };
  // Blocks of at most the limit, and at most what the loader's own split uses (its staging bound).
  const splits = planGatherSplits(view, Math.min(maxBytes, GATHER_BLOCK_BYTES));
  const splitTables = new Map(splits.map((split) => [split.table, split] as const));
  const splitNodes = new Map(splits.map((split) => [split.node.field, split] as const));

  const chunkSizes: number[] = [];
  const copies: WeightCopy[] = [];
  let largestPiece = { name: '', bytes: 0 };
  const place = (
    name: string,
    from: string,
    offset: number,
    length: number,
    bytes?: Uint8Array,
  ): { chunk: number; at: number } => {
    if (length > largestPiece.bytes) largestPiece = { name, bytes: length };
    if (length > maxBytes) {
      throw new EmbedError(
        'INVALID_OPTION',
        `${graphName}'s tensor ${name} is ${length} bytes, more than --max-file-size ${maxBytes} bytes, and cannot be split (only a 2-D float table read by one Gather is split into row blocks): raise the limit to at least ${length}`,
      );
    }
    const last = chunkSizes.length - 1;
    const start = last >= 0 ? Math.ceil((chunkSizes[last] ?? 0) / ALIGN) * ALIGN : 0;
    const fits = last >= 0 && start + length <= maxBytes;
    const chunk = fits ? last : chunkSizes.length;
    const at = fits ? start : 0;
    chunkSizes[chunk] = at + length;
    copies.push({ from, offset, length, chunk, at, ...(bytes ? { bytes } : {}) });
    return { chunk, at };
  };

  const graph = new MessageWriter();
  for (const field of fields) {
    const weight = weights.get(field);
    if (weight) {
      const name = firstString(weight.field.header, TENSOR.name);
      const raw = weight.field.raw ?? { offset: 0, length: 0 };
      const split = splitTables.get(weight.field);
      if (split) {
        split.starts.forEach((start, k) => {
          const length = blockRows(split, k) * rowBytes(split);
          const to = place(`${name} rows ${start}…`, weight.from, raw.offset + start * rowBytes(split), length);
          graph.bytes(GRAPH.initializer, blockTensor(split, k, chunkName(to.chunk), to.at));
        });
      } else {
        const to = place(name, weight.from, raw.offset, raw.length, weight.bytes);
        const moved = externalised(
          { ...weight.field, raw: { offset: to.at, length: raw.length } },
          chunkName(to.chunk),
        );
        if (!moved) throw new Error(`unreachable: ${name} has bytes to move`);
        graph.bytes(GRAPH.initializer, moved);
      }
      continue;
    }
    if (isLarge(field)) {
      // Large but not raw_data (float_data, …): kept inline as it was; the graph's size is checked.
      const inline = new MessageWriter();
      for (const part of field.header) inline.raw(part.whole);
      graph.bytes(GRAPH.initializer, inline.finish());
      continue;
    }
    const split = field.tag === GRAPH.node ? splitNodes.get(field) : undefined;
    if (!split) {
      graph.raw(field.whole);
      continue;
    }
    const replacement = splitGatherNodes(split, model.opset ?? 0);
    for (const node of replacement.nodes) graph.bytes(GRAPH.node, node);
    for (const tensor of replacement.initializers) graph.bytes(GRAPH.initializer, tensor);
  }
  return { graph: withGraph(model, graph.finish()), chunkSizes, copies, largestPiece };
}

/** A large inline initializer, or one whose bytes are in an external file: where its bytes are. */
function weightOf(field: GraphField, graphName: string): Weight | undefined {
  if (isLarge(field)) return field.raw ? { field, from: graphName } : undefined;
  if (field.tag !== GRAPH.initializer) return undefined;
  const tensor = fieldsOf(field.value);
  if (tensor.find((f) => f.tag === TENSOR.dataLocation)?.varint !== 1) {
    const raw = tensor.find((f) => f.tag === TENSOR.rawData);
    if (!raw || raw.value.length < MOVED_BYTES) return undefined;
    const header = tensor.filter((f) => f !== raw);
    return {
      field: { tag: GRAPH.initializer, header, raw: { offset: 0, length: raw.value.length } },
      from: graphName,
      bytes: raw.value,
    };
  }
  const reference = externalReference(field);
  if (reference === 'incomplete')
    throw new EmbedError(
      'MODEL_GRAPH_UNSUPPORTED',
      `${graphName}'s tensor ${firstString(tensor, TENSOR.name)} is external without a location and a length; re-export the model with onnx's external data format`,
    );
  return reference && { field: reference.field, from: reference.location };
}
