/**
 * The search page (index.html): load a model, bring texts (sample corpus, files, paste), chunk
 * and index them into IndexedDB through the search worker, search them, and see them on a map.
 * URL: `?model=<hub id | url>&device=wasm|webgpu|auto&dtype=…&slice=N` (see ../model/page-params.ts);
 * `&remote=<baseURL>&remoteModel=…&remoteEngine=…` opts into a remote engine that `device: 'auto'`
 * may choose on a device that cannot hold the model. The page always says where vectors are computed.
 */
import {
  EmbedError,
  isRemoteEmbedder,
  type Embedder,
  type ModelSource,
  type RemoteEmbedder,
} from '../../client/index.ts';
import { chunkSource } from '../../search/chunker.ts';
import { buildFingerprint, instructionPolicy } from '../../search/fingerprint.ts';
import type { IndexFingerprint, IndexPrecision, SourceText } from '../../protocol/search-data.ts';
import type { IndexStatus } from '../../protocol/search-api.ts';
import { CachedModelsView } from '../model/cached-models.ts';
import { clearError, showError } from '../model/error-view.ts';
import { watchForFolders } from '../model/folder-controls.ts';
import { loadWithFallback, loadWithProgress } from '../model/load-with-progress.ts';
import { showWhereComputed } from '../model/where-computed.ts';
import { readPageParams, type PageParams } from '../model/page-params.ts';
import { ChunkMap } from './chunk-map.ts';
import { watchCorpusInput } from './corpus-input.ts';
import { renderStatus, progressText } from './index-panel.ts';
import { indexPending } from './indexer.ts';
import { renderMetrics, type PageMetrics } from './metrics-panel.ts';
import { ModelPicker } from './model-picker.ts';
import { modelFitsHere } from './device-room.ts';
import { measureInt8Recall, runQuery } from './query-actions.ts';
import { registerOfflineShell } from './offline-shell.ts';
import { ResultsView } from './results-view.ts';
import { startSearchWorker } from './search-worker.ts';
import { TaskControls } from './task-controls.ts';
import { searchPageUi } from './search-page-ui.ts';
import { readSettings, saveSettings } from './settings.ts';
import { disposeOnUnload } from '../model/dispose-on-unload.ts';

/**
 * Stored vectors depend on how documents are prompted (raw), not on the query's task, which
 * is chosen per search: the policy names the query template with its task left open.
 */
const POLICY = instructionPolicy('{task}');
const RESULTS = 10;

const ui = searchPageUi();
const search = startSearchWorker();
const results = new ResultsView(ui.results, ui.query);
const map = new ChunkMap(ui.map, ui.mapHover, ui.mapLegend);
const reportError = (context: string) => (error: unknown) => showError(ui.error, error, context);
const cachedModels = new CachedModelsView(
  ui.cachedList,
  reportError('The stored models could not be listed or deleted.'),
);
const settings = readSettings(localStorage);
const task = new TaskControls(ui.preset, ui.customInstruction, ui.query, ui.promptPreview);

let model: { embedder: Embedder; fingerprint: IndexFingerprint; metrics: PageMetrics } | undefined;
/**
 * The remote engine, when `device: 'auto'` chose the page's `?remote=`: it computes vectors, but
 * this page cuts texts into chunks by the model's own token counts, which only a model in the tab
 * gives (a remote engine's tokenizer is not reached through /v1/embeddings), so it cannot index.
 */
let remoteOnly: RemoteEmbedder | undefined;
let status: IndexStatus | undefined;
let indexing: AbortController | undefined;
let loading: AbortController | undefined;
/** Texts being cut into chunks (counting tokens takes a trip to the embedding worker each). */
let preparing = 0;
/** Texts per embed call while indexing (`?slice=`); the indexer's default when unset. */
let slice: number | undefined;

function setState(state: 'loading' | 'ready' | 'failed' | 'remote'): void {
  document.body.dataset['state'] = state;
  refreshControls();
}

