import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The GPU machine has no node_modules: scripts/gpu/gpu-main.ts is bundled into one ES module
 * with every dependency inside. transformers.js (only its tokenizer is used) is taken in its web
 * build, which imports onnxruntime-web/webgpu like the engine does, so one onnxruntime travels
 * and its native onnxruntime-node / sharp imports stay behind. dawn.node is loaded at run time.
 */
const transformersWeb = fileURLToPath(
  new URL('../../node_modules/@huggingface/transformers/dist/transformers.web.js', import.meta.url),
);

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  resolve: { alias: { '@huggingface/transformers': transformersWeb } },
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: true,
    outDir: process.env['GPU_BUNDLE_DIR'] ?? '.gpu-stage/bundle',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      input: { 'gpu-main': fileURLToPath(new URL('gpu-main.ts', import.meta.url)) },
      output: { entryFileNames: '[name].mjs', codeSplitting: false },
    },
  },
});
