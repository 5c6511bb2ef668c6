import { isRecord } from '../../core/is-record.ts';
/**
 * Small JSON records in the Origin Private File System, one file per key in one folder: what
 * the worker remembers between loads that is not a model file (the backend race's verdicts,
 * src/engine/race-verdict.ts). A file is named by its key's SHA-256, since keys can be longer
 * than a file name may be, and holds `{ key, value }`, so a read checks the key it got.
 */
export interface JsonRecords {
  /** The value stored under `key`, or undefined (never stored, unreadable, or another key's file). */
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

/** The records in OPFS folder `folder`; undefined where this context has no OPFS. */
export function opfsRecords(folder: string): JsonRecords | undefined {
  const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
  if (!storage?.getDirectory) return undefined;
  const dir = async (): Promise<FileSystemDirectoryHandle> =>
    (await storage.getDirectory()).getDirectoryHandle(folder, { create: true });
  return {
    async get(key) {
      const handle = await (await dir()).getFileHandle(await fileName(key)).catch(() => undefined);
      if (!handle) return undefined;
      try {
        const record: unknown = JSON.parse(await (await handle.getFile()).text());
        return isRecord(record) && record['key'] === key ? record['value'] : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      // createWritable writes a swap file and replaces the record on close: all or nothing.
      const writable = await (
        await (await dir()).getFileHandle(await fileName(key), { create: true })
      ).createWritable();
      await writable.write(JSON.stringify({ key, value }));
      await writable.close();
    },
  };
}

async function fileName(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key)));
  return `${Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')}.json`;
}
