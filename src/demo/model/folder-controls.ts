import {
  directoryPicker,
  folderFromDrop,
  folderFromFileList,
  folderFromHandle,
  type LocalFolder,
} from './local-folder.ts';

export interface FolderControls {
  /** "Use a model folder from this computer". */
  button: HTMLButtonElement;
  /** `<input type="file" webkitdirectory>`: the picker where showDirectoryPicker() is missing. */
  input: HTMLInputElement;
  /** Where a dropped folder is taken; gets `data-dragging` while one hovers over it. */
  dropTarget: HTMLElement;
}

/**
 * Calls `onFolder` for a folder picked with the button or dropped on the target. The button
 * opens showDirectoryPicker() where there is one (no "upload N files?" prompt, and a handle
 * instead of a file list) and the webkitdirectory input elsewhere (Firefox, Safari).
 */
export function watchForFolders(
  controls: FolderControls,
  onFolder: (folder: LocalFolder) => void,
  onError: (error: unknown) => void,
): void {
  const picker = directoryPicker(window);
  const take = (found: Promise<LocalFolder | undefined>): void => {
    found.then((folder) => folder && onFolder(folder), onError);
  };

  controls.button.addEventListener('click', () => {
    if (!picker) {
      controls.input.click();
      return;
    }
    take(
      picker.showDirectoryPicker({ id: 'tabembed-model', mode: 'read' }).then(folderFromHandle, (error: unknown) => {
        // Closing the picker is not an error.
        if (error instanceof DOMException && error.name === 'AbortError') return undefined;
        throw error;
      }),
    );
  });
  controls.input.addEventListener('change', () => {
    const folder = controls.input.files ? folderFromFileList(controls.input.files) : undefined;
    controls.input.value = ''; // picking the same folder again fires change again
    if (folder) onFolder(folder);
  });

  const target = controls.dropTarget;
  const carriesFiles = (event: DragEvent): boolean => event.dataTransfer?.types.includes('Files') === true;
  target.addEventListener('dragover', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault(); // without it the browser opens the file instead of dropping it here
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    target.dataset['dragging'] = 'true';
  });
  target.addEventListener('dragleave', (event) => {
    // dragleave fires when moving onto a child too; only leaving the target for good counts.
    if (!(event.relatedTarget instanceof Node) || !target.contains(event.relatedTarget))
      delete target.dataset['dragging'];
  });
  target.addEventListener('drop', (event) => {
    delete target.dataset['dragging'];
    if (!carriesFiles(event) || !event.dataTransfer) return;
    event.preventDefault();
    take(folderFromDrop(event.dataTransfer.items));
  });
}
