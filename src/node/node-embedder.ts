import { existsSync } from 'node:fs';
import type { Dtype } from '../core/types.ts';
import { EmbedEngine } from '../engine/embed-engine.ts';
import { ortNativeRuntime } from '../engine/node/ort-native.ts';
import { ortWasmNodeRuntime } from '../engine/node/ort-wasm.ts';
import { httpSource } from '../model/http-source.ts';
import { modelFiles } from '../model/model-files.ts';
import { resolveSource } from '../model/model-source.ts';
import type { ModelFileReader } from '../model/file-reader.ts';
import { fsSource } from './fs-source.ts';

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
  const runtime = backend === 'wasm' ? ortWasmNodeRuntime() : ortNativeRuntime();
  return EmbedEngine.load(
    { files, runtime, device: backend === 'wasm' ? 'wasm' : 'cpu', dtype: options.dtype ?? 'auto', adapter: undefined },
    { model: id, revision, ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }) },
  );
}

/** A folder on disk, else a URL or Hub id over HTTP (no cache in Node: the files are read where they are). */
function modelReader(model: string): { files: ModelFileReader; id: string; revision: string | undefined } {
  if (!/^https?:\/\//.test(model) && existsSync(model)) return { files: modelFiles(fsSource(model)), id: model, revision: undefined };
  const source = resolveSource(/^https?:\/\//.test(model) ? { url: model } : model, undefined);
  if (source.kind !== 'http') throw new Error('unreachable: a string source is never local');
  return { files: modelFiles(httpSource(source.baseUrl, source.treeUrl ? { treeUrl: source.treeUrl } : {})), id: source.id, revision: source.revision };
}

