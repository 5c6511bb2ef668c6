/**
 * Bench-only page for bench/search-latency.ts: fills a database with seeded random unit
 * vectors through the real IndexStore, times the ways IndexedDB can read the few rows an int8
 * search rescores, and drives the real search worker (workers/search.worker.ts) in each
 * precision: open time, search latency as the worker measures it, recall, and the memory the
 * browser attributes to the worker. A measurement, not a test: nothing here passes or fails.
 */
import * as Comlink from 'comlink';
import { installErrorWire } from '../../src/protocol/error-wire.ts';
import type { IndexStatus, SearchWorkerApi } from '../../src/protocol/search-api.ts';
import { IndexStore } from '../../src/search-worker/index-store.ts';
import type { IndexFingerprint, IndexPrecision } from '../../src/protocol/search-data.ts';
import { randomUnitVectors } from '../../tests/search/random-unit-vectors.ts';
import { realmMemory } from './realm-memory.ts';

installErrorWire();

const CHUNKS_PER_SOURCE = 100;
const BATCH = 1000;

export function benchFingerprint(dims: number): IndexFingerprint {
  return {
    model: 'bench/random-unit-vectors',
    revision: undefined,
    dtype: 'fp32',
    dimensions: dims,
    instructionPolicy: 'none',
  };
}

const chunkId = (row: number): string =>
  `s${String(Math.floor(row / CHUNKS_PER_SOURCE)).padStart(5, '0')}#${row % CHUNKS_PER_SOURCE}`;

function summary(ms: number[]): { median: number; p95: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
  return { median: at(0.5), p95: at(0.95) };
}

/** Seeded pseudo-random picks of `count` distinct rows of `total`. */
function picks(total: number, count: number, seed: number): number[] {
  const out = new Set<number>();
  let x = seed;
  while (out.size < Math.min(count, total)) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out.add(x % total);
  }
  return [...out];
}

let worker: Worker | undefined;
let api: Comlink.Remote<SearchWorkerApi> | undefined;

