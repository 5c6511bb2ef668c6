/**
 * The streaming reference (one layer read and dequantised at a time, embedding rows gathered one
 * by one, all prompts through each layer together) must give exactly the floats of the
 * whole-model reference, which holds every weight and runs each prompt alone: it exists for the
 * 4B check (issue 17), where the whole-model path would need ~32 GB, and there it cannot be
 * compared with anything but itself, so the tiny fixture is where it earns its trust.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import {
  loadReferenceModel,
  referenceEmbedding,
  referencePrompt,
  streamingReferenceEmbeddings,
} from '../reference/reference-embedding.ts';
import { ReferenceWeightSource } from '../reference/weight-source.ts';

const TINY = 'public/models/qwen3-tiny';
/** Different lengths (1 to ~40 tokens), a query with its instruction, non-Latin text. */
const PROMPTS = [
  'x',
  'Hello world',
  referencePrompt('What is the capital of France?', {
    instruction: 'Given a question, retrieve passages that answer it',
  }),
  '你好，世界！今天天气很好。',
];

beforeAll(async () => {
  await generateFixture({ outDir: 'public/models' });
}, 120_000);

describe('streaming reference', () => {
  for (const [file, activations] of [
    ['model.onnx', 'exact'], // fp32 in an external data file
    ['model_fp16.onnx', 'exact'], // fp16 in an external data file
    ['model_q4.onnx', 'exact'], // MatMulNBits, inline
    ['model_quantized.onnx', 'per-row-int8'], // MatMulInteger, inline
  ] as const) {
    it(`${file}: gives the whole-model reference's floats, bit for bit`, async () => {
      const whole = await loadReferenceModel(TINY, file, activations);
      const layers: number[] = [];
      const streamed = streamingReferenceEmbeddings(TINY, file, PROMPTS, {
        activations,
        onLayer: (done) => layers.push(done),
      });
      expect(layers).toEqual([1, 2, 3]);
      expect(streamed).toHaveLength(PROMPTS.length);
      PROMPTS.forEach((prompt, i) => {
        const expected = referenceEmbedding(whole, prompt);
        expect(expected).toHaveLength(64);
        expect(streamed[i]).toEqual(expected);
      });
    });
  }

  it('reads one embedding row as the same floats as that row of the whole table', () => {
    const source = new ReferenceWeightSource(TINY, 'model.onnx');
    const table = source.embedTable();
    expect(table).toMatchObject({ rows: 151669, cols: 64 });
    for (const id of [0, 1, 9707, 151643, 151668]) {
      const row = source.embedRow(id);
      expect(row).toEqual(table.data.slice(id * 64, (id + 1) * 64));
      expect(row.some((v) => v !== 0)).toBe(true);
    }
    expect(() => source.embedRow(151669)).toThrow('token id 151669 outside the vocabulary');
    expect(() => source.embedRow(-1)).toThrow('outside the vocabulary');
  });
});
