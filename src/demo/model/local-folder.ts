import type { LocalModelFile } from '../../core/types.ts';

/**
 * A model folder from this computer, however it arrived: a `webkitdirectory` pick, a
 * `showDirectoryPicker()` handle or a dropped folder. Paths keep the folder's name in front
 * (`qwen3-tiny/onnx/model.onnx`); the loader reduces them to repo paths (blob-source.ts).
 */
export interface LocalFolder {
  name: string;
  files: LocalModelFile[];
}

/**
 * Dot folders (`.git`, `.cache`) hold nothing the loader reads and can be large: a cloned Hub
 * repo keeps a second copy of every LFS file under `.git/lfs`.
 */
function skipped(name: string): boolean {
  return name.startsWith('.');
}

/** From an `<input type="file" webkitdirectory>`: every file carries its `webkitRelativePath`. */
export function folderFromFileList(list: FileList): LocalFolder | undefined {
  const files = Array.from(list, (file) => ({ path: file.webkitRelativePath || file.name, file })).filter(
    (entry) => !entry.path.split('/').some(skipped),
  );
  const first = files[0];
  if (!first) return undefined;
  return { name: first.path.split('/')[0] ?? first.path, files };
}

/** From `showDirectoryPicker()`: walks the handle's subfolders. */
export async function folderFromHandle(root: FileSystemDirectoryHandle): Promise<LocalFolder> {
  const files: LocalModelFile[] = [];
  async function walk(dir: FileSystemDirectoryHandle, prefix: string): Promise<void> {
    for await (const handle of dir.values()) {
      if (skipped(handle.name)) continue;
      const path = `${prefix}/${handle.name}`;
      if (handle.kind === 'directory') await walk(handle, path);
      else files.push({ path, file: await handle.getFile() });
    }
  }
  await walk(root, root.name);
  return { name: root.name, files };
}

/**
 * From a drop: the first dropped folder, walked through the (old, callback-based) entries API,
 * the only one Chromium, Firefox and Safari all give a drop. Loose files dropped without a
 * folder count as a folder of their own. Read the items before the drop handler returns: the
 * browser empties the DataTransfer afterwards.
 */
export async function folderFromDrop(items: DataTransferItemList): Promise<LocalFolder | undefined> {
  const entries = Array.from(items, (item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null)).filter(
    (entry) => entry !== null,
  );
  const folder = entries.find(isDirectory);
  if (folder) return { name: folder.name, files: await walkEntry(folder, folder.name) };
  const files = await Promise.all(
    entries.filter(isFile).map(async (entry) => ({ path: entry.name, file: await entryFile(entry) })),
  );
  return files.length > 0 ? { name: 'dropped files', files } : undefined;
}

async function walkEntry(dir: FileSystemDirectoryEntry, prefix: string): Promise<LocalModelFile[]> {
  const files: LocalModelFile[] = [];
  for (const entry of await readAllEntries(dir)) {
    if (skipped(entry.name)) continue;
    const path = `${prefix}/${entry.name}`;
    if (isDirectory(entry)) files.push(...(await walkEntry(entry, path)));
    else if (isFile(entry)) files.push({ path, file: await entryFile(entry) });
  }
  return files;
}

/** readEntries() answers in batches (100 in Chromium) until it answers an empty one. */
async function readAllEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function isDirectory(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}

function isFile(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}

/** `showDirectoryPicker()` is Chromium-only and not in TypeScript's DOM types. */
interface DirectoryPicker {
  showDirectoryPicker(options?: { id?: string; mode?: 'read' }): Promise<FileSystemDirectoryHandle>;
}

export function directoryPicker(scope: object): DirectoryPicker | undefined {
  return 'showDirectoryPicker' in scope && typeof scope.showDirectoryPicker === 'function'
    ? {
        showDirectoryPicker: (options) =>
          // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- checked to be a function above; its signature is the File System Access API's
          (scope.showDirectoryPicker as DirectoryPicker['showDirectoryPicker']).call(scope, options),
      }
    : undefined;
}
