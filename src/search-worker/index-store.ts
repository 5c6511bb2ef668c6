/**
 * The search index on disk: IndexedDB through `idb`, so texts, chunks and vectors survive a
 * reload and an indexing run cut short resumes where it stopped. Every vector record carries
 * its fingerprint key and is only ever read back through the index on that key, so vectors of
 * another model or size are never loaded for a search. IDB failures (quota, a blocked upgrade,
 * private mode) become EmbedError INDEX_STORE_FAILED naming the operation.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { EmbedError } from '../core/errors.ts';
import { describeFingerprint, fingerprintKey } from '../search/fingerprint.ts';
import type { Chunk, IndexFingerprint, SourceText } from '../protocol/search-data.ts';

export const DEFAULT_DB_NAME = 'tabembed-index';
const DB_VERSION = 1;

/** A source as stored: `order` keeps the user's order (pendingChunks and the UI follow it). */
export interface StoredSource extends SourceText {
  order: number;
}

export interface StoredVector {
  chunkId: string;
  fingerprintKey: string;
  /** Its own buffer: a view into a batch would make IDB clone the whole batch per record. */
  vector: Float32Array;
}

interface IndexSchema extends DBSchema {
  sources: { key: string; value: StoredSource };
  chunks: { key: string; value: Chunk; indexes: { sourceId: string } };
  vectors: { key: string; value: StoredVector; indexes: { fingerprintKey: string } };
  /** 'fingerprint': the fingerprint of every stored vector; absent while none is stored. */
  meta: { key: string; value: IndexFingerprint };
}

type Db = IDBPDatabase<IndexSchema>;
const ALL_STORES = ['sources', 'chunks', 'vectors', 'meta'] as const;
type AllStoresTx = IDBPTransaction<IndexSchema, typeof ALL_STORES, 'readwrite'>;

/**
 * @example
 * const store = await IndexStore.open();                // db 'tabembed-index'
 * await store.putVectors(fp, ['a#0'], vector, 64);      // one transaction
 * await store.vectorsOf(fp, ['a#0', 'zz#9']);          // [Float32Array(64), undefined]
 * await store.forEachVectorPage(fp, 1000, (records) => …); // [{ chunkId: 'a#0', fingerprintKey, vector: Float32Array(64) }, …] per page
 * // every method throws INDEX_STORE_FAILED when IndexedDB refuses
 */
export class IndexStore {
  private constructor(private readonly db: Db) {}

  static async open(name: string = DEFAULT_DB_NAME): Promise<IndexStore> {
    const db = await guarded(`open the database ${JSON.stringify(name)}`, () =>
      openDB<IndexSchema>(name, DB_VERSION, {
        upgrade(database) {
          database.createObjectStore('sources', { keyPath: 'id' });
          database.createObjectStore('chunks', { keyPath: 'id' }).createIndex('sourceId', 'sourceId');
          database.createObjectStore('vectors', { keyPath: 'chunkId' }).createIndex('fingerprintKey', 'fingerprintKey');
          database.createObjectStore('meta');
        },
        // A newer version opened in another tab: let it upgrade rather than wait on this one.
        blocking(_current, _blocked, event) {
          if (event.target instanceof IDBDatabase) event.target.close();
        },
      }),
    );
    return new IndexStore(db);
  }

  close(): void {
    this.db.close();
  }

  /** The fingerprint the stored vectors were made with; undefined while no vector is stored. */
  fingerprint(): Promise<IndexFingerprint | undefined> {
    return guarded('read the index fingerprint', () => this.db.get('meta', 'fingerprint'));
  }

  sources(): Promise<StoredSource[]> {
    return guarded('read the sources', () => this.db.getAll('sources'));
  }

  chunks(): Promise<Chunk[]> {
    return guarded('read the chunks', () => this.db.getAll('chunks'));
  }

  /** How many vectors of this fingerprint are stored, without reading them. */
  vectorCount(fp: IndexFingerprint): Promise<number> {
    return guarded('count the vectors', () => this.db.countFromIndex('vectors', 'fingerprintKey', fingerprintKey(fp)));
  }

