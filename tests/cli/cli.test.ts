/**
 * `tabembed embed` as a user runs it: the installed bin script, JSONL on stdin, JSONL on stdout.
 * Vectors are checked against the independent float64 reference (fp32: cos ≥ 0.99999).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cosine } from '../reference/qwen3-forward.ts';
import { referenceEmbedding, referencePrompt, type ReferenceModel } from '../reference/reference-embedding.ts';
import { MODEL, prepareCli, tabembed, type Run } from './run-cli.ts';

interface OutputLine {
  id: string | number;
  embedding: number[];
  tokens: number;
}

function lines(run: Run): OutputLine[] {
  return run.stdout
    .trim()
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as OutputLine);
}

let reference: ReferenceModel;

beforeAll(async () => {
  reference = await prepareCli();
}, 120_000);

const INPUT = ['"Hello world"', '', '{"id":"doc-7","text":"你好，世界"}', '{"text":"no id here"}'].join('\n');

describe('tabembed embed', () => {
  it('turns JSONL texts into JSONL vectors that match the reference, ids kept or numbered', async () => {
    const run = await tabembed(['embed', '--model', MODEL, '--dtype', 'fp32'], INPUT);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = lines(run);
    expect(out.map((line) => line.id)).toEqual([0, 'doc-7', 2]);
    const texts = ['Hello world', '你好，世界', 'no id here'];
    out.forEach((line, i) => {
      expect(line.embedding).toHaveLength(64);
      expect(line.tokens).toBeGreaterThan(1);
      expect(cosine(line.embedding, referenceEmbedding(reference, texts[i] ?? ''))).toBeGreaterThanOrEqual(0.99999);
    });
  });

  it('embeds queries with the instruction and cuts to --dimensions', async () => {
    const instruction = 'Find the greeting';
    const run = await tabembed(
      ['embed', '--model', MODEL, '--dtype', 'fp32', '--query', '--instruction', instruction, '--dimensions', '32'],
      '"Hello world"\n',
    );
    const [line] = lines(run);
    expect(line?.embedding).toHaveLength(32);
    expect(
      cosine(line?.embedding ?? [], referenceEmbedding(reference, referencePrompt('Hello world', { instruction }), 32)),
    ).toBeGreaterThanOrEqual(0.99999);
  });

  it('gives the same vectors on --backend wasm (onnxruntime-web) as on native onnxruntime-node', async () => {
    const [native, wasm] = await Promise.all([
      tabembed(['embed', '--model', MODEL, '--dtype', 'q4'], INPUT),
      tabembed(['embed', '--model', MODEL, '--dtype', 'q4', '--backend', 'wasm'], INPUT),
    ]);
    expect(wasm.code).toBe(0);
    const a = lines(native);
    const b = lines(wasm);
    expect(b).toHaveLength(3);
    a.forEach((line, i) => expect(cosine(line.embedding, b[i]?.embedding ?? [])).toBeGreaterThanOrEqual(0.99999));
  }, 120_000);

  // Bad lines, input without items, bad flags, a missing model folder and a byte-order mark are
  // cases of the bad-input matrix (tests/reliability/cases-cli.ts).
});
