/**
 * External data in chunks, as onnx-community publishes models over 2 GiB (issue 17): the
 * generator's chunked files must load through the real loader (createNodeEmbedder: config.json's
 * `use_external_data_format` count → `model_q4f16.onnx_data`, `_data_1`, … → onnxruntime) and
 * give the vectors of the same weights written unchunked.
 *
 * The chunk limit is forced down to 64 KiB so the tiny model spreads over many chunks: its
 * embedding table (151669 × 64, 19–39 MB) takes one alone, the layers' tensors fill the rest.
 *
 * Tolerance: none. Both folders hold the same bytes for every tensor (same seed) and the same
 * graph but for where each tensor's bytes sit, and run on the same kernels, so every vector
 * value must be equal.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import { variantFileName } from '../../scripts/fixture/config.ts';
import type { NodeBackend } from '../../src/node/node-embedder.ts';
import { createNodeEmbedder } from '../../src/node/node-embedder.ts';
import { onnx } from '../reference/onnx-proto.ts';

const ROOT = join(tmpdir(), `tabembed-chunks-${process.pid}`);
const CHUNKED = join(ROOT, 'chunked');
const WHOLE = join(ROOT, 'whole');
const MAX_CHUNK_BYTES = 64 * 1024;
const VARIANTS = ['fp32', 'q4f16'] as const;
const TEXTS = ['hello world', 'Le chat dort sur le rebord chaud de la fenêtre.', '猫在温暖的窗台上睡觉。'];

interface Placement {
  name: string;
  location: string;
  offset: number;
  length: number;
}

/** Every external tensor of `<dir>/onnx/<file>`: which chunk, where in it. */
function placements(dir: string, file: string): Placement[] {
  const model = onnx.ModelProto.decode(readFileSync(join(dir, 'onnx', file)));
  return (model.graph?.initializer ?? []).flatMap((t) => {
    if (t.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) return [];
    const entry = new Map((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
    return [
      {
        name: t.name ?? '',
        location: entry.get('location') ?? '',
        offset: Number(entry.get('offset')),
        length: Number(entry.get('length')),
      },
    ];
  });
}

function declaredChunks(dir: string, file: string): unknown {
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
    'transformers.js_config': { use_external_data_format: Record<string, unknown> };
  };
  return config['transformers.js_config'].use_external_data_format[file];
}

beforeAll(async () => {
  const options = { preset: 'qwen3-tiny', variants: VARIANTS, allExternal: true, force: true } as const;
  await generateFixture({ ...options, outDir: CHUNKED, maxChunkBytes: MAX_CHUNK_BYTES });
  await generateFixture({ ...options, outDir: WHOLE });
}, 120_000);

afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

describe.each(VARIANTS)('%s written in 64 KiB external data chunks', (variant) => {
  const file = variantFileName(variant);

  it('declares its chunk count in config.json and places every tensor whole inside one chunk', () => {
    const chunked = placements(join(CHUNKED, 'qwen3-tiny'), file);
    const count = declaredChunks(join(CHUNKED, 'qwen3-tiny'), file);
    expect(typeof count).toBe('number');
    const names = Array.from({ length: Number(count) }, (_, i) => `${file}_data${i === 0 ? '' : `_${i}`}`);
    expect(names.length).toBeGreaterThan(2);
    // Every chunk is used, and only the declared ones are.
    expect(new Set(chunked.map((p) => p.location))).toEqual(new Set(names));
    for (const name of names) {
      const size = statSync(join(CHUNKED, 'qwen3-tiny', 'onnx', name)).size;
      const inside = chunked.filter((p) => p.location === name);
      for (const p of inside) expect(p.offset + p.length).toBeLessThanOrEqual(size);
      // Over the limit only when one tensor alone is larger (the embedding table).
      if (size > MAX_CHUNK_BYTES) expect(inside.length).toBe(1);
    }
    // The same tensors as the unchunked file, of the same lengths, in one `_data` there.
    const whole = placements(join(WHOLE, 'qwen3-tiny'), file);
    expect(declaredChunks(join(WHOLE, 'qwen3-tiny'), file)).toBe(true);
    expect(new Set(whole.map((p) => p.location))).toEqual(new Set([`${file}_data`]));
    expect(chunked.map(({ name, length }) => [name, length])).toEqual(whole.map(({ name, length }) => [name, length]));
  });

  it.each(['native', 'wasm'] satisfies NodeBackend[])(
    'loads through createNodeEmbedder (%s) and embeds exactly as the unchunked file',
    async (backend) => {
      const chunked = await createNodeEmbedder({ model: join(CHUNKED, 'qwen3-tiny'), dtype: variant, backend });
      const whole = await createNodeEmbedder({ model: join(WHOLE, 'qwen3-tiny'), dtype: variant, backend });
      try {
        const a = await chunked.embed(TEXTS);
        const b = await whole.embed(TEXTS);
        expect(a.vectors.length).toBe(TEXTS.length * 64);
        expect(a.vectors.every(Number.isFinite)).toBe(true);
        expect(a.vectors).toEqual(b.vectors);
      } finally {
        await chunked.dispose();
        await whole.dispose();
      }
    },
    60_000,
  );
});