const searchBench = {
  /** Stores `rows` seeded random unit vectors (with their sources and chunks) in database `db`, replacing what it held. */
  async fill(db: string, rows: number, dims: number, seed: number): Promise<{ ms: number }> {
    const started = performance.now();
    const store = await IndexStore.open(db);
    await store.clear();
    const fp = benchFingerprint(dims);
    for (let from = 0; from < rows; from += BATCH) {
      const to = Math.min(rows, from + BATCH);
      const entries = [];
      for (let s = from / CHUNKS_PER_SOURCE; s < to / CHUNKS_PER_SOURCE; s++) {
        const id = `s${String(s).padStart(5, '0')}`;
        const chunks = Array.from({ length: CHUNKS_PER_SOURCE }, (_, ordinal) => ({
          id: `${id}#${ordinal}`,
          sourceId: id,
          ordinal,
          text: 'x',
          start: ordinal,
          end: ordinal + 1,
          tokens: 1,
        }));
        entries.push({ source: { id, name: id, text: 'x'.repeat(CHUNKS_PER_SOURCE + 1), order: s }, chunks });
      }
      await store.putSources(entries);
      const ids = Array.from({ length: to - from }, (_, i) => chunkId(from + i));
      await store.putVectors(fp, ids, randomUnitVectors(to - from, dims, seed * 100_003 + from), dims);
    }
    store.close();
    return { ms: performance.now() - started };
  },

  /**
   * Reading `count` random rows of `rows` stored ones, each way `reps` times (fresh picks each
   * time): all gets in one transaction (IndexStore.vectorsOf), one cursor stepping through the
   * sorted keys, and one transaction per key.
   */
  async readWays(
    db: string,
    rows: number,
    dims: number,
    counts: number[],
    reps: number,
  ): Promise<Record<string, Record<number, { median: number; p95: number }>>> {
    const store = await IndexStore.open(db);
    const fp = benchFingerprint(dims);
    const raw = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(db);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    const out: Record<string, Record<number, { median: number; p95: number }>> = {
      'gets in one transaction': {},
      'one cursor over the sorted keys': {},
      'one transaction per key': {},
    };
    for (const count of counts) {
      const times: number[][] = [[], [], []];
      for (let rep = 0; rep < reps; rep++) {
        const ids = picks(rows, count, 7 + rep * 31 + count).map(chunkId);
        let started = performance.now();
        const got = await store.vectorsOf(fp, ids);
        times[0]?.push(performance.now() - started);
        if (got.some((v) => v?.length !== dims)) throw new Error('a picked row was not read back');
        started = performance.now();
        await cursorRead(raw, [...ids].sort());
        times[1]?.push(performance.now() - started);
        started = performance.now();
        await Promise.all(
          ids.map(
            (id) =>
              new Promise((resolve, reject) => {
                const request = raw.transaction('vectors', 'readonly').objectStore('vectors').get(id);
                request.onsuccess = () => resolve(request.result);
                request.onerror = () => reject(request.error ?? new Error('get failed'));
              }),
          ),
        );
        times[2]?.push(performance.now() - started);
      }
      Object.keys(out).forEach((way, i) => ((out[way] ?? {})[count] = summary(times[i] ?? [])));
    }
    raw.close();
    store.close();
    return out;
  },

  start(db: string): void {
    worker?.terminate();
    worker = new Worker(new URL('../../workers/search.worker.ts', import.meta.url), {
      type: 'module',
      name: `db:${db}`,
    });
    api = Comlink.wrap<SearchWorkerApi>(worker);
  },

  stop(): void {
    worker?.terminate();
    worker = undefined;
    api = undefined;
  },

  async open(dims: number, precision: IndexPrecision): Promise<{ ms: number; status: IndexStatus }> {
    const started = performance.now();
    const status = await remote().open(benchFingerprint(dims), precision);
    return { ms: performance.now() - started, status };
  },

  async usePrecision(precision: IndexPrecision): Promise<{ ms: number; status: IndexStatus }> {
    const started = performance.now();
    const status = await remote().usePrecision(precision);
    return { ms: performance.now() - started, status };
  },

  /** `queries` random unit queries after `warmup` ones: the worker's own time per search, and the page's round trip. */
  async search(
    dims: number,
    precision: IndexPrecision,
    queries: number,
    warmup: number,
    seed: number,
  ): Promise<{ worker: { median: number; p95: number }; roundTrip: { median: number; p95: number } }> {
    const all = randomUnitVectors(queries + warmup, dims, seed);
    const workerMs: number[] = [];
    const roundTripMs: number[] = [];
    for (let q = 0; q < queries + warmup; q++) {
      const started = performance.now();
      const { ms } = await remote().search(all.slice(q * dims, (q + 1) * dims), 10, precision);
      if (q < warmup) continue;
      roundTripMs.push(performance.now() - started);
      workerMs.push(ms);
    }
    return { worker: summary(workerMs), roundTrip: summary(roundTripMs) };
  },

  recall: (dims: number, queries: number, seed: number): Promise<number> =>
    remote().int8Recall(randomUnitVectors(queries, dims, seed), 10),

  /** What Chromium attributes to each realm (the page, each worker), after a GC; undefined without cross-origin isolation. */
  memory: realmMemory,
};

function remote(): Comlink.Remote<SearchWorkerApi> {
  if (!api) throw new Error('call searchBench.start(db) first');
  return api;
}

/** One readonly transaction, one cursor that jumps from key to key (continue(key)). */
function cursorRead(db: IDBDatabase, sortedIds: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = db
      .transaction('vectors', 'readonly')
      .objectStore('vectors')
      .openCursor(IDBKeyRange.bound(sortedIds[0] ?? '', sortedIds.at(-1) ?? ''));
    let next = 0;
    let read = 0;
    request.onerror = () => reject(request.error ?? new Error('cursor failed'));
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor) return resolve(read);
      if (cursor.key === sortedIds[next]) {
        read++;
        next++;
      }
      const target = sortedIds[next];
      if (target === undefined) return resolve(read);
      cursor.continue(target);
    };
  });
}

declare global {
  interface Window {
    searchBench: typeof searchBench;
  }
}

window.searchBench = searchBench;
document.body.dataset['ready'] = 'true';
