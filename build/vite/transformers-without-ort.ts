import type { Plugin } from 'vite';

/**
 * @huggingface/transformers' web build imports `onnxruntime-web/webgpu` (and a Tensor from
 * `onnxruntime-common`) at its top level, although tabembed uses it for its tokenizer only. Left
 * alone, every bundle that tokenizes would carry transformers' onnxruntime eagerly, beside the
 * one build the engine imports lazily (src/engine/ort-web.ts): a second onnxruntime-common, a
 * second backend registry, and the asyncify build's glue even where JSPI or the plain build runs.
 *
 * This plugin resolves those two imports, when transformers makes them, to a small module with
 * no InferenceSession: transformers' tokenizers work, its models do not (its Tensor throws, saying
 * why). Bundles whose entry runs transformers' models (the benchmark's contender,
 * e2e/pages/transformers-worker.ts) are named in `keepFor` and keep transformers as published.
 *
 * Used in the app's and the library's builds, for the pages and, through `worker.plugins`, each
 * worker bundle (a new instance per bundle, which is how `keepFor` sees the entry). Vite's dev
 * server pre-bundles transformers without it: there transformers still carries its own
 * onnxruntime (a larger download in development, nothing else).
 */
const STUB = '\0tabembed:transformers-ort';
const REPLACED = new Set(['onnxruntime-web/webgpu', 'onnxruntime-common']);
const TRANSFORMERS = /[\\/]node_modules[\\/]@huggingface[\\/]transformers[\\/]/;

const STUB_SOURCE = `export class Tensor {
  constructor() {
    throw new Error('this bundle has @huggingface/transformers without onnxruntime (tabembed uses its tokenizer only; build/vite/transformers-without-ort.ts)');
  }
}
`;

export function transformersWithoutOrt(options: { keepFor?: readonly string[] } = {}): Plugin {
  const keepFor = (options.keepFor ?? []).map((entry) => entry.replaceAll('\\', '/'));
  let keep = false;
  return {
    name: 'tabembed:transformers-without-ort',
    enforce: 'pre',
    options(input) {
      const entries =
        typeof input.input === 'string'
          ? [input.input]
          : Array.isArray(input.input)
            ? input.input
            : Object.values(input.input ?? {});
      keep = entries.some((entry) => keepFor.some((kept) => entry.replaceAll('\\', '/').endsWith(kept)));
      return null;
    },
    resolveId(source, importer) {
      if (keep || !REPLACED.has(source) || importer === undefined || !TRANSFORMERS.test(importer)) return null;
      return STUB;
    },
    load(id) {
      return id === STUB ? STUB_SOURCE : null;
    },
  };
}
