/**
 * The playground page (playground.html): loads a model with createEmbedder(), embeds the lines of a
 * textarea and shows their cosine similarity matrix with what was chosen at load and why.
 * URL: `?model=<hub id | url>&device=wasm|webgpu|auto&dtype=…` (see page-params.ts); a model
 * folder picked or dropped from this computer replaces the URL's model.
 */
import { DEFAULT_INSTRUCTION, type Embedder, type EmbedOptions, type ModelSource } from '../../client/index.ts';
import { CachedModelsView } from '../model/cached-models.ts';
import { clearError, showError } from '../model/error-view.ts';
import { watchForFolders } from '../model/folder-controls.ts';
import { elementById } from '../model/element-by-id.ts';
import { loadWithProgress } from '../model/load-with-progress.ts';
import type { LocalFolder } from '../model/local-folder.ts';
import { renderModelDetails, showStatusOnly, type Timings } from '../model/model-details.ts';
import { readPageParams, type PageParams } from '../model/page-params.ts';
import { renderSimilarityTable, similarityMatrix } from './similarity-matrix.ts';
import { disposeOnUnload } from '../model/dispose-on-unload.ts';

type PageState = 'loading' | 'ready' | 'embedding' | 'failed';

const element = <T extends HTMLElement>(id: string, type: abstract new () => T): T =>
  elementById('playground.html', id, type);

const ui = {
  modelSource: element('model-source', HTMLElement),
  requestedDevice: element('requested-device', HTMLElement),
  requestedDtype: element('requested-dtype', HTMLElement),
  phase: element('load-phase', HTMLElement),
  detail: element('load-detail', HTMLElement),
  bar: element('load-bar', HTMLProgressElement),
  folderButton: element('folder-button', HTMLButtonElement),
  folderInput: element('folder-input', HTMLInputElement),
  randomWeights: element('random-weights', HTMLParagraphElement),
  error: element('error', HTMLDivElement),
  form: element('embed-form', HTMLFormElement),
  texts: element('texts', HTMLTextAreaElement),
  instruction: element('instruction', HTMLInputElement),
  dimensions: element('dimensions', HTMLInputElement),
  dimensionsHint: element('dimensions-hint', HTMLSpanElement),
  button: element('embed', HTMLButtonElement),
  embedStatus: element('embed-status', HTMLParagraphElement),
  matrix: element('matrix', HTMLDivElement),
  details: element('details', HTMLDListElement),
  cachedList: element('cached-models', HTMLUListElement),
};

/** What to load: the URL's model, or a folder from this computer with the URL's device and dtype. */
interface LoadRequest {
  model: ModelSource;
  label: string;
  device: PageParams['device'];
  dtype: PageParams['dtype'];
}

const cachedModels = new CachedModelsView(ui.cachedList, (error) =>
  showError(ui.error, error, 'The cached models could not be listed or deleted.'),
);
let current: { embedder: Embedder; timings: Timings } | undefined;
/** The load in flight; a newer one aborts it. */
let loading: AbortController | undefined;

function setState(state: PageState): void {
  document.body.dataset['state'] = state;
  ui.button.disabled = state !== 'ready';
  ui.matrix.setAttribute('aria-busy', String(state === 'embedding'));
  cachedModels.setBusy(state === 'loading');
}

function selectedKind(): NonNullable<EmbedOptions['kind']> {
  const checked = ui.form.querySelector<HTMLInputElement>('input[name="kind"]:checked');
  return checked?.value === 'query' ? 'query' : 'document';
}

function readTexts(): string[] {
  return ui.texts.value
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '');
}

/** Loads `request`, replacing (and disposing) the model loaded before and aborting one still loading. */
async function loadModel(request: LoadRequest): Promise<void> {
  loading?.abort(new DOMException('a newer model was chosen', 'AbortError'));
  const controller = new AbortController();
  loading = controller;
  const superseded = (): boolean => loading !== controller;

  setState('loading');
  clearError(ui.error);
  ui.modelSource.textContent = request.label;
  ui.requestedDevice.textContent = request.device;
  ui.requestedDtype.textContent = request.dtype;
  ui.phase.textContent = 'Starting the worker';
  ui.detail.textContent = '';
  ui.bar.hidden = true;
  ui.randomWeights.hidden = true;
  showStatusOnly(ui.details, 'loading');
  if (ui.matrix.childElementCount > 0) {
    ui.matrix.replaceChildren();
    ui.embedStatus.textContent = 'Press Embed to compare the texts.';
  }

  const previous = current;
  current = undefined;
  try {
    const loaded = await loadWithProgress(
      ui,
      previous?.embedder,
      { model: request.model, device: request.device, dtype: request.dtype, signal: controller.signal },
      superseded,
    );
    if (!loaded) return;
    const { embedder, loadMs } = loaded;
    current = { embedder, timings: { loadMs } };
    showLoaded(current.embedder, current.timings);
    setState('ready');
  } catch (error) {
    if (superseded()) return;
    ui.phase.textContent = 'Could not load the model';
    ui.detail.textContent = '';
    ui.bar.hidden = true;
    showError(ui.error, error, `Loading ${request.label} failed.`);
    showStatusOnly(ui.details, 'not loaded: see the error above');
    setState('failed');
  } finally {
    if (!superseded()) {
      loading = undefined;
      void cachedModels.refresh();
    }
  }
}

