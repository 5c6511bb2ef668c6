/**
 * The graph rewrite done at load (src/engine/graph/): q8 quantisers made per row, inline
 * weights handed over by reference. The outputs are decoded with onnx-proto (protobufjs), an
 * encoder/decoder independent of the `pbf` wire code under test, and small graphs built with it
 * run in onnxruntime-node, so each claim is checked on real bytes and a real session.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import { LARGE_FIELD_BYTES } from '../../src/engine/graph/onnx-model.ts';
import { prepareGraph, type PreparedGraph } from '../../src/engine/graph/prepare-graph.ts';
import { onnx, type OnnxTypes } from '../reference/onnx-proto.ts';
import { tinyFeeds } from './tiny-feeds.ts';

const TINY = 'public/models/qwen3-tiny/onnx';
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT8 = onnx.TensorProto.DataType.INT8;

beforeAll(async () => {
  await generateFixture({ outDir: 'public/models' });
}, 120_000);

function decode(bytes: Uint8Array): OnnxTypes.ModelProto {
  return onnx.ModelProto.decode(bytes);
}

function opTypes(model: OnnxTypes.IModelProto): string[] {
  return (model.graph?.node ?? []).map((node) => node.opType ?? '');
}

const count = (list: string[], item: string): number => list.filter((x) => x === item).length;

describe('a q8 export (the fixture model_quantized.onnx)', () => {
  let file: Uint8Array;
  let original: OnnxTypes.ModelProto;
  let prepared: PreparedGraph;
  let rewritten: OnnxTypes.ModelProto;
  beforeAll(async () => {
    file = new Uint8Array(readFileSync(`${TINY}/model_quantized.onnx`));
    original = decode(file);
    prepared = await prepareGraph(file, 'model_quantized.onnx', []);
    rewritten = decode(prepared.graph);
  });

  it('has every per-tensor quantiser replaced by a per-row one', () => {
    // 3 layers × 4 quantised inputs (attention input, attention output, MLP input, MLP hidden).
    expect(count(opTypes(original), 'DynamicQuantizeLinear')).toBe(12);
    expect(count(opTypes(rewritten), 'DynamicQuantizeLinear')).toBe(0);
    expect(count(opTypes(rewritten), 'ReduceMax')).toBe(12);
    expect(count(opTypes(rewritten), 'MatMulInteger')).toBe(count(opTypes(original), 'MatMulInteger'));
    expect(prepared.report).toMatchObject({ activationQuantization: 'per-row', perTensorReasons: [] });
  });

  it('reduces each row over its last axis, with keepdims, at opset 17', () => {
    const reduce = rewritten.graph?.node?.find((node) => node.opType === 'ReduceMax');
    const attributes = Object.fromEntries(
      (reduce?.attribute ?? []).map((a) => [a.name, a.ints?.length ? a.ints.map(Number) : Number(a.i)]),
    );
    expect(attributes).toEqual({ axes: [-1], keepdims: 1 });
    expect(reduce?.input).toHaveLength(1);
  });

  it('hands every inline weight over 64 KiB to onnxruntime as a reference into the unchanged file bytes', () => {
    const before = new Map((original.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
    const after = rewritten.graph?.initializer ?? [];
    const external = after.filter((t) => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL);
    const large = [...before.values()].filter((t) => (t.rawData?.length ?? 0) > LARGE_FIELD_BYTES);
    expect(external.map((t) => t.name).sort()).toEqual(large.map((t) => t.name).sort());
    // Of the 64-wide test model only the 151669 × 64 embedding table is that large.
    expect(external.map((t) => t.name)).toContain('model.embed_tokens.weight');
    for (const tensor of external) {
      const entry = new Map((tensor.externalData ?? []).map((e) => [e.key ?? '', e.value ?? ''] as const));
      const offset = Number(entry.get('offset'));
      const bytes = file.subarray(offset, offset + Number(entry.get('length')));
      expect(entry.get('location')).toBe('model_quantized.onnx');
      expect(Buffer.from(bytes).equals(Buffer.from(before.get(tensor.name ?? '')?.rawData ?? new Uint8Array()))).toBe(
        true,
      );
      expect(tensor.dims?.map(Number)).toEqual(before.get(tensor.name ?? '')?.dims?.map(Number));
    }
    // The very bytes read from disk, not a copy (toEqual would compare 39 MB element by element).
    expect(prepared.externalData.map((f) => f.path)).toEqual(['model_quantized.onnx']);
    expect(prepared.externalData[0]?.data).toBe(file);
    expect(prepared.report.externalisedBytes).toBeGreaterThan(0.95 * file.length);
    // The graph message left to copy into onnxruntime is tiny next to the file.
    expect(prepared.graph.length).toBeLessThan(file.length / 100);
  });

  it('reads a Blob of the file the same way, handing onnxruntime the Blob instead of bytes', async () => {
    const blob = new Blob([file as Uint8Array<ArrayBuffer>]);
    // Without the table split a Blob gets by default (tested below), the graphs are byte for byte equal.
    const fromBlob = await prepareGraph(blob, 'model_quantized.onnx', [], { splitGathers: false });
    expect(Buffer.from(fromBlob.graph).equals(Buffer.from(prepared.graph))).toBe(true);
    expect(fromBlob.externalData[0]?.data).toBe(blob);
    expect(fromBlob.report).toEqual(prepared.report);
  });

  it('keeps the model fields around the graph (opsets, IR version, producer) as they were', () => {
    expect(rewritten.opsetImport).toEqual(original.opsetImport);
    expect(rewritten.irVersion).toEqual(original.irVersion);
    expect(rewritten.producerName).toBe(original.producerName);
    expect(rewritten.graph?.input).toEqual(original.graph?.input);
    expect(rewritten.graph?.output).toEqual(original.graph?.output);
  });
});

describe('graphs that need no rewrite', () => {
  it('passes an export whose weights are already external data through untouched', async () => {
    const file = new Uint8Array(readFileSync(`${TINY}/model.onnx`));
    const data = [{ path: 'model.onnx_data', data: new Uint8Array(4) }];
    const prepared = await prepareGraph(file, 'model.onnx', data);
    expect(prepared.graph).toBe(file);
    expect(prepared.externalData).toBe(data);
    // The upload's total: every external tensor's length, as onnx-proto decodes the graph.
    const lengths = (decode(file).graph?.initializer ?? []).map((t) =>
      Number((t.externalData ?? []).find((e) => e.key === 'length')?.value ?? 0),
    );
    expect(prepared.report).toEqual({
      activationQuantization: 'none',
      perTensorReasons: [],
      externalisedBytes: 0,
      externalBytes: lengths.reduce((sum, n) => sum + n, 0),
      gatherBlocks: 0,
      largestBlockBytes: 0,
    });
    expect(prepared.report.externalBytes).toBeGreaterThan(0.99 * readFileSync(`${TINY}/model.onnx_data`).length);
  });

  it('rejects bytes that are not an ONNX model, or a truncated one, with a RangeError', async () => {
    await expect(prepareGraph(new TextEncoder().encode('<html>not found</html>'), 'model.onnx', [])).rejects.toThrow(
      RangeError,
    );
    const file = new Uint8Array(readFileSync(`${TINY}/model_quantized.onnx`));
    await expect(prepareGraph(file.subarray(0, file.length / 2), 'model.onnx', [])).rejects.toThrow(/truncated/);
  });
});

/** y = DynamicQuantizeLinear(a) · DynamicQuantizeLinear(b or W), as quantize_dynamic writes it. */
function quantisedMatMul(options: {
  opset: number;
  rightOperand: 'weight' | 'activation';
  subgraph?: boolean;
}): Uint8Array {
  const { opset, rightOperand } = options;
  const weight = Int8Array.from({ length: 3 * 2 }, (_, i) => ((i * 37) % 255) - 127);
  const node = (
    opType: string,
    input: string[],
    output: string[],
    attribute: OnnxTypes.IAttributeProto[] = [],
  ): OnnxTypes.INodeProto => ({ opType, input, output, name: output[0] ?? '', attribute });
  const nodes: OnnxTypes.INodeProto[] = [node('DynamicQuantizeLinear', ['a'], ['aq', 'as', 'az'])];
  const initializer: OnnxTypes.ITensorProto[] = [
    { name: 'ws', dataType: FLOAT, dims: [], rawData: new Uint8Array(Float32Array.of(0.01).buffer) },
  ];
  if (rightOperand === 'weight') {
    initializer.push(
      { name: 'w', dataType: INT8, dims: [3, 2], rawData: new Uint8Array(weight.buffer) },
      { name: 'wz', dataType: INT8, dims: [], rawData: new Uint8Array(1) },
    );
    nodes.push(node('MatMulInteger', ['aq', 'w', 'az', 'wz'], ['acc']));
  } else {
    nodes.push(
      node('DynamicQuantizeLinear', ['b'], ['w', 'ws_b', 'wz']),
      node('MatMulInteger', ['aq', 'w', 'az', 'wz'], ['acc']),
      node('Mul', ['ws', 'ws_b'], ['ws_ab']),
    );
  }
  nodes.push(
    node('Cast', ['acc'], ['accf'], [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: FLOAT }]),
    node('Mul', ['as', rightOperand === 'weight' ? 'ws' : 'ws_ab'], ['scale']),
    node('Mul', ['accf', 'scale'], ['y']),
  );
  if (options.subgraph === true) {
    const body: OnnxTypes.IGraphProto = {
      name: 'then',
      node: [node('Identity', ['y'], ['z'])],
      output: [{ name: 'z' }],
    };
    initializer.push({
      name: 'cond',
      dataType: onnx.TensorProto.DataType.BOOL,
      dims: [],
      rawData: new Uint8Array([1]),
    });
    nodes.push(
      node(
        'If',
        ['cond'],
        ['branch'],
        [
          { name: 'then_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: body },
          { name: 'else_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: body },
        ],
      ),
    );
  }
  const tensor = (name: string, dims: (number | string)[]): OnnxTypes.IValueInfoProto => ({
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: 'g',
      node: nodes,
      initializer,
      input: rightOperand === 'weight' ? [tensor('a', ['rows', 3])] : [tensor('a', ['rows', 3]), tensor('b', [3, 2])],
      output: [tensor('y', ['rows', 2])],
    },
  }).finish();
}

