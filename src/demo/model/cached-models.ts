import { deleteCachedModel, listCachedModels, type CachedModel } from '../../client/index.ts';
import { formatBytes } from './load-progress.ts';

/**
 * The "Cached models" list: every model stored in this browser (OPFS) with its size and any
 * interrupted downloads, and a Delete button each. `refresh()` re-reads the storage; call it
 * after each load and it runs after each delete.
 */
export class CachedModelsView {
  private busy = false;

  constructor(
    private readonly list: HTMLUListElement,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** While a model loads, deleting its half-written files would pull them from under it. */
  setBusy(busy: boolean): void {
    this.busy = busy;
    for (const button of this.list.querySelectorAll('button')) button.disabled = busy;
  }

  async refresh(): Promise<void> {
    let models: CachedModel[];
    try {
      models = await listCachedModels();
    } catch (error) {
      this.list.replaceChildren(line('Could not read this browser’s storage.'));
      this.onError(error);
      return;
    }
    // A load that failed before its first byte (a wrong URL) leaves an entry with no files: nothing to show or free.
    models = models.filter((model) => model.files.length > 0 || model.partialFiles.length > 0);
    this.list.replaceChildren(
      ...(models.length === 0 ? [line('No models stored in this browser.')] : models.map((model) => this.item(model))),
    );
  }

  private item(model: CachedModel): HTMLLIElement {
    const li = document.createElement('li');
    li.dataset['key'] = model.key;
    const name = document.createElement('code');
    name.textContent = model.revision ? `${model.id} @ ${model.revision}` : model.id;
    const size = document.createElement('span');
    size.className = 'cached-size';
    size.textContent = `${formatBytes(model.bytes)} in ${model.files.length} ${model.files.length === 1 ? 'file' : 'files'}`;
    li.append(name, ' ', size);
    if (model.partialFiles.length > 0) {
      const partial = document.createElement('span');
      partial.className = 'hint';
      partial.textContent = ` · unfinished: ${model.partialFiles.join(', ')}`;
      li.append(partial);
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary';
    button.textContent = 'Delete';
    button.setAttribute('aria-label', `Delete ${name.textContent}`);
    button.disabled = this.busy;
    button.addEventListener('click', () => {
      button.disabled = true;
      deleteCachedModel(model.key)
        .then(() => this.refresh())
        .catch(this.onError);
    });
    li.append(' ', button);
    return li;
  }
}

function line(text: string): HTMLLIElement {
  const li = document.createElement('li');
  li.className = 'hint';
  li.textContent = text;
  return li;
}