  /** Chunk ids that have a vector of this fingerprint, without reading the vectors. */
  vectorIds(fp: IndexFingerprint): Promise<string[]> {
    return guarded('read the vector ids', () =>
      this.db.getAllKeysFromIndex('vectors', 'fingerprintKey', fingerprintKey(fp)),
    );
  }

  /**
   * The vectors of these chunk ids, in their order, read in one readonly transaction (all
   * requests at once): what int8 rescoring and the map's sample read. An id without a vector
   * of this fingerprint gives undefined.
   */
  vectorsOf(fp: IndexFingerprint, chunkIds: readonly string[]): Promise<(Float32Array | undefined)[]> {
    const key = fingerprintKey(fp);
    return guarded('read vectors by chunk id', async () => {
      const tx = this.db.transaction('vectors', 'readonly');
      const [records] = await Promise.all([Promise.all(chunkIds.map((id) => tx.store.get(id))), tx.done]);
      return records.map((record) => (record?.fingerprintKey === key ? record.vector : undefined));
    });
  }

  /**
   * Every vector of this fingerprint, `pageSize` records at a time in chunk id order (each page
   * its own readonly transaction), so that loading or scanning the store never holds more than
   * one page of records: 100,000 records of 1,024 floats would be 400 MB at once.
   */
  async forEachVectorPage(
    fp: IndexFingerprint,
    pageSize: number,
    onPage: (records: StoredVector[]) => void,
  ): Promise<void> {
    const key = fingerprintKey(fp);
    let after: string | undefined;
    for (;;) {
      const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true);
      const page = await guarded('read a page of vectors', () => this.db.getAll('vectors', range, pageSize));
      // The store holds one fingerprint at a time (putVectors refuses another), so filtering
      // here drops nothing in practice; it keeps the rule that vectors are read by fingerprint.
      onPage(page.filter((record) => record.fingerprintKey === key));
      const last = page.at(-1);
      if (!last || page.length < pageSize) return;
      after = last.chunkId;
    }
  }

  /** Puts sources and their chunks in one transaction; a source already stored loses its old chunks and vectors first. */
  putSources(entries: readonly { source: StoredSource; chunks: readonly Chunk[] }[]): Promise<void> {
    return guarded('store the sources and chunks', async () => {
      const tx = this.db.transaction(ALL_STORES, 'readwrite');
      await settle(tx, async () => {
        for (const { source, chunks } of entries) {
          await deleteChunksOf(tx, source.id);
          const writes: Promise<unknown>[] = [tx.objectStore('sources').put(source)];
          for (const chunk of chunks) writes.push(tx.objectStore('chunks').put(chunk));
          await Promise.all(writes);
        }
        await forgetFingerprintIfEmpty(tx);
      });
    });
  }

  /**
   * Stores one batch ([chunkIds.length × dims] values) in one transaction: all of it or, if any
   * chunk id is unknown or the store holds another fingerprint, none of it.
   * Throws INVALID_INPUT (`chunkIds[i]` never added), INDEX_MISMATCH, INDEX_STORE_FAILED.
   */
  putVectors(fp: IndexFingerprint, chunkIds: readonly string[], vectors: Float32Array, dims: number): Promise<void> {
    const key = fingerprintKey(fp);
    return guarded('store a batch of vectors', async () => {
      const tx = this.db.transaction(['chunks', 'vectors', 'meta'], 'readwrite');
      await settle(tx, async () => {
        const stored = await tx.objectStore('meta').get('fingerprint');
        if (stored && fingerprintKey(stored) !== key) {
          throw new EmbedError(
            'INDEX_MISMATCH',
            `the store holds vectors of ${describeFingerprint(stored)}, not of ${describeFingerprint(fp)}: call clear() or reindex() before storing these`,
          );
        }
        const writes: Promise<unknown>[] = stored ? [] : [tx.objectStore('meta').put(fp, 'fingerprint')];
        // All requests go out at once; each vector is written before its chunk is checked, so
        // an unknown id in the middle of a batch leaves written records that the abort below
        // must roll back (e2e/search-store.spec.ts checks that it does).
        const checks = chunkIds.map((chunkId, i) => {
          writes.push(
            tx
              .objectStore('vectors')
              .put({ chunkId, fingerprintKey: key, vector: vectors.slice(i * dims, (i + 1) * dims) }),
          );
          return tx.objectStore('chunks').getKey(chunkId);
        });
        const [found] = await Promise.all([Promise.all(checks), Promise.all(writes)]);
        const missing = found.findIndex((k) => k === undefined);
        if (missing >= 0) {
          throw new EmbedError(
            'INVALID_INPUT',
            `chunkIds[${missing}] (${JSON.stringify(chunkIds[missing])}) is not a stored chunk: add its source with addSources first; nothing of this batch was stored`,
            { index: missing },
          );
        }
      });
    });
  }

  /** Deletes a source with its chunks and vectors, in one transaction. */
  removeSource(sourceId: string): Promise<void> {
    return guarded(`remove the source ${JSON.stringify(sourceId)}`, async () => {
      const tx = this.db.transaction(ALL_STORES, 'readwrite');
      await settle(tx, async () => {
        await Promise.all([tx.objectStore('sources').delete(sourceId), deleteChunksOf(tx, sourceId)]);
        await forgetFingerprintIfEmpty(tx);
      });
    });
  }

  /** Deletes every vector (sources and chunks stay), so the chunks can be embedded again with another fingerprint. */
  dropVectors(): Promise<void> {
    return guarded('delete the vectors', async () => {
      const tx = this.db.transaction(['vectors', 'meta'], 'readwrite');
      await settle(tx, () =>
        Promise.all([tx.objectStore('vectors').clear(), tx.objectStore('meta').delete('fingerprint')]),
      );
    });
  }

  /** Deletes everything: sources, chunks, vectors, fingerprint. */
  clear(): Promise<void> {
    return guarded('clear the index', async () => {
      const tx = this.db.transaction(ALL_STORES, 'readwrite');
      await settle(tx, () => Promise.all(ALL_STORES.map((name) => tx.objectStore(name).clear())));
    });
  }
}