describe('which quantisers become per row', () => {
  it('rewrites one that feeds MatMulInteger as the left operand, reading axes as an input from opset 18', async () => {
    for (const opset of [17, 18]) {
      const prepared = await prepareGraph(quantisedMatMul({ opset, rightOperand: 'weight' }), 'model.onnx', []);
      const reduce = decode(prepared.graph).graph?.node?.find((n) => n.opType === 'ReduceMax');
      expect(prepared.report.activationQuantization).toBe('per-row');
      expect(reduce?.input).toHaveLength(opset >= 18 ? 2 : 1);
      // onnxruntime warns in every console about an initializer that no node reads.
      const graph = decode(prepared.graph).graph;
      const read = new Set(graph?.node?.flatMap((n) => n.input ?? []));
      expect((graph?.initializer ?? []).map((t) => t.name).filter((name) => !read.has(name ?? ''))).toEqual([]);
    }
  });

  it('keeps one per tensor when it is the right operand of an activation × activation product, and says why', async () => {
    const prepared = await prepareGraph(quantisedMatMul({ opset: 17, rightOperand: 'activation' }), 'model.onnx', []);
    expect(prepared.report.activationQuantization).toBe('per-tensor');
    expect(prepared.report.perTensorReasons).toEqual([
      'w: its output is used other than as the left operand of MatMulInteger',
    ]);
    expect(count(opTypes(decode(prepared.graph)), 'DynamicQuantizeLinear')).toBe(1);
  });

  it('keeps every one per tensor in a graph with subgraphs, whose uses it cannot see', async () => {
    const prepared = await prepareGraph(
      quantisedMatMul({ opset: 17, rightOperand: 'weight', subgraph: true }),
      'model.onnx',
      [],
    );
    expect(prepared.report.activationQuantization).toBe('per-tensor');
    expect(prepared.report.perTensorReasons[0]).toMatch(/subgraphs/);
  });
});

