/**
 * The embedding worker loads ONE onnxruntime-web build, chosen at load (src/engine/ort-web-build.ts):
 * jspi, asyncify (`onnxruntime-web/webgpu`) or plain (`onnxruntime-web/wasm`). Each prebuilt
 * build carries its own onnxruntime-common, so the bundle must keep them apart: each in its own
 * lazily imported chunk, none in the chunk every worker start runs, and no extra copy from
 * @huggingface/transformers (the tokenizer), which imports onnxruntime-web/webgpu at its top level
 * (build/vite/transformers-without-ort.ts). Two copies in one worker would double the download
 * and give tensors and sessions different classes. Builds the app with the real vite.config.ts
 * into a temporary folder.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const outDir = mkdtempSync(join(tmpdir(), 'tabembed-bundle-'));
let worker = '';
/** The chunks the worker imports with `import()`, by file name. */
const lazy = new Map<string, string>();

/**
 * The version of each copy of onnxruntime-common in `code`: each copy defines its env object once,
 * `versions:{common:…}`, with a literal or (minified) a variable assigned one, e.g. `_=`1.30.0``.
 * (The test this replaces matched only the literal form, and so missed the second copy that
 * transformers' own `onnxruntime-common` import added.)
 */
function commonVersions(code: string): string[] {
  return [...code.matchAll(/versions:\{common:(`[^`]*`|[\w$]+)\}/g)].map(([, value = '']) => {
    if (value.startsWith('`')) return value.slice(1, -1);
    const assigned = [...code.matchAll(/(?<![\w$.])([\w$]+)=`(\d+\.\d+\.\d+[^`]*)`/g)].find(
      ([, name]) => name === value,
    );
    return assigned?.[2] ?? `unknown (${value})`;
  });
}

beforeAll(async () => {
  await build({
    configFile: 'vite.config.ts',
    publicDir: false,
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  });
  const assets = join(outDir, 'assets');
  const file = readdirSync(assets).find((name) => name.startsWith('embed.worker') && name.endsWith('.js'));
  if (!file) throw new Error(`no embed.worker chunk in ${assets}`);
  worker = readFileSync(join(assets, file), 'utf8');
  for (const [, name] of worker.matchAll(/import\(\s*[`'"]\.\/([^`'"]+\.js)[`'"]\s*\)/g)) {
    if (name !== undefined) lazy.set(name, readFileSync(join(assets, name), 'utf8'));
  }
}, 120_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** The runtime glue a chunk of onnxruntime-web loads: which build it is. */
function gluesOf(code: string): string[] {
  return [...new Set(code.match(/ort-wasm-simd-threaded(?:\.[a-z]+)?\.mjs/g) ?? [])];
}

describe('the embedding worker bundle', () => {
  it('starts without any onnxruntime: the chunk every worker runs holds no onnxruntime-common and names no wasm build', () => {
    expect(commonVersions(worker)).toEqual([]);
    expect(gluesOf(worker)).toEqual([]);
  });

  it('imports each onnxruntime-web build lazily, in its own chunk holding exactly one onnxruntime-common 1.30.0', () => {
    const ortChunks = [...lazy.entries()].filter(([, code]) => commonVersions(code).length > 0);
    expect(ortChunks.map(([, code]) => gluesOf(code)).sort()).toEqual([
      ['ort-wasm-simd-threaded.asyncify.mjs'],
      ['ort-wasm-simd-threaded.jspi.mjs'],
      ['ort-wasm-simd-threaded.mjs'],
    ]);
    for (const [name, code] of ortChunks) {
      expect({ name, common: commonVersions(code) }).toEqual({ name, common: ['1.30.0'] });
    }
  });

  it('holds the tokenizer and the engine in one chunk, without a wasm inlined', () => {
    expect(worker).toContain('<|endoftext|>');
    expect(worker.length).toBeLessThan(600_000);
    for (const code of lazy.values()) expect(code.length).toBeLessThan(200_000);
  });

  it('ships every build’s runtime files at /ort/, unchanged', () => {
    expect(readdirSync(join(outDir, 'ort')).sort()).toEqual([
      'ort-wasm-simd-threaded.asyncify.mjs',
      'ort-wasm-simd-threaded.asyncify.wasm',
      'ort-wasm-simd-threaded.jspi.mjs',
      'ort-wasm-simd-threaded.jspi.wasm',
      'ort-wasm-simd-threaded.mjs',
      'ort-wasm-simd-threaded.wasm',
    ]);
  });
});
