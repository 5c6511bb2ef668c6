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

  it('names the line and the rule for bad input, refuses input without items, and exits 1', async () => {
    const run = await tabembed(['embed', '--model', MODEL], '"fine"\n{"id":3}\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('SOURCE_INVALID: <stdin>:2: "text" is missing, not a string; each line must be');
    const empty = await tabembed(['embed', '--model', MODEL], '\n \n');
    expect(empty.code).toBe(1);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toContain('SOURCE_INVALID: <stdin> holds no items');
  });

  it('says which file is missing when the model folder is wrong', async () => {
    const run = await tabembed(['embed', '--model', 'tests'], '"x"\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('MODEL_FILE_MISSING');
    expect(run.stderr).toContain('config.json');
  });

  it('says plainly when --model is neither a folder nor a Hub id, and fetches nothing', async () => {
    const run = await tabembed(['embed', '--model', '/a/folder/that/does/not/exist'], '"x"\n');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('MODEL_FILE_MISSING');
    expect(run.stderr).toContain('no folder /a/folder/that/does/not/exist exists');
    expect(run.stderr).toContain('is not a Hub model id');
    expect(run.stderr).not.toContain('huggingface.co');
  });

  it('reads input that starts with a UTF-8 byte-order mark, as Windows editors write it', async () => {
    const withBom = await tabembed(['embed', '--model', MODEL, '--dtype', 'fp32'], '\uFEFF"Hello world"\n');
    expect(withBom.code, withBom.stderr).toBe(0);
    const [line] = lines(withBom);
    expect(cosine(line?.embedding ?? [], referenceEmbedding(reference, 'Hello world'))).toBeGreaterThanOrEqual(0.99999);
  });

  it('prints usage and exits 2 on a bad command line', async () => {
    const run = await tabembed(['embed', '--dimensions', '64'], '');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--model is required');
    expect(run.stderr).toContain('usage: tabembed embed');
    const idle = await tabembed(['embed', '--model', MODEL, '--idle-timeout', '0'], '');
    expect(idle.code).toBe(2);
    expect(idle.stderr).toContain('--idle-timeout must be a positive number of seconds, got 0');
  });
});