/** Which controls work now: texts need a model (chunking counts its tokens), search needs vectors. */
function refreshControls(): void {
  const ready =
    model !== undefined && document.body.dataset['state'] === 'ready' && status !== undefined && !status.mismatch;
  const running = indexing !== undefined;
  corpus.setEnabled(ready);
  ui.indexButton.disabled = !ready || running || (status?.pending ?? 0) === 0;
  ui.cancelButton.disabled = !running;
  const searchable = ready && (status?.embedded ?? 0) > 0;
  ui.query.disabled = !searchable;
  ui.searchButton.disabled = !searchable;
  ui.recallButton.disabled = !searchable || running;
  document.body.dataset['index'] = status?.mismatch
    ? 'mismatch'
    : running
      ? 'indexing'
      : preparing > 0
        ? 'preparing'
        : 'idle';
  cachedModels.setBusy(document.body.dataset['state'] === 'loading');
}

function showStatus(next: IndexStatus): void {
  status = next;
  renderStatus(ui.indexPanel, next, (id) => void removeSource(id), indexing !== undefined);
  refreshControls();
}

function updateMetrics(): void {
  if (!model) return;
  const current = model;
  void current.embedder.metrics().then((engine) => {
    current.metrics.engine = engine;
    renderMetrics(ui.metrics, current.embedder.info(), current.metrics, status);
  });
}

async function loadModel(
  source: ModelSource,
  label: string,
  params: Pick<PageParams, 'device' | 'dtype' | 'remote'>,
): Promise<void> {
  loading?.abort(new DOMException('a newer model was chosen', 'AbortError'));
  indexing?.abort();
  const controller = new AbortController();
  loading = controller;
  const superseded = (): boolean => loading !== controller;
  setState('loading');
  clearError(ui.error);
  ui.offline.hidden = true;
  ui.randomWeights.hidden = true;
  results.clear();
  ui.whereComputed.hidden = true;
  const previous = model?.embedder ?? remoteOnly;
  model = undefined;
  remoteOnly = undefined;
  try {
    const options = { model: source, device: params.device, dtype: params.dtype, signal: controller.signal };
    const loaded = params.remote
      ? await loadWithFallback(ui.load, previous, { ...options, remoteFallback: { remote: params.remote } }, superseded)
      : await loadWithProgress(ui.load, previous, options, superseded);
    if (!loaded) return;
    const { embedder, loadMs } = loaded;
    showWhereComputed(ui.whereComputed, embedder);
    if (isRemoteEmbedder(embedder)) {
      remoteOnly = embedder;
      ui.load.phase.textContent = `Ready: ${params.remote?.model ?? label} on the remote engine`;
      ui.indexPanel.detail.textContent =
        'This page cuts texts into chunks by the model’s own token counts, which only a model in this tab gives: with the remote engine it cannot index. Open the page without ?remote= to index here.';
      setState('remote');
      return;
    }
    const info = embedder.info();
    const fingerprint = buildFingerprint(info, info.hiddenSize, POLICY);
    model = { embedder, fingerprint, metrics: { loadMs } };
    ui.load.phase.textContent = `Ready: ${label}`;
    ui.randomWeights.hidden = !info.randomWeights;
    showStatus(await search.open(fingerprint, selectedPrecision()));
    setState('ready');
    updateMetrics();
    await refreshMap();
    // A run cut short (a reload, a closed tab) picks up from its last stored batch.
    if (status && status.pending > 0 && !status.mismatch) {
      ui.indexPanel.detail.textContent = `Resuming: ${status.embedded} of ${status.chunks} chunks were stored before.`;
      void startIndexing(`Resumed from ${status.embedded} of ${status.chunks} stored chunks. `);
    }
  } catch (error) {
    if (superseded()) return;
    ui.load.phase.textContent = 'Could not load the model';
    ui.load.bar.hidden = true;
    const offline = !navigator.onLine || (error instanceof EmbedError && error.code === 'MODEL_FETCH_FAILED');
    ui.offline.hidden = !offline;
    showError(ui.error, error, `Loading ${label} failed.`);
    setState('failed');
  } finally {
    if (!superseded()) {
      loading = undefined;
      void cachedModels.refresh();
      void picker.refresh();
    }
  }
}

