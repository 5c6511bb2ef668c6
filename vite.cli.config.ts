import { defineConfig } from 'vite';

/**
 * The Node build of the CLI: one ES module per entry, every dependency left external so
 * onnxruntime-node, onnxruntime-web and @huggingface/transformers load from node_modules.
 */
export default defineConfig({
  publicDir: false,
  build: {
    ssr: true,
    outDir: 'dist/node',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: { input: { 'cli-main': 'src/node/cli-main.ts', index: 'src/node/index.ts' } },
  },
});
