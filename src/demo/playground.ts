/**
 * The playground page (index.html): loads a model with createEmbedder(), embeds the lines of a
 * textarea and shows their cosine similarity matrix with what was chosen at load and why.
 * URL: `?model=<hub id | url>&device=wasm|webgpu|auto&dtype=…` (see page-params.ts).
 */
import { createEmbedder, DEFAULT_INSTRUCTION, type Embedder, type EmbedOptions } from '../client/index.ts';
import { clearError, showError } from './error-view.ts';
import { renderProgress } from './load-progress.ts';
import { renderModelDetails, showStatusOnly, type Timings } from './model-details.ts';
import { readPageParams } from './page-params.ts';
import { renderSimilarityTable, similarityMatrix } from './similarity-matrix.ts';

type PageState = 'loading' | 'ready' | 'embedding' | 'failed';

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`index.html has no <${type.name}> #${id}`);
  return found;
}

const ui = {
  modelSource: element('model-source', HTMLElement),
  requestedDevice: element('requested-device', HTMLElement),
  requestedDtype: element('requested-dtype', HTMLElement),
  phase: element('load-phase', HTMLElement),
  detail: element('load-detail', HTMLElement),
  bar: element('load-bar', HTMLProgressElement),
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
};

function setState(state: PageState): void {
  document.body.dataset['state'] = state;
  ui.button.disabled = state !== 'ready';
  ui.matrix.setAttribute('aria-busy', String(state === 'embedding'));
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

async function load(): Promise<{ embedder: Embedder; timings: Timings } | undefined> {
  let params;
  try {
    params = readPageParams(location.search);
  } catch (error) {
    showError(ui.error, error, 'The page URL asks for something that does not exist.');
    showStatusOnly(ui.details, 'not loaded: see the error above');
    return undefined;
  }
  ui.modelSource.textContent = params.modelLabel;
  ui.requestedDevice.textContent = params.device;
  ui.requestedDtype.textContent = params.dtype;

  const started = performance.now();
  try {
    const embedder = await createEmbedder({
      model: params.model,
      device: params.device,
      dtype: params.dtype,
      onProgress: (event) => renderProgress(ui, event),
    });
    return { embedder, timings: { loadMs: performance.now() - started } };
  } catch (error) {
    ui.phase.textContent = 'Could not load the model';
    ui.detail.textContent = '';
    ui.bar.hidden = true;
    showError(ui.error, error, `Loading ${params.modelLabel} failed.`);
    showStatusOnly(ui.details, 'not loaded: see the error above');
    return undefined;
  }
}

function showLoaded(embedder: Embedder, timings: Timings): void {
  const info = embedder.info();
  ui.phase.textContent = 'Ready';
  ui.detail.textContent = '';
  ui.bar.hidden = true;
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
  try {
    const vectors = await embedder.embed(texts, { kind, instruction: kind === 'query' ? ui.instruction.value : undefined, dimensions });
    const embedMs = performance.now() - started;
    clearError(ui.error);
    ui.matrix.replaceChildren(renderSimilarityTable(texts, similarityMatrix(vectors)));
    ui.embedStatus.textContent = `${texts.length} texts as ${kind === 'query' ? 'queries' : 'documents'}, ${vectors[0]?.length ?? 0} dimensions, in ${Math.round(embedMs)} ms.`;
    Object.assign(timings, { embedMs, texts: texts.length });
    renderModelDetails(ui.details, embedder.info(), timings);
  } catch (error) {
    ui.embedStatus.textContent = 'Embedding failed; the table below, if any, is from the previous run.';
    showError(ui.error, error, 'Embedding these texts failed; fix the input and press Embed again.');
  } finally {
    setState('ready');
  }
}

async function main(): Promise<void> {
  ui.instruction.value = DEFAULT_INSTRUCTION;
  ui.form.addEventListener('change', () => {
    ui.instruction.disabled = selectedKind() !== 'query';
  });
  setState('loading');
  const loaded = await load();
  if (!loaded) {
    setState('failed');
    return;
  }
  const { embedder, timings } = loaded;
  showLoaded(embedder, timings);
  setState('ready');

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (document.body.dataset['state'] !== 'ready') return;
    void embedTexts(embedder, timings);
  });
  ui.form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      ui.form.requestSubmit(); // runs the same checks as the button, native validation included
    }
  });
  addEventListener('pagehide', () => void embedder.dispose());
}

void main();
