/**
 * The model's real download size, shown before any of its bytes when the visitor decides when
 * it loads (issue 15, item 3): under `model-load="manual"` (and so under Save-Data) on the
 * button, "Search by meaning too: 612 MB download"; under `interaction` in a note, as the first
 * focus starts it. The size comes from the load's own first steps in a short-lived worker
 * (`measureModelDownload`, client/model-download.ts: config, the dtype this device gets, the
 * files' sizes, less what the model cache holds), never from the model's name. The widget may
 * not import model code (ARCHITECTURE: it runs in the worker), and the client is the page's way
 * to the worker. Sent as a `download-size` event too.
 */
import { measureModelDownload, type ModelDownloadSize } from '../client/index.ts';
import type { OpenedIndex } from './index-run.ts';
import { megabytes, modelRequestOf } from './prepare-index.ts';
import { MODEL_BUTTON_TEXT, type WidgetParts } from './widget-template.ts';

/**
 * The model and dtype the index's load will ask for: the page's attributes, else the index's
 * fingerprint (the same rule prepare-index.ts applies when it loads).
 */
export function modelRequest({ settings, source }: OpenedIndex): Parameters<typeof measureModelDownload>[0] {
  const { model, dtype, device } = modelRequestOf(settings, source);
  return { ...(model === undefined ? {} : { model }), dtype, device };
}

/** What the visitor reads: the bytes still to fetch, or that the model is already here. */
export function sizeWords(size: Pick<ModelDownloadSize, 'totalBytes' | 'cachedBytes'>): string {
  const left = size.totalBytes - size.cachedBytes;
  return left <= 0 ? 'the model is already in this browser' : `${megabytes(left)} download`;
}

/**
 * @example
 * showDownloadSize(opened, parts, signal, (size) => emit('download-size', size));
 * // manual: the button reads "Search by meaning too: 3.4 MB download"
 */
export function showDownloadSize(
  opened: OpenedIndex,
  parts: Pick<WidgetParts, 'button' | 'note'>,
  signal: AbortSignal,
  measured: (size: ModelDownloadSize) => void,
): void {
  const { when } = opened.plan;
  parts.button.textContent = MODEL_BUTTON_TEXT; // an earlier index()'s size is not this one's
  if (when !== 'manual' && when !== 'interaction') return;
  let request: ReturnType<typeof modelRequest>;
  try {
    request = modelRequest(opened);
  } catch {
    return; // a bad dtype in the index: the load reports it when it is asked for
  }
  measureModelDownload(request).then(
    (size) => {
      if (signal.aborted) return;
      const words = sizeWords(size);
      if (when === 'manual') parts.button.textContent = `Search by meaning too: ${words}`;
      else {
        parts.note.textContent = `Searching by meaning loads a language model when you use the box: ${words}`;
        parts.note.hidden = false;
        signal.addEventListener('abort', () => (parts.note.hidden = true), { once: true });
      }
      measured(size);
    },
    // Measuring is a courtesy: a model that cannot be measured keeps the plain button, and its
    // load says what is wrong when the visitor asks for it.
    () => undefined,
  );
}
