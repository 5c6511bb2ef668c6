import { defineConfig } from 'vitest/config';

/*
 * Standalone on purpose: vite.config.ts resolves with browser / onnxruntime-web-use-extern-wasm
 * export conditions for the page and worker bundles, which would hand Node tests the browser
 * builds of comlink, transformers.js and onnxruntime. Tests here run in Node.
 */
export default defineConfig({
  test: {
    environment: 'node',
    // Playwright specs live in e2e/ and run under `playwright test`, never under vitest.
    include: ['tests/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**', 'dist/**'],
    // onnxruntime-node is a native addon: child processes isolate it better than worker threads.
    pool: 'forks',
    // Vitest's default is one fork fewer than the cores: a single fork on CI's two, where the
    // files then run one after another (190 s; 115 s with two forks, both cores busy).
    maxWorkers: '100%',
    // Unit tests finish in milliseconds; tests/numerics runs several ONNX sessions per test and
    // generates the fixture in a beforeAll (up to ~60 s), and sets its own longer limits there.
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
