export { createEmbedder, type CreateEmbedderOptions, type Embedder } from './create-embedder.ts';
export { EmbedError, type EmbedErrorCode } from '../core/errors.ts';
export { DEFAULT_INSTRUCTION } from '../core/prompt.ts';
export type { Dtype, EmbedBatchProgress, EmbedderInfo, EmbedderMetrics, EmbedderOptions, EmbedOptions, LoadProgress, LocalModelFile, ModelSource } from '../core/types.ts';
export { listCachedModels, deleteCachedModel, type CachedModel } from '../model/cache/cache-catalog.ts';