/** The bytes line and the full bar stay: they say how much was loaded, and from where. */
function showLoaded(embedder: Embedder, timings: Timings): void {
  const info = embedder.info();
  ui.phase.textContent = 'Ready';
  ui.randomWeights.hidden = !info.randomWeights;
  ui.dimensions.max = String(info.hiddenSize);
  ui.dimensions.value = String(info.hiddenSize);
  ui.dimensionsHint.textContent = `32 to ${info.hiddenSize}`;
  renderModelDetails(ui.details, info, timings);
}

async function embedTexts(embedder: Embedder, timings: Timings): Promise<void> {
  const texts = readTexts();
  const kind = selectedKind();
  const dimensions = ui.dimensions.value === '' ? undefined : ui.dimensions.valueAsNumber;
  setState('embedding');
  ui.embedStatus.textContent = `Embedding ${texts.length} texts…`;
  const started = performance.now();
  // A folder picked meanwhile replaced (and disposed) this embedder: its answer belongs to no one.
  const replaced = (): boolean => current?.embedder !== embedder;
  try {
    const vectors = await embedder.embed(texts, {
      kind,
      instruction: kind === 'query' ? ui.instruction.value : undefined,
      dimensions,
    });
    if (replaced()) return;
    const embedMs = performance.now() - started;
    clearError(ui.error);
    ui.matrix.replaceChildren(renderSimilarityTable(texts, similarityMatrix(vectors)));
    ui.embedStatus.textContent = `${texts.length} texts as ${kind === 'query' ? 'queries' : 'documents'}, ${vectors[0]?.length ?? 0} dimensions, in ${Math.round(embedMs)} ms.`;
    Object.assign(timings, { embedMs, texts: texts.length, metrics: await embedder.metrics() });
    renderModelDetails(ui.details, embedder.info(), timings);
  } catch (error) {
    if (replaced()) return;
    ui.embedStatus.textContent = 'Embedding failed; the table below, if any, is from the previous run.';
    showError(ui.error, error, 'Embedding these texts failed; fix the input and press Embed again.');
  } finally {
    if (!replaced()) setState('ready');
  }
}

function loadFolder(folder: LocalFolder, params: Pick<PageParams, 'device' | 'dtype'>): void {
  void loadModel({
    model: { files: folder.files },
    label: `local folder ${folder.name}`,
    device: params.device,
    dtype: params.dtype,
  });
}

function main(): void {
  ui.instruction.value = DEFAULT_INSTRUCTION;
  ui.form.addEventListener('change', () => {
    ui.instruction.disabled = selectedKind() !== 'query';
  });
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (document.body.dataset['state'] !== 'ready' || !current) return;
    void embedTexts(current.embedder, current.timings);
  });
  ui.form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      ui.form.requestSubmit(); // runs the same checks as the button, native validation included
    }
  });
  disposeOnUnload(() => current?.embedder);
  void cachedModels.refresh();

  let params: PageParams | undefined;
  try {
    params = readPageParams(location.search);
  } catch (error) {
    showError(ui.error, error, 'The page URL asks for something that does not exist.');
    showStatusOnly(ui.details, 'not loaded: see the error above');
    setState('failed');
  }
  // A folder takes the URL's device and dtype, or auto where the URL is unreadable.
  const folderParams = params ?? { device: 'auto', dtype: 'auto' };
  watchForFolders(
    { button: ui.folderButton, input: ui.folderInput, dropTarget: document.body },
    (folder) => loadFolder(folder, folderParams),
    (error) => showError(ui.error, error, 'The folder could not be read; pick it again.'),
  );
  if (params)
    void loadModel({ model: params.model, label: params.modelLabel, device: params.device, dtype: params.dtype });
}

main();