async function addSources(sources: SourceText[]): Promise<void> {
  const current = model;
  if (!current) return;
  const options = { chunkTokens: ui.chunkTokens.valueAsNumber, overlapTokens: ui.chunkOverlap.valueAsNumber };
  saveSettings(localStorage, { ...settings, ...options, precision: selectedPrecision() });
  ui.indexPanel.detail.textContent = `Cutting ${sources.length} ${sources.length === 1 ? 'text' : 'texts'} into chunks…`;
  preparing += 1;
  refreshControls();
  try {
    const countTokens = (texts: string[]): Promise<number[]> => current.embedder.countTokens(texts);
    const chunked = [];
    for (const source of sources) chunked.push({ source, chunks: await chunkSource(source, countTokens, options) });
    showStatus(await search.addSources(chunked));
    ui.indexPanel.detail.textContent = '';
  } catch (error) {
    ui.indexPanel.detail.textContent = '';
    showError(ui.error, error, 'These texts were not added; the index is unchanged.');
    return;
  } finally {
    preparing -= 1;
    refreshControls();
  }
  if (!indexing) await startIndexing();
}

/** `note` stays in front of the progress line (e.g. where a resumed run started). */
async function startIndexing(note = ''): Promise<void> {
  const current = model;
  if (!current || indexing) return;
  const controller = new AbortController();
  indexing = controller;
  refreshControls();
  let lastMetrics = 0;
  /** The line the run ends with, written last so no late progress report can cover it. */
  let outcome = '';
  try {
    const final = await indexPending(current.embedder, search, {
      signal: controller.signal,
      ...(slice === undefined ? {} : { slice }),
      onProgress: (progress) => {
        if (indexing !== controller) return;
        showStatus(progress.status);
        ui.indexPanel.detail.textContent = note + progressText(progress);
        if (performance.now() - lastMetrics > 1000) {
          lastMetrics = performance.now();
          updateMetrics();
        }
      },
    });
    outcome = `${note}Indexed: ${final.embedded} chunks.`;
  } catch (error) {
    const cancelled = error instanceof EmbedError && error.code === 'ABORTED';
    if (!cancelled) showError(ui.error, error, 'Indexing stopped; what was stored is kept. Press Index to go on.');
    outcome = cancelled ? 'Cancelled' : '';
  } finally {
    indexing = undefined;
    // What the store holds now, whatever the run did last.
    const now = await search.status().catch(() => status);
    if (now) showStatus(now);
    if (outcome === 'Cancelled' && now)
      outcome = `Cancelled: ${now.embedded} of ${now.chunks} chunks indexed and kept. Press Index to go on.`;
    ui.indexPanel.detail.textContent = outcome;
    refreshControls();
    updateMetrics();
    if (model === current) await refreshMap();
  }
}

async function removeSource(sourceId: string): Promise<void> {
  try {
    showStatus(await search.removeSource(sourceId));
    await refreshMap();
  } catch (error) {
    showError(ui.error, error, 'The source was not removed.');
  }
}

async function reindex(): Promise<void> {
  const current = model;
  if (!current) return;
  try {
    showStatus(await search.reindex(current.fingerprint));
    await startIndexing();
  } catch (error) {
    showError(ui.error, error, 'The index was not reset; it is unchanged.');
  }
}

async function refreshMap(): Promise<void> {
  if (!status || status.embedded === 0 || status.mismatch) return map.clear();
  const names = new Map(status.sources.map((source) => [source.id, source.name]));
  map.render(await search.map(), names);
}

async function runSearch(): Promise<void> {
  const current = model;
  const query = ui.query.value.trim();
  if (!current || query === '') return;
  const precision = selectedPrecision();
  ui.searchStatus.textContent = 'Searching…';
  try {
    const outcome = await runQuery(
      { embedder: current.embedder, search, dimensions: current.fingerprint.dimensions },
      query,
      task.instruction(),
      precision,
      RESULTS,
    );
    results.show(outcome.hits, query);
    map.showQuery(outcome.point, query);
    current.metrics.lastQuery = {
      totalMs: outcome.totalMs,
      embedMs: outcome.embedMs,
      searchMs: outcome.searchMs,
      precision,
    };
    ui.searchStatus.textContent = `${outcome.hits.length} results in ${Math.round(outcome.totalMs)} ms (query embedding ${Math.round(outcome.embedMs)} ms, ${precision} search ${outcome.searchMs.toFixed(1)} ms).`;
    updateMetrics();
  } catch (error) {
    ui.searchStatus.textContent = '';
    showError(ui.error, error, 'The search failed; the index is unchanged.');
  }
}

