export {
  createEmbedder,
  type CreateEmbedderOptions,
  type CreateRemoteEmbedderOptions,
  type Embedder,
} from './create-embedder.ts';
export { isRemoteEmbedder, type CreateEmbedderWithFallbackOptions, type RemoteFallback } from './fallback-embedder.ts';
export { DEFAULT_MODEL_BYTES, LARGE_MODEL_BYTES, LOAD_PEAK_RATIO, TAB_MEMORY_SHARE } from '../core/provider-choice.ts';
export type {
  RemoteEmbedder,
  RemoteEmbedderInfo,
  RemoteEmbedOptions,
  RemoteOptions,
  RemoteEngine,
  ProbeReport,
  LocalReference,
  RetryEvent,
} from '../remote/remote-embedder.ts';
export { EmbedError, type EmbedErrorCode } from '../core/errors.ts';
export { DEFAULT_INSTRUCTION } from '../core/prompt.ts';
export type {
  Dtype,
  EmbedBatchProgress,
  EmbedderInfo,
  EmbedderMetrics,
  EmbedderOptions,
  EmbeddingSpace,
  EmbedOptions,
  LoadProgress,
  LocalModelFile,
  ModelDownloadSize,
  ModelSource,
  ProviderChoice,
} from '../core/types.ts';
export type { EmbedPortApi } from '../protocol/worker-api.ts';
export { REMOTE_ENGINES } from '../remote/dialects.ts';
export { listCachedModels, deleteCachedModel, type CachedModel } from './cache-catalog.ts';
export { measureModelDownload, type MeasureOptions } from './model-download.ts';
export {
  openAIFacade,
  type FacadeEmbedder,
  type OpenAIFacade,
  type OpenAIFacadeOptions,
  type FacadeRequestOptions,
} from './openai/openai-facade.ts';
export { serveEmbeddingsRoute, type EmbeddingsRouteHost } from './openai/serve-embeddings-route.ts';
export { OpenAIRequestError, type OpenAIRequestErrorCode } from '../protocol/openai/openai-error.ts';
export { MAX_INPUTS_PER_REQUEST, MAX_TOKENS_PER_INPUT } from '../protocol/openai/limits.ts';
export type {
  CreateEmbeddingResponse,
  EmbeddingObject,
  EmbeddingsCreateParams,
  EncodingFormat,
  InputType,
  ModelList,
  ModelObject,
  OpenAIErrorBody,
} from '../protocol/openai-types.ts';
