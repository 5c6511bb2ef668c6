/**
 * What a load would download, decided by the load's own first steps (load-model.ts,
 * chooseModelFiles: config → device → dtype → files) and sized by the file reader's plan: the
 * same files and the same dtype a load then reads, never a guess from the model's name.
 */
import type { DeviceName, Dtype } from '../core/types.ts';
import { chooseModelFiles, TOKENIZER_FILES, type LoadRequest } from './load-model.ts';

export interface DownloadPlan {
  dtype: Dtype;
  device: DeviceName;
  files: { path: string; size: number | undefined }[];
}

/**
 * @example
 * await measureDownload({ files, device: 'auto', dtype: 'q8', adapter: undefined });
 * // { dtype: 'q8', device: 'wasm', files: [{ path: 'tokenizer.json', size: 11422654 }, …, { path: 'onnx/model_quantized.onnx', size: 614530000 }] }
 * // throws EmbedError MODEL_FILE_MISSING, MODEL_CONFIG_INVALID, DTYPE_UNAVAILABLE, DEVICE_UNAVAILABLE, MODEL_FETCH_FAILED
 */
export async function measureDownload(
  request: Pick<LoadRequest, 'files' | 'device' | 'dtype' | 'adapter' | 'signal'>,
): Promise<DownloadPlan> {
  const { ruled, dtype, fileSet } = await chooseModelFiles(request);
  const paths = [...TOKENIZER_FILES, fileSet.graph, ...fileSet.externalData];
  const plan = await request.files.plan(paths, request.signal);
  return {
    dtype: dtype.dtype,
    device: ruled.device,
    files: paths.map((path) => ({ path, size: plan.sizes.get(path) })),
  };
}