/**
 * Runs a transaction's work and waits for the commit. On any failure the transaction is aborted
 * (IDB undoes every write it made) and the work's own error is thrown, not the AbortError that
 * the abort gives tx.done.
 */
async function settle(tx: { done: Promise<void>; abort(): void }, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    tx.done.catch(() => undefined); // the abort's consequence, not the cause
    try {
      tx.abort();
    } catch {
      // A failed request has already aborted it: nothing left to undo.
    }
    throw error;
  }
  await tx.done;
}

async function deleteChunksOf(tx: AllStoresTx, sourceId: string): Promise<void> {
  const chunkIds = await tx.objectStore('chunks').index('sourceId').getAllKeys(sourceId);
  await Promise.all(
    chunkIds.flatMap((id) => [tx.objectStore('chunks').delete(id), tx.objectStore('vectors').delete(id)]),
  );
}

/** Keeps "no vectors ⇒ no fingerprint", so a store emptied source by source accepts any model again. */
async function forgetFingerprintIfEmpty(tx: AllStoresTx): Promise<void> {
  if ((await tx.objectStore('vectors').count()) === 0) await tx.objectStore('meta').delete('fingerprint');
}

/** Wraps what IndexedDB throws as INDEX_STORE_FAILED; EmbedErrors of our own pass through. */
async function guarded<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof EmbedError) throw error;
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    throw new EmbedError(
      'INDEX_STORE_FAILED',
      `IndexedDB could not ${operation} (${name}: ${message}); ${adviceFor(name)}`,
      { cause: error },
    );
  }
}

function adviceFor(errorName: string): string {
  switch (errorName) {
    case 'QuotaExceededError':
      return 'the browser has no room left for this site: delete cached models or other site data, or index fewer texts';
    case 'InvalidStateError':
    case 'VersionError':
      return 'another tab may hold the index open with a different version: close other tabs of this page and reload';
    default:
      return 'reload the page; in a private window the browser may not keep an index at all';
  }
}
