/**
 * `tabembed pack-model` on the tiny fixture, then the packed folder through the loader as a user
 * would load it (createNodeEmbedder on a directory).
 *
 * The limit is 6 MiB, not smaller: the fixture's tokenizer.json (5.4 MB, the real Qwen3 BPE) is
 * read whole and cannot be split, so no smaller limit packs it (tested below). 6 MiB still cuts
 * each graph's weights into 7 chunks and its 38.8 MB float32 embedding table into 7 row blocks.
 *
 * Packed vs original: cos ≥ 0.999999. The packed graph holds the same tensors bit for bit, and
 * the split table's Gathers select rows (Where/Sum with zeros adds nothing), so the maths is the
 * same; the bound leaves room only for onnxruntime ordering float32 sums differently in a
 * rewritten graph (~1e-7 per value). Measured: identical vectors (max |Δ| = 0) at fp32 and q8.
 */
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import { parseModelConfig } from '../../src/core/model-config.ts';
import { modelBytes } from '../../src/engine/graph/model-bytes.ts';
import { isLarge, scanModel } from '../../src/engine/graph/onnx-model.ts';
import { fieldsOf, GRAPH, TENSOR } from '../../src/engine/graph/onnx-wire.ts';
import { MOVED_BYTES } from '../../src/engine/graph/pack-graph.ts';
import { modelFiles } from '../../src/model/dtype-files.ts';
import { PACK_MANIFEST, type PackManifest } from '../../src/model/pack-manifest.ts';
import { createNodeEmbedder } from '../../src/node/node-embedder.ts';
import { packModel, parseByteSize } from '../../src/node/pack-model.ts';
import { startHubServer, type HubServer } from '../../e2e/support/hub-server.ts';
import { cosine } from '../reference/qwen3-forward.ts';
import { loadReferenceModel, referenceEmbedding } from '../reference/reference-embedding.ts';

const TINY = 'public/models/qwen3-tiny';
const LIMIT = 6 * 1024 * 1024;
const TEXTS = ['cats purr', 'The quick brown fox jumps over the lazy dog.', '你好，世界！', 'x'];
const SAME_MATHS = 0.999999;

let work: string;
let packed: string;
let manifest: PackManifest;

