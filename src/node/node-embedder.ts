import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { EmbedError } from '../core/errors.ts';
import type { Dtype } from '../core/types.ts';
import { describeInput, validateOptionNames } from '../core/validate.ts';
import { EmbedEngine } from '../engine/embed-engine.ts';
import { ortNativeRuntime } from '../engine/node/ort-native.ts';
import { ortWasmNodeRuntime } from '../engine/node/ort-wasm.ts';
import { httpSource } from '../model/http-source.ts';
import { modelFiles } from '../model/model-files.ts';
import { packAware } from '../model/packed-source.ts';
import { isHubId, resolveSource } from '../model/model-source.ts';
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
  /** Milliseconds without a byte after which a model file request counts as stalled and is retried (default 30 s). */
  idleTimeoutMs?: number;
}

const NODE_EMBEDDER_OPTION_NAMES = ['model', 'dtype', 'maxTokens', 'backend', 'idleTimeoutMs'] as const;

/** The engine the browser worker runs, wired to Node's files and runtimes. */
export async function createNodeEmbedder(options: NodeEmbedderOptions): Promise<EmbedEngine> {
  // A misspelt or mistyped option would otherwise be ignored: `backend: 'gpu'` quietly ran native.
  validateOptionNames(options, NODE_EMBEDDER_OPTION_NAMES, 'createNodeEmbedder');
  const backend = options.backend ?? 'native';
  if (backend !== 'native' && backend !== 'wasm')
    throw new EmbedError('INVALID_OPTION', `backend must be "native" or "wasm", got ${describeInput(backend)}`);
  if (typeof options.model !== 'string' || options.model === '')
    throw new EmbedError(
      'INVALID_OPTION',
      `model must be a folder, an http(s) URL or a Hub id, got ${describeInput(options.model)}`,
    );
  const { files, id, revision } = modelReader(options.model, options.idleTimeoutMs);
  const runtime = backend === 'wasm' ? ortWasmNodeRuntime() : ortNativeRuntime();
  return EmbedEngine.load(
    { files, runtime, device: backend === 'wasm' ? 'wasm' : 'cpu', dtype: options.dtype ?? 'auto', adapter: undefined },
    { model: id, revision, ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }) },
  );
}

/** A folder on disk, else a URL or Hub id over HTTP (no cache in Node: the files are read where they are). */
function modelReader(
  model: string,
  idleTimeoutMs: number | undefined,
): { files: ModelFileReader; id: string; revision: string | undefined } {
  const isUrl = /^https?:\/\//.test(model);
  if (!isUrl && existsSync(model))
    return { files: modelFiles(packAware(fsSource(model))), id: model, revision: undefined };
  if (!isUrl && !isHubId(model)) {
    throw new EmbedError(
      'MODEL_FILE_MISSING',
      `no folder ${resolve(model)} exists, and ${JSON.stringify(model)} is not a Hub model id (owner/name) or an http(s) URL either`,
    );
  }
  const source = resolveSource(isUrl ? { url: model } : model, undefined);
  if (source.kind !== 'http') throw new Error('unreachable: a string source is never local');
  const http = httpSource(source.baseUrl, {
    ...(source.treeUrl ? { treeUrl: source.treeUrl } : {}),
    ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
  });
  return { files: modelFiles(source.treeUrl ? http : packAware(http)), id: source.id, revision: source.revision };
}
