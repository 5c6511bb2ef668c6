/**
 * What `<semantic-search>` tells the page: the `detail` of each event it fires, and its state.
 * Plain data (structured-cloneable), so a listener can keep or forward it as it is.
 */
import type { EmbedderInfo, ModelDownloadSize } from '../client/index.ts';
import type { IndexFingerprint } from '../protocol/search-data.ts';
import type { SemanticSearchResult } from './item-index.ts';
import type { ModelLoad } from './model-load-plan.ts';

/**
 * `keywords-ready`: an index with a lexical part is searchable by keyword, before any model byte.
 * `modelLoad` says when the model will load (`manual`: at the widget's button), and `reason` why.
 */
export interface SemanticSearchKeywordsReadyDetail {
  count: number;
  modelLoad: ModelLoad;
  reason: string;
}

/**
 * `download-size`: under `model-load="manual"` or `interaction` (and Save-Data), what the model's
 * load will fetch, measured before any of its bytes: its files for the dtype this device gets,
 * `totalBytes` their sum, `cachedBytes` what the browser's model cache holds already.
 */
export type SemanticSearchDownloadSizeDetail = ModelDownloadSize;

/** `ready`: the index is searchable. */
export interface SemanticSearchReadyDetail {
  count: number;
  mode: 'index' | 'corpus';
  model: EmbedderInfo;
  fingerprint: IndexFingerprint;
}
/** `results`: a query's ranked results, best first, each marked `match`: keyword, semantic or both. */
export interface SemanticSearchResultsDetail {
  query: string;
  results: SemanticSearchResult[];
}
/** `select` (cancelable): the visitor chose a result. */
export interface SemanticSearchSelectDetail {
  result: SemanticSearchResult;
}
/** `error`: what failed, with its EmbedError code. */
export interface SemanticSearchErrorDetail {
  code: string;
  message: string;
}
/** 'idle' (no source yet), 'loading', 'ready' or 'error'. */
export type SemanticSearchState = 'idle' | 'loading' | 'ready' | 'error';