beforeAll(async () => {
  await generateFixture({ outDir: 'public/models' });
  work = mkdtempSync(join(tmpdir(), 'tabembed-pack-'));
  packed = join(work, 'packed');
  manifest = await packModel(TINY, packed, { maxFileSize: parseByteSize('6MiB'), dtypes: ['q8', 'fp32'] });
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe('tabembed pack-model', () => {
  it('writes every file under the limit, and a manifest whose sizes and sha256s are the files', () => {
    const files = filesUnder(packed);
    for (const file of files) expect(statSync(join(packed, file)).size, file).toBeLessThanOrEqual(LIMIT);
    expect(manifest.maxFileSize).toBe(LIMIT);
    expect(manifest.tool).toMatch(/^tabembed \d+\.\d+\.\d+ pack-model$/);
    expect(JSON.parse(readFileSync(join(packed, PACK_MANIFEST), 'utf8'))).toEqual(manifest);
    expect(manifest.files.map((f) => f.path)).toEqual(files.filter((f) => f !== PACK_MANIFEST));
    for (const file of manifest.files) {
      const bytes = readFileSync(join(packed, file.path));
      expect(bytes.length, file.path).toBe(file.size);
      expect(createHash('sha256').update(bytes).digest('hex'), file.path).toBe(file.sha256);
    }
  });

  it('names the chunks as the loader counts them, and leaves no weight in the graphs (nothing inline of 1 KiB or more)', async () => {
    const spec = parseModelConfig(JSON.parse(readFileSync(join(packed, 'config.json'), 'utf8')), 'packed config');
    for (const dtype of ['q8', 'fp32'] as const) {
      const set = modelFiles(dtype, spec);
      expect(set.externalData.length, dtype).toBe(7);
      expect(manifest.files.map((f) => f.path).filter((p) => p.startsWith(`${set.graph}_data`))).toEqual(
        [...set.externalData].sort(),
      );
      const model = await scanModel(modelBytes(readFileSync(join(packed, set.graph))));
      expect(model.graphFields.filter(isLarge), dtype).toEqual([]);
      // What stays inline is under MOVED_BYTES: scalars, shapes, and this tiny model's 256-byte norms.
      const inline = model.graphFields
        .filter((field) => !isLarge(field) && field.tag === GRAPH.initializer)
        .map((field) =>
          isLarge(field) ? 0 : (fieldsOf(field.value).find((f) => f.tag === TENSOR.rawData)?.value.length ?? 0),
        );
      expect(Math.max(...inline), dtype).toBeLessThan(MOVED_BYTES);
    }
    // Only the dtypes asked for.
    expect(existsSync(join(packed, 'onnx/model_q4.onnx'))).toBe(false);
  });

  for (const dtype of ['q8', 'fp32'] as const) {
    it(`gives the vectors the original folder gives (${dtype}, cos ≥ ${SAME_MATHS})`, async () => {
      const [original, fromPack] = await Promise.all([
        createNodeEmbedder({ model: TINY, dtype }),
        createNodeEmbedder({ model: packed, dtype }),
      ]);
      try {
        const [a, b] = await Promise.all([original.embed(TEXTS), fromPack.embed(TEXTS)]);
        for (let i = 0; i < TEXTS.length; i++) {
          const row = (r: typeof a) => r.vectors.subarray(i * r.dimensions, (i + 1) * r.dimensions);
          expect(cosine(row(a), row(b)), TEXTS[i]).toBeGreaterThanOrEqual(SAME_MATHS);
        }
      } finally {
        await Promise.all([original.dispose(), fromPack.dispose()]);
      }
    }, 120_000);
  }

  it('gives the independent float64 reference at fp32 (cos ≥ 0.99999, as the numerics suite)', async () => {
    const [engine, reference] = await Promise.all([
      createNodeEmbedder({ model: packed, dtype: 'fp32' }),
      loadReferenceModel(TINY, 'model.onnx'),
    ]);
    try {
      const result = await engine.embed(TEXTS);
      TEXTS.forEach((text, i) => {
        const vector = result.vectors.subarray(i * result.dimensions, (i + 1) * result.dimensions);
        expect(cosine(vector, referenceEmbedding(reference, text)), text).toBeGreaterThanOrEqual(0.99999);
      });
    } finally {
      await engine.dispose();
    }
  }, 120_000);

  it('refuses a tampered chunk with MODEL_INTEGRITY_FAILED naming it', async () => {
    const tampered = join(work, 'tampered');
    cpSync(packed, tampered, { recursive: true });
    const chunk = join(tampered, 'onnx/model_quantized.onnx_data_3');
    const bytes = readFileSync(chunk);
    bytes[1000] = (bytes[1000] ?? 0) ^ 0x01;
    writeFileSync(chunk, bytes);
    const load = createNodeEmbedder({ model: tampered, dtype: 'q8' });
    await expect(load).rejects.toMatchObject({ code: 'MODEL_INTEGRITY_FAILED' });
    await expect(load).rejects.toThrow(/model_quantized\.onnx_data_3 has sha256 [0-9a-f]{64}, expected/);
  }, 120_000);
});

describe('a packed model over HTTP (a { url } in Node, the fake Hub serving the folder as plain files)', () => {
  let hub: HubServer;
  let url: string;
  beforeAll(async () => {
    hub = await startHubServer({ repos: { 'tabembed/packed': packed } });
    url = `${hub.origin}/tabembed/packed/resolve/main/`;
  });
  afterAll(() => hub.close());

  it('takes sizes and sha256s from the manifest (no HEAD), resumes a dropped chunk with Range, and gives the same vectors', async () => {
    hub.setFaults([{ path: 'onnx/model_quantized.onnx_data_2', fault: 'drop', times: 1, after: 1_000_000 }]);
    const [fromUrl, fromDir] = await Promise.all([
      createNodeEmbedder({ model: url, dtype: 'q8' }),
      createNodeEmbedder({ model: packed, dtype: 'q8' }),
    ]);
    try {
      const chunk = hub.requests().filter((r) => r.path.endsWith('/onnx/model_quantized.onnx_data_2'));
      expect(chunk.map((r) => r.range)).toEqual([undefined, 'bytes=1000000-']);
      expect(hub.requests().filter((r) => r.method !== 'GET')).toEqual([]);
      const [a, b] = await Promise.all([fromUrl.embed(TEXTS), fromDir.embed(TEXTS)]);
      expect(cosine(a.vectors, b.vectors)).toBeGreaterThanOrEqual(SAME_MATHS);
    } finally {
      await Promise.all([fromUrl.dispose(), fromDir.dispose()]);
    }
  }, 120_000);

  it('refuses a chunk corrupted in transit, after one fresh download, with MODEL_INTEGRITY_FAILED naming its URL', async () => {
    hub.resetLog();
    hub.setFaults([{ path: 'onnx/model_quantized.onnx_data_5', fault: 'bitflip' }]);
    await expect(createNodeEmbedder({ model: url, dtype: 'q8' })).rejects.toMatchObject({
      code: 'MODEL_INTEGRITY_FAILED',
      message: expect.stringContaining(`${url}onnx/model_quantized.onnx_data_5 has sha256`),
    });
    expect(hub.requests().filter((r) => r.path.endsWith('/onnx/model_quantized.onnx_data_5'))).toHaveLength(2);
  }, 120_000);
});

describe('tabembed pack-model refuses', () => {
  const out = (): string => join(work, `refused-${Math.random().toString(36).slice(2)}`);

  it('a limit below a file that is read whole (tokenizer.json), writing nothing', async () => {
    const dir = out();
    await expect(packModel(TINY, dir, { maxFileSize: 2 * 1024 * 1024, dtypes: ['q8'] })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringMatching(
        /^tokenizer\.json is 5\d{6} bytes, over --max-file-size 2097152.*at least 5\d{6}$/,
      ),
    });
    expect(existsSync(dir)).toBe(false);
  });

  it('a limit below a tensor that cannot be split, naming it', async () => {
    await expect(packModel(TINY, out(), { maxFileSize: 40 * 1024, dtypes: ['fp32'] })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringMatching(
        /^model\.onnx's tensor \S+ is \d+ bytes, more than --max-file-size 40960 bytes, and cannot be split/,
      ),
    });
  });

  it('a limit that would need more chunks than the loader reads (100)', async () => {
    // fp32: 39.6 MB of weights in 300 KiB chunks is about 130 chunks; each tensor, and the graph, fits.
    await expect(packModel(TINY, out(), { maxFileSize: 300 * 1024, dtypes: ['fp32'] })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringMatching(/^onnx\/model\.onnx would need \d{3,} chunks .* at most 100: raise the limit$/),
    });
  });

  it('an unknown dtype, a dtype the folder lacks, a missing folder, a bad size, a folder not empty', async () => {
    await expect(packModel(TINY, out(), { dtypes: ['q9'] })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('--dtype q9 is not one of'),
    });
    await expect(packModel(TINY, out(), { dtypes: ['bnb4'] })).rejects.toMatchObject({ code: 'DTYPE_UNAVAILABLE' });
    await expect(packModel(join(work, 'no-such-model'), out())).rejects.toMatchObject({
      code: 'MODEL_FILE_MISSING',
      message: expect.stringContaining('no-such-model is not a model folder'),
    });
    expect(() => parseByteSize('2 parsecs')).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => parseByteSize('0MiB')).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect([parseByteSize('25MiB'), parseByteSize('2 MiB'), parseByteSize('500kB'), parseByteSize('1048576')]).toEqual([
      26214400, 2097152, 500000, 1048576,
    ]);
    const full = out();
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'mine');
    await expect(packModel(TINY, full)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    expect(readdirSync(full)).toEqual(['keep.txt']);
  });
});
