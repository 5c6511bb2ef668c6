/**
 * The widget entry: importing it defines `<semantic-search>` (once, however many times the
 * script is loaded: a second copy on the page must not throw "already defined").
 *
 * @example
 * <script type="module" src="/tabembed/widget.js"></script>
 * <semantic-search src="/search/index.json" placeholder="Search the docs"></semantic-search>
 */
import { SemanticSearchElement } from './semantic-search-element.ts';

export const TAG_NAME = 'semantic-search';

if (!customElements.get(TAG_NAME)) customElements.define(TAG_NAME, SemanticSearchElement);

export { SemanticSearchElement };
export type {
  SemanticSearchDownloadSizeDetail,
  SemanticSearchErrorDetail,
  SemanticSearchKeywordsReadyDetail,
  SemanticSearchReadyDetail,
  SemanticSearchResultsDetail,
  SemanticSearchSelectDetail,
  SemanticSearchState,
} from './widget-events.ts';
export type { ResultMatch, SemanticSearchResult } from './item-index.ts';
export type { ModelLoad } from './model-load-plan.ts';
export type { CorpusEntry, SearchItem } from '../search/corpus-file.ts';
export { THEME_PROPERTIES } from './widget-template.ts';

declare global {
  interface HTMLElementTagNameMap {
    'semantic-search': SemanticSearchElement;
  }
}
