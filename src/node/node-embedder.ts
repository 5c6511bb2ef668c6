import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dtype } from '../core/types.ts';
import { EmbedEngine } from '../engine/embed-engine.ts';
import { ortNodeRuntime } from '../engine/ort-node.ts';
import { ortWebRuntime } from '../engine/ort-web.ts';
import type { OrtRuntime } from '../engine/runtime.ts';
import { httpFiles } from '../model/http-files.ts';
import { resolveSource } from '../model/model-source.ts';
import type { ModelFileReader } from '../model/file-reader.ts';
import { localFiles } from './local-files.ts';

export type NodeBackend = 'native' | 'wasm';

export interface NodeEmbedderOptions {
  /** A folder in Hub layout, an http(s) base URL, or a Hub id. */
  model: string;
  dtype?: Dtype | 'auto';
  maxTokens?: number;
  /** onnxruntime-node's native CPU kernels, or onnxruntime-web's WASM ones (as in the browser). */
  backend?: NodeBackend;
}

/** The engine the browser worker runs, wired to Node's files and runtimes. */
export async function createNodeEmbedder(options: NodeEmbedderOptions): Promise<EmbedEngine> {
  const { files, id, revision } = modelReader(options.model);
  const backend = options.backend ?? 'native';
  const runtime = backend === 'wasm' ? nodeWasmRuntime() : ortNodeRuntime();
  return EmbedEngine.load(
    { files, runtime, device: backend === 'wasm' ? 'wasm' : 'cpu', dtype: options.dtype ?? 'auto', adapter: undefined },
    { model: id, revision, ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }) },
  );
}

function modelReader(model: string): { files: ModelFileReader; id: string; revision: string | undefined } {
  if (/^https?:\/\//.test(model)) return { files: httpFiles(resolveSource({ url: model }, undefined).baseUrl), id: model, revision: undefined };
  if (existsSync(model)) return { files: localFiles(model), id: model, revision: undefined };
  const source = resolveSource(model, undefined);
  return { files: httpFiles(source.baseUrl), id: source.id, revision: source.revision };
}

/**
 * onnxruntime-web in Node cannot fetch its wasm from a file URL; it runs when handed the bytes
 * of the binary that its `webgpu` build expects (see ENVIRONMENT.md). One thread: Node has no
 * cross-origin-isolated workers for it here.
 */
function nodeWasmRuntime(): OrtRuntime {
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm'));
  return ortWebRuntime({ wasmBinary: readFileSync(join(dist, 'ort-wasm-simd-threaded.asyncify.wasm')), numThreads: 1 }, ['wasm']);
}
