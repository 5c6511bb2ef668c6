import { pastedSource, sourcesFromFile } from './source-files.ts';
import type { SourceText } from '../../protocol/search-data.ts';
import { htmlToText } from './html-text.ts';

export interface CorpusControls {
  sampleButton: HTMLButtonElement;
  fileInput: HTMLInputElement;
  dropZone: HTMLElement;
  pasteText: HTMLTextAreaElement;
  pasteButton: HTMLButtonElement;
}

interface SamplePassage {
  id: string;
  title: string;
  lang: string;
  topic: string;
  text: string;
}

/** The bundled passages, loaded only when asked for (a lazy chunk the service worker keeps). */
export async function samplePassages(): Promise<SourceText[]> {
  const { default: passages } = (await import('../sample-corpus/passages.json')) as { default: SamplePassage[] };
  return passages.map((p) => ({
    id: `sample:${p.topic}/${p.id}`,
    name: `${p.title} (${p.lang}, ${p.topic})`,
    text: p.text,
  }));
}

export interface CorpusHandlers {
  /** A user action starts: the page clears the error of the last one. */
  begin: () => void;
  sources: (sources: SourceText[]) => void;
  error: (error: unknown) => void;
}

/**
 * Where texts come in: the sample corpus button, a file input, files dropped on the zone, and
 * the paste box. Each hands SourceTexts to `sources`; a file that cannot be read goes to
 * `error` (EmbedError SOURCE_INVALID naming it) and the other files still come through.
 */
export function watchCorpusInput(
  controls: CorpusControls,
  handlers: CorpusHandlers,
): { setEnabled(enabled: boolean): void } {
  const { begin, sources: onSources, error: onError } = handlers;
  let pastes = 0;
  const takeFiles = async (files: readonly File[]): Promise<void> => {
    begin();
    const sources: SourceText[] = [];
    for (const file of files) {
      try {
        sources.push(...sourcesFromFile({ name: file.name, text: await file.text() }, { htmlToText }));
      } catch (error) {
        onError(error);
      }
    }
    if (sources.length > 0) onSources(sources);
  };

  controls.sampleButton.addEventListener('click', () => {
    begin();
    samplePassages().then(onSources, onError);
  });
  controls.fileInput.addEventListener('change', () => {
    const files = Array.from(controls.fileInput.files ?? []);
    controls.fileInput.value = ''; // the same file picked again fires change again
    void takeFiles(files);
  });
  controls.pasteButton.addEventListener('click', () => {
    begin();
    try {
      const source = pastedSource(controls.pasteText.value, pastes + 1);
      pastes += 1;
      controls.pasteText.value = '';
      onSources([source]);
    } catch (error) {
      onError(error);
    }
  });

  const zone = controls.dropZone;
  let enabled = false;
  const carriesFiles = (event: DragEvent): boolean => event.dataTransfer?.types.includes('Files') === true;
  zone.addEventListener('dragover', (event) => {
    if (!enabled || !carriesFiles(event)) return;
    event.preventDefault(); // without it the browser opens the file instead of dropping it here
    event.stopPropagation(); // not the model-folder drop on the page around it
    zone.dataset['dragging'] = 'true';
  });
  zone.addEventListener('dragleave', () => delete zone.dataset['dragging']);
  zone.addEventListener('drop', (event) => {
    delete zone.dataset['dragging'];
    if (!enabled || !carriesFiles(event) || !event.dataTransfer) return;
    event.preventDefault();
    event.stopPropagation();
    void takeFiles(Array.from(event.dataTransfer.files));
  });

  return {
    setEnabled(next) {
      enabled = next;
      for (const control of [controls.sampleButton, controls.fileInput, controls.pasteButton]) control.disabled = !next;
    },
  };
}
