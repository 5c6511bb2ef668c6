/**
 * The worker bundle must carry ONE onnxruntime: @huggingface/transformers imports
 * onnxruntime-web/webgpu too, and a second copy (another version, or the same one resolved
 * twice) would double the download and give the tokenizer's and the engine's tensors different
 * classes. Builds the app with the real vite.config.ts into a temporary folder.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const outDir = mkdtempSync(join(tmpdir(), 'tabembed-bundle-'));
let worker = '';

beforeAll(async () => {
  await build({ configFile: 'vite.config.ts', publicDir: false, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  const file = readdirSync(join(outDir, 'assets')).find((name) => name.startsWith('embed.worker') && name.endsWith('.js'));
  if (!file) throw new Error(`no embed.worker chunk in ${outDir}/assets`);
  worker = readFileSync(join(outDir, 'assets', file), 'utf8');
}, 120_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the embedding worker bundle', () => {
  it('holds exactly one onnxruntime-common, version 1.30.0', () => {
    // onnxruntime-common's env object is defined once per copy, with its version inside.
    expect(worker.match(/versions:\{common:`[^`]+`/g)).toEqual(['versions:{common:`1.30.0`']);
  });

  it('holds the tokenizer and the engine in one chunk, without the 26 MB wasm inlined', () => {
    expect(worker).toContain('<|endoftext|>');
    expect(worker.length).toBeLessThan(2_000_000);
  });

  it('ships the ort runtime files it loads at /ort/', () => {
    expect(readdirSync(join(outDir, 'ort')).sort()).toEqual(['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm']);
  });
});
