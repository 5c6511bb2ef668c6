/**
 * Test-only: the embedding worker's backend-race verdict store (OPFS records in VERDICT_FOLDER,
 * as workers/embed.worker.ts opens it), called directly. Headless Chromium has only SwiftShader,
 * a software adapter that never races, so the store is exercised here without a race.
 */
import * as Comlink from 'comlink';
import { VERDICT_FOLDER } from '../../src/engine/race-verdict.ts';
import { opfsRecords } from '../../src/model/cache/opfs-records.ts';
import { FROM_OWNING_PAGE } from '../../src/protocol/worker-origins.ts';
import type { VerdictStoreWorkerApi } from './verdict-store-protocol.ts';

const records = opfsRecords(VERDICT_FOLDER);
if (!records) throw new Error('this worker has no OPFS');
const store = records;

async function folder(): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(VERDICT_FOLDER, { create: true });
}

const api = {
  get: (key) => store.get(key),
  set: (key, value) => store.set(key, value),
  async files() {
    const names: string[] = [];
    for await (const name of (await folder()).keys()) names.push(name);
    return names.sort();
  },
  async overwrite(name, text) {
    const writable = await (await (await folder()).getFileHandle(name)).createWritable();
    await writable.write(text);
    await writable.close();
  },
} satisfies VerdictStoreWorkerApi;

Comlink.expose(api, self, [...FROM_OWNING_PAGE]);
