import {
  EmbedError,
  REMOTE_ENGINES,
  type CreateEmbedderOptions,
  type Dtype,
  type RemoteOptions,
} from '../../client/index.ts';
import { DEVICE_CHOICES, DTYPE_CHOICES, isOneOf, type DeviceChoice } from '../../core/choices.ts';
import { modelSourceFromText } from '../../core/model-text.ts';

/** The model the playground loads when the URL names none. */
export const DEFAULT_MODEL = 'onnx-community/Qwen3-Embedding-0.6B-ONNX';

export interface PageParams {
  model: NonNullable<CreateEmbedderOptions['model']>;
  /** The source as the user wrote it, for display. */
  modelLabel: string;
  device: DeviceChoice;
  dtype: Dtype | 'auto';
  /** Search page: texts per embed call while indexing (`?slice=`); undefined = the indexer's default. */
  slice: number | undefined;
  /**
   * Search page: the remote engine `device: 'auto'` may fall back to (`?remote=`), or undefined:
   * only this URL opts in, and nothing of it is remembered. No key: one in a URL would land in
   * the history and in logs, so only engines without a key (or behind the page's own proxy) fit.
   */
  remote: Pick<RemoteOptions, 'baseURL' | 'model' | 'engine'> | undefined;
}

/** Bounds of `?slice=`: one text per call at least; more than a few thousand only delays the first stored batch. */
const SLICE_RANGE = { min: 1, max: 4096 } as const;

/**
 * Reads `?model=<hub id | url>&device=wasm|webgpu|auto&dtype=…&slice=N&remote=…` (remoteParams). A value with a slash in front,
 * a dot in front or a scheme is a URL in Hub layout (e.g. `/models/qwen3-tiny/`); anything
 * else is a Hub id. Throws EmbedError INVALID_OPTION for a device or dtype that does not exist.
 */
export function readPageParams(search: string): PageParams {
  const params = new URLSearchParams(search);
  const model = params.get('model')?.trim() || DEFAULT_MODEL;
  return {
    model: modelSourceFromText(model),
    modelLabel: model,
    device: pick('device', params.get('device'), DEVICE_CHOICES, 'auto'),
    dtype: pick('dtype', params.get('dtype'), DTYPE_CHOICES, 'auto'),
    slice: wholeNumber('slice', params.get('slice'), SLICE_RANGE),
    remote: remoteParams(params),
  };
}

/**
 * `?remote=<baseURL>&remoteModel=<served name>&remoteEngine=vllm|sglang|tei|openai|tabembed`: the
 * engine is named in full or not at all, so a page never sends texts to a guessed model name.
 */
function remoteParams(params: URLSearchParams): PageParams['remote'] {
  const baseURL = params.get('remote')?.trim();
  const model = params.get('remoteModel')?.trim();
  if (!baseURL) {
    if (model || params.get('remoteEngine'))
      throw new EmbedError(
        'INVALID_OPTION',
        '?remoteModel= and ?remoteEngine= need ?remote=<baseURL>; fix the page URL',
      );
    return undefined;
  }
  if (!model)
    throw new EmbedError(
      'INVALID_OPTION',
      '?remote= needs ?remoteModel=<the model name the engine serves>, e.g. Qwen/Qwen3-Embedding-0.6B; fix the page URL',
    );
  return { baseURL, model, engine: pick('remoteEngine', params.get('remoteEngine'), REMOTE_ENGINES, 'openai') };
}

function wholeNumber(name: string, value: string | null, range: { min: number; max: number }): number | undefined {
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (Number.isInteger(n) && n >= range.min && n <= range.max) return n;
  throw new EmbedError(
    'INVALID_OPTION',
    `?${name}=${value} is not a whole number from ${range.min} to ${range.max}; fix the page URL`,
  );
}

function pick<K extends string>(name: string, value: string | null, allowed: readonly K[], fallback: K): K {
  if (value === null || value === '') return fallback;
  if (isOneOf(allowed, value)) return value;
  throw new EmbedError('INVALID_OPTION', `?${name}=${value} is not one of ${allowed.join(', ')}; fix the page URL`);
}
