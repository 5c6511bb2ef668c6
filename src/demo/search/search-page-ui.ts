import { elementById } from '../model/element-by-id.ts';

/** The search page's elements, looked up once; a missing one fails at start with its id. */
const element = <T extends Element>(id: string, type: abstract new () => T): T => elementById('index.html', id, type);

export function searchPageUi() {
  return {
    modelSection: element('model-section', HTMLElement),
    modelSelect: element('model-select', HTMLSelectElement),
    folderButton: element('folder-button', HTMLButtonElement),
    folderInput: element('folder-input', HTMLInputElement),
    load: {
      phase: element('load-phase', HTMLElement),
      detail: element('load-detail', HTMLElement),
      bar: element('load-bar', HTMLProgressElement),
    },
    whereComputed: element('where-computed', HTMLParagraphElement),
    offline: element('offline-notice', HTMLParagraphElement),
    randomWeights: element('random-weights', HTMLParagraphElement),
    error: element('error', HTMLDivElement),
    corpus: {
      sampleButton: element('add-sample', HTMLButtonElement),
      fileInput: element('file-input', HTMLInputElement),
      dropZone: element('drop-zone', HTMLDivElement),
      pasteText: element('paste-text', HTMLTextAreaElement),
      pasteButton: element('paste-add', HTMLButtonElement),
    },
    chunkTokens: element('chunk-tokens', HTMLInputElement),
    chunkOverlap: element('chunk-overlap', HTMLInputElement),
    indexPanel: {
      bar: element('index-bar', HTMLProgressElement),
      detail: element('index-detail', HTMLElement),
      status: element('index-status', HTMLParagraphElement),
      mismatch: element('mismatch', HTMLDivElement),
      mismatchText: element('mismatch-text', HTMLParagraphElement),
      sources: element('sources', HTMLUListElement),
    },
    indexButton: element('index-button', HTMLButtonElement),
    cancelButton: element('cancel-button', HTMLButtonElement),
    reindexButton: element('reindex', HTMLButtonElement),
    searchForm: element('search-form', HTMLFormElement),
    query: element('query', HTMLInputElement),
    searchButton: element('search-button', HTMLButtonElement),
    preset: element('preset', HTMLSelectElement),
    customInstruction: element('custom-instruction', HTMLInputElement),
    precision: element('precision', HTMLSelectElement),
    promptPreview: element('prompt-preview', HTMLElement),
    searchStatus: element('search-status', HTMLParagraphElement),
    results: element('results', HTMLOListElement),
    map: element('map', SVGSVGElement),
    mapHover: element('map-hover', HTMLParagraphElement),
    mapLegend: element('map-legend', HTMLUListElement),
    metrics: element('metrics', HTMLDListElement),
    recallButton: element('recall-button', HTMLButtonElement),
    cachedList: element('cached-models', HTMLUListElement),
  };
}
