/** blobSource over node's own Blob (the same class the browser hands a worker for a picked File). */
import { Blob } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { blobSource, normalise } from '../../src/model/blob-source.ts';

/** Over the 8 MiB read size, so a whole read takes more than one slice. */
const BIG = Uint8Array.from({ length: 9 * 1024 * 1024 + 123 }, (_, i) => (i * 13 + (i >> 12)) % 256);

async function drain(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return new Uint8Array(Buffer.concat(parts));
}

function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(actual, expected)).toBe(0);
}

describe('normalise', () => {
  it.each([
    ['Qwen3-Embedding-0.6B-ONNX/onnx/model_q4.onnx', 'onnx/model_q4.onnx'],
    ['onnx/model_q4.onnx_data', 'onnx/model_q4.onnx_data'],
    ['/home/me/models/Qwen3-Embedding-0.6B-ONNX/onnx/model.onnx', 'onnx/model.onnx'],
    ['./Qwen3-Embedding-0.6B-ONNX//onnx/model_fp16.onnx', 'onnx/model_fp16.onnx'],
    ['Qwen3-Embedding-0.6B-ONNX/config.json', 'config.json'],
    ['Qwen3-Embedding-0.6B-ONNX/tokenizer.json', 'tokenizer.json'],
    ['tokenizer_config.json', 'tokenizer_config.json'],
  ])('turns %s into %s', (picked, repoPath) => {
    expect(normalise(picked)).toBe(repoPath);
  });
});

describe('blobSource', () => {
  const files = [
    { path: 'Qwen3-Embedding-0.6B-ONNX/config.json', file: new Blob(['{"model_type":"qwen3"}']) },
    { path: 'Qwen3-Embedding-0.6B-ONNX/onnx/model_q4.onnx', file: new Blob([BIG]) },
  ];

  it('stats a picked file under its repo path with its size and no sha256', async () => {
    const source = blobSource(files);
    await expect(source.stat('config.json')).resolves.toEqual({ size: 22, sha256: undefined });
    await expect(source.stat('onnx/model_q4.onnx')).resolves.toEqual({ size: BIG.length, sha256: undefined });
  });

  it('says undefined for a file that was not picked', async () => {
    await expect(blobSource(files).stat('onnx/model_fp16.onnx')).resolves.toBeUndefined();
  });

  it('names a local file in messages', () => {
    expect(blobSource(files).locate('onnx/model_q4.onnx')).toBe('local file onnx/model_q4.onnx');
  });

  it('streams a whole file from 0, in more than one slice', async () => {
    const stream = await blobSource(files).open('onnx/model_q4.onnx');
    expect(stream).toMatchObject({ start: 0, size: BIG.length });
    const parts: number[] = [];
    const chunks: Uint8Array[] = [];
    for await (const chunk of stream.chunks) {
      parts.push(chunk.length);
      chunks.push(chunk);
    }
    expect(parts).toEqual([8 * 1024 * 1024, 1024 * 1024 + 123]);
    expectBytes(new Uint8Array(Buffer.concat(chunks)), BIG);
  });

  it('streams the rest of a file from an offset, starting there', async () => {
    const stream = await blobSource(files).open('onnx/model_q4.onnx', { offset: 5_000_000 });
    expect(stream).toMatchObject({ start: 5_000_000, size: BIG.length });
    expectBytes(await drain(stream.chunks), BIG.subarray(5_000_000));
  });

  it('streams nothing from an offset at the end', async () => {
    const stream = await blobSource(files).open('config.json', { offset: 22 });
    expect(await drain(stream.chunks)).toEqual(new Uint8Array(0));
  });
});