describe('the rewritten quantiser in onnxruntime', () => {
  /** float64: round each row to 8 bits per row (ties to even), multiply by the int8 weight, rescale. */
  function expected(a: Float32Array, rows: number): Float64Array {
    const weight = Int8Array.from({ length: 6 }, (_, i) => ((i * 37) % 255) - 127);
    const out = new Float64Array(rows * 2);
    for (let r = 0; r < rows; r++) {
      const row = Array.from(a.subarray(r * 3, r * 3 + 3));
      const max = Math.max(...row.map(Math.abs));
      const scale = max / 127;
      const q = row
        .map((v) => (max === 0 ? 0 : v / scale))
        .map((v) => (Math.abs(v % 1) === 0.5 && Math.round(v) % 2 !== 0 ? Math.round(v) - 1 : Math.round(v)));
      for (let c = 0; c < 2; c++)
        out[r * 2 + c] = q.reduce((s, qi, k) => s + qi * (weight[k * 2 + c] ?? 0), 0) * scale * 0.01;
    }
    return out;
  }

  it('gives each row what it would get alone, an all-zero row zeros, and matches a float64 per-row quantiser', async () => {
    const prepared = await prepareGraph(quantisedMatMul({ opset: 17, rightOperand: 'weight' }), 'model.onnx', []);
    const session = await ort.InferenceSession.create(prepared.graph);
    const run = async (a: Float32Array, rows: number): Promise<Float32Array> =>
      (await session.run({ a: new ort.Tensor('float32', a, [rows, 3]) })).y?.data as Float32Array;
    // Row 1 has a value 1000× the others': a per-tensor scale would flatten rows 0 and 2 to a few levels.
    const batch = Float32Array.of(0.5, -0.25, 0.125, 900, -3, 7, 0, 0, 0, -0.01, 0.02, 0.03);
    const together = await run(batch, 4);
    for (let r = 0; r < 4; r++) {
      const alone = await run(batch.slice(r * 3, r * 3 + 3), 1);
      expect(Array.from(together.subarray(r * 2, r * 2 + 2))).toEqual(Array.from(alone));
    }
    expect(Array.from(together.subarray(4, 6))).toEqual([0, 0]);
    const reference = expected(batch, 4);
    together.forEach((v, i) =>
      expect(Math.abs(v - (reference[i] ?? NaN))).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(reference[i] ?? 0))),
    );
    await session.release();
  });
});

