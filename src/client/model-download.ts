/**
 * The size of a model's download before it starts (issue 15, item 3): a short-lived embed
 * worker runs the load's own first steps (config, device, dtype, the files' sizes; engine's
 * download-plan.ts) without opening the cache or fetching a weight byte, then ends; the page
 * reads which of those files its OPFS cache already holds (cache-catalog.ts). The model code
 * stays in the worker (ARCHITECTURE: only workers import model and engine).
 */
import * as Comlink from 'comlink';
import type { DeviceChoice, Dtype, ModelDownloadSize, ModelSource } from '../core/types.ts';
import { installErrorWire } from '../protocol/error-wire.ts';
import type { EmbedWorkerApi } from '../protocol/worker-api.ts';
import { listCachedModels } from './cache-catalog.ts';
import { absolute, workerGuard } from './create-embedder.ts';
import { startEmbedWorker } from './start-worker.ts';
import EMBED_WORKER_URL from '../../workers/embed.worker.ts?worker&url';

export interface MeasureOptions {
  model?: ModelSource;
  dtype?: Dtype | 'auto';
  device?: DeviceChoice;
  /** As in createEmbedder: how long a silent request may take. */
  idleTimeoutMs?: number;
}

/**
 * @example
 * await measureModelDownload({ model: 'onnx-community/Qwen3-Embedding-0.6B-ONNX', dtype: 'q8' });
 * // { model: 'onnx-community/Qwen3-Embedding-0.6B-ONNX', dtype: 'q8', device: 'wasm', totalBytes: 625912345, cachedBytes: 0,
 * //   files: [{ path: 'tokenizer.json', size: 11422654, cached: false }, …] }
 * // throws EmbedError MODEL_FILE_MISSING, MODEL_FETCH_FAILED, MODEL_CONFIG_INVALID, DTYPE_UNAVAILABLE, DEVICE_UNAVAILABLE
 */
export async function measureModelDownload(options: MeasureOptions = {}): Promise<ModelDownloadSize> {
  installErrorWire();
  const worker = startEmbedWorker(EMBED_WORKER_URL);
  try {
    const api = Comlink.wrap<EmbedWorkerApi>(worker);
    const plan = await workerGuard(
      worker,
      api.measure({
        model: absolute(options.model),
        dtype: options.dtype ?? 'auto',
        device: options.device ?? 'auto',
        idleTimeoutMs: options.idleTimeoutMs,
      }),
    );
    // The cache's record of complete files, read without its lock (as listCachedModels always is).
    const cached = await listCachedModels().catch(() => []);
    const complete = new Map(cached.find((m) => m.key === plan.cacheKey)?.files.map((f) => [f.path, f.size]) ?? []);
    const files = plan.files.map((f) => ({ ...f, cached: f.size !== undefined && complete.get(f.path) === f.size }));
    const sum = (list: typeof files): number => list.reduce((total, f) => total + (f.size ?? 0), 0);
    return {
      model: plan.model,
      dtype: plan.dtype,
      device: plan.device,
      files,
      totalBytes: sum(files),
      cachedBytes: sum(files.filter((f) => f.cached)),
    };
  } finally {
    worker.terminate();
  }
}