function selectedPrecision(): IndexPrecision {
  return ui.precision.value === 'int8' ? 'int8' : 'float32';
}

/**
 * The search worker keeps what the precision needs in memory: float32 rows, or int8 codes only
 * (an int8 search then reads its candidates' rows from IndexedDB). Switching to float32 loads
 * the rows back from the store.
 */
async function switchPrecision(): Promise<void> {
  const precision = selectedPrecision();
  saveSettings(localStorage, {
    ...settings,
    chunkTokens: ui.chunkTokens.valueAsNumber,
    overlapTokens: ui.chunkOverlap.valueAsNumber,
    precision,
  });
  if (!model) return; // open() takes the select's value
  ui.searchStatus.textContent =
    precision === 'float32'
      ? 'Loading the float32 vectors from this browser’s storage…'
      : 'Keeping only the int8 codes in memory…';
  try {
    showStatus(await search.usePrecision(precision));
    ui.searchStatus.textContent = '';
  } catch (error) {
    ui.searchStatus.textContent = '';
    showError(ui.error, error, 'Switching the precision failed; the index is unchanged.');
  }
}

async function measureRecall(): Promise<void> {
  const current = model;
  if (!current) return;
  ui.recallButton.disabled = true;
  try {
    const measured = await measureInt8Recall(
      { embedder: current.embedder, search, dimensions: current.fingerprint.dimensions },
      task.instruction(),
      RESULTS,
    );
    current.metrics.int8Recall = { ...measured, chunks: status?.embedded ?? 0 };
    updateMetrics();
  } catch (error) {
    showError(ui.error, error, 'The recall measurement failed.');
  } finally {
    refreshControls();
  }
}

const corpus = watchCorpusInput(ui.corpus, {
  begin: () => clearError(ui.error),
  sources: (sources) => void addSources(sources),
  error: reportError('A text could not be added; the others were.'),
});
const picker = new ModelPicker(ui.modelSelect, (value) => {
  const url = new URL(location.href);
  url.searchParams.set('model', value);
  location.assign(url);
});

function main(): void {
  registerOfflineShell();
  ui.chunkTokens.value = String(settings.chunkTokens);
  ui.chunkOverlap.value = String(settings.overlapTokens);
  ui.precision.value = settings.precision;
  ui.precision.addEventListener('change', () => void switchPrecision());
  ui.searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void runSearch();
  });
  ui.indexButton.addEventListener('click', () => void startIndexing());
  ui.cancelButton.addEventListener('click', () => indexing?.abort());
  ui.reindexButton.addEventListener('click', () => void reindex());
  ui.recallButton.addEventListener('click', () => void measureRecall());
  addEventListener('keydown', (event) => {
    const typing =
      event.target instanceof HTMLInputElement ||
      event.target instanceof HTMLTextAreaElement ||
      event.target instanceof HTMLSelectElement;
    if (event.key === '/' && !typing && !ui.query.disabled) {
      event.preventDefault();
      ui.query.focus();
    }
  });
  addEventListener('offline', () => (ui.offline.hidden = model !== undefined));
  disposeOnUnload(() => model?.embedder ?? remoteOnly);
  void cachedModels.refresh();

  let params: PageParams;
  try {
    params = readPageParams(location.search);
  } catch (error) {
    showError(ui.error, error, 'The page URL asks for something that does not exist.');
    setState('failed');
    return;
  }
  slice = params.slice;
  picker.show(params.modelLabel);
  void picker.refresh();
  void modelFitsHere(params.device, params.dtype).then(
    (fits) => picker.showFits(fits),
    () => undefined, // no answer: the larger models are simply not offered
  );
  watchForFolders(
    { button: ui.folderButton, input: ui.folderInput, dropTarget: ui.modelSection },
    (folder) => void loadModel({ files: folder.files }, `local folder ${folder.name}`, params),
    reportError('The folder could not be read; pick it again.'),
  );
  void loadModel(params.model, params.modelLabel, params);
}

main();
