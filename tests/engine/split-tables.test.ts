/**
 * Embedding tables split for WebGPU's binding limit (src/engine/graph/split-gather.ts), also when
 * the table sits in the export's own external data (model.onnx_data) and when it is float16.
 * Outputs are decoded with onnx-proto (protobufjs), independent of the `pbf` wire code under test,
 * and the split graphs run in onnxruntime-node against the unsplit ones: the split only selects
 * rows, so the hidden states must be equal bit for bit (no tolerance).
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import { gatherBlockBytes, GATHER_BLOCK_BYTES } from '../../src/engine/graph/split-gather.ts';
import { prepareGraph, type PreparedGraph } from '../../src/engine/graph/prepare-graph.ts';
import { onnx, type OnnxTypes } from '../reference/onnx-proto.ts';
import { tinyFeeds } from './tiny-feeds.ts';

const TINY = 'public/models/qwen3-tiny/onnx';
const TABLE = 'model.embed_tokens.weight';
/** The tiny fixture: 151669 rows of 64; 3 layers, 2 KV heads of 32. */
const ROWS = 151669;
const WIDTH = 64;

beforeAll(async () => {
  await generateFixture({ outDir: 'public/models' });
}, 120_000);

describe('gatherBlockBytes', () => {
  it('splits for the staging bound, the binding limit, or the smaller of both', () => {
    expect(gatherBlockBytes(false, undefined)).toBeUndefined();
    expect(gatherBlockBytes(true, undefined)).toBe(GATHER_BLOCK_BYTES);
    expect(gatherBlockBytes(false, 2 ** 30)).toBe(2 ** 30);
    expect(gatherBlockBytes(true, 2 ** 30)).toBe(GATHER_BLOCK_BYTES);
    expect(gatherBlockBytes(true, 2 ** 20)).toBe(2 ** 20);
  });
});

function blocksOf(prepared: PreparedGraph): OnnxTypes.ITensorProto[] {
  const graph = onnx.ModelProto.decode(prepared.graph).graph;
  return (graph?.initializer ?? []).filter((t) => t.name?.startsWith(`${TABLE}/rows_`));
}

function entry(tensor: OnnxTypes.ITensorProto, key: string): string | undefined {
  return (tensor.externalData ?? []).find((e) => e.key === key)?.value ?? undefined;
}

/** Ids on both sides of the 4 MiB block edges (16384 float32 rows, 32768 float16 rows), and the last rows. */
const IDS = [0, 5, 16383, 16384, 32767, 32768, 40000, 99999, 151642, 151643, 151668];

async function hidden(prepared: PreparedGraph, half: boolean): Promise<Uint8Array> {
  const session = await ort.InferenceSession.create(prepared.graph, { externalData: prepared.externalData });
  const out = (await session.run(tinyFeeds(IDS, half), ['last_hidden_state'])).last_hidden_state;
  await session.release();
  const data = out?.data as Float32Array | Uint16Array;
  expect(data.length).toBe(IDS.length * WIDTH);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

describe.each([
  { graph: 'model.onnx', element: 4, half: false },
  { graph: 'model_fp16.onnx', element: 2, half: true },
])('a table in external data ($graph) over the WebGPU binding limit', ({ graph, element, half }) => {
  const data = `${graph}_data`;
  let file: Uint8Array;
  let external: { path: string; data: Uint8Array }[];
  beforeAll(() => {
    file = new Uint8Array(readFileSync(`${TINY}/${graph}`));
    external = [{ path: data, data: new Uint8Array(readFileSync(`${TINY}/${data}`)) }];
  });

  it('is left whole when it fits the limit and nothing is staged', async () => {
    const prepared = await prepareGraph(file, graph, external, { gpuBindingBytes: ROWS * WIDTH * element });
    expect(prepared.graph).toBe(file);
    expect(prepared.report.gatherBlocks).toBe(0);
  });

  it('is split into blocks under the limit that point into the external file, and gives the same hidden states bit for bit', async () => {
    const limit = 4 << 20;
    const split = await prepareGraph(file, graph, external, { gpuBindingBytes: limit });
    const blockRows = Math.floor(limit / (WIDTH * element));
    const blocks = blocksOf(split);
    expect(blocks).toHaveLength(Math.ceil(ROWS / blockRows));
    expect(blocks.every((t) => entry(t, 'location') === data)).toBe(true);
    expect(split.report).toMatchObject({ gatherBlocks: blocks.length, largestBlockBytes: blockRows * WIDTH * element });
    expect(Math.max(...blocks.map((t) => Number(entry(t, 'length'))))).toBeLessThanOrEqual(limit);
    // Consecutive blocks follow each other in the file: the table's bytes, only cut.
    const offsets = blocks.map((t) => Number(entry(t, 'offset')));
    expect(offsets.slice(1).map((o, k) => o - (offsets[k] ?? 0))).toEqual(
      offsets.slice(1).map(() => blockRows * WIDTH * element),
    );
    // The export's data file is passed through as it is; nothing was inline to hand over.
    expect(split.externalData).toBe(external);
    expect(split.report.externalisedBytes).toBe(0);
    const whole = await prepareGraph(file, graph, external);
    expect(Buffer.from(await hidden(split, half)).equals(Buffer.from(await hidden(whole, half)))).toBe(true);
  });
});