describe('an embedding table read from a Blob', () => {
  it('is split into row blocks that point into the file, one Gather each', async () => {
    const file = new Uint8Array(readFileSync(`${TINY}/model_quantized.onnx`));
    const prepared = await prepareGraph(new Blob([file]), 'model_quantized.onnx', []);
    const graph = decode(prepared.graph).graph;
    const blocks = (graph?.initializer ?? []).filter((t) => t.name?.startsWith('model.embed_tokens.weight/rows_'));
    // 151669 rows × 64 float32 = 38.8 MB: two blocks of at most 32 MiB (131072 rows).
    expect(blocks.map((t) => t.dims?.map(Number))).toEqual([
      [131072, 64],
      [20597, 64],
    ]);
    const offsets = blocks.map((t) =>
      Number(new Map((t.externalData ?? []).map((e) => [e.key, e.value])).get('offset')),
    );
    expect((offsets[1] ?? 0) - (offsets[0] ?? 0)).toBe(131072 * 64 * 4);
    expect(graph?.initializer?.some((t) => t.name === 'model.embed_tokens.weight')).toBe(false);
    expect(count(opTypes(decode(prepared.graph)), 'Gather')).toBe(count(opTypes(decode(file)), 'Gather') - 1 + 2);
  });

  it('gives every token the hidden state of the unsplit graph, bit for bit, across block edges', async () => {
    const file = new Uint8Array(readFileSync(`${TINY}/model_quantized.onnx`));
    const whole = await prepareGraph(file, 'model_quantized.onnx', [], { splitGathers: false });
    // 4 MiB blocks: 16384 rows each, 10 blocks; the ids below sit in 6 of them, two at an edge.
    const split = await prepareGraph(file, 'model_quantized.onnx', [], {
      splitGathers: true,
      gatherBlockBytes: 4 << 20,
    });
    expect(count(opTypes(decode(split.graph)), 'Sum')).toBe(1);
    const ids = [5, 16383, 16384, 40000, 99999, 151642, 151643];
    const hidden = async (prepared: PreparedGraph): Promise<Float32Array> => {
      const session = await ort.InferenceSession.create(prepared.graph, { externalData: prepared.externalData });
      const out = (await session.run(tinyFeeds(ids), ['last_hidden_state'])).last_hidden_state?.data as Float32Array;
      await session.release();
      return out;
    };
    const [a, b] = [await hidden(whole), await hidden(split)];
    expect(a.length).toBe(ids.length * 64);
    expect(
      Buffer.from(b.buffer, b.byteOffset, b.byteLength).equals(Buffer.from(a.buffer, a.byteOffset, a.byteLength)),
    ).toBe(true);
  });
});
