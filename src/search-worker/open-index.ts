/**
 * The search service's in-memory state of one open index, and the pure functions on it: what
 * is pending, what the status reports, when a mismatch refuses a change.
 */
import { EmbedError } from '../core/errors.ts';
import type { IndexStatus } from '../protocol/search-api.ts';
import { describeFingerprint } from '../search/fingerprint.ts';
import type { StoredSource } from './index-store.ts';
import type { PcaFit } from '../search/pca-map.ts';
import type { Chunk, IndexFingerprint, IndexPrecision } from '../protocol/search-data.ts';
import { VectorIndex } from '../search/vector-index.ts';

/** One open index, replaced as a whole by open(), so a search never sees a half-loaded state. */
export interface OpenIndex {
  wanted: IndexFingerprint;
  /** Fingerprint of the stored vectors; undefined while none is stored. */
  stored: IndexFingerprint | undefined;
  sources: Map<string, Omit<StoredSource, 'text'>>;
  chunks: Map<string, Chunk>;
  /** Vectors of `wanted` (float32 rows or int8 codes, as `index.keeps` says); stays empty while the store holds another fingerprint. */
  index: VectorIndex;
  /** Only while mismatched: chunk ids with a vector of `stored` (counted, never loaded). */
  storedIds: Set<string> | undefined;
  /** Chunks in source order, then ordinal; rebuilt after sources change. */
  ordered: Chunk[] | undefined;
  /** Every chunk of `ordered` before this position has a vector (vectors only arrive, so it only moves on). */
  pendingFrom: number;
  fit: PcaFit | undefined;
}

export function emptyIndex(
  wanted: IndexFingerprint,
  stored: IndexFingerprint | undefined,
  keeps: IndexPrecision,
): OpenIndex {
  return {
    wanted,
    stored,
    sources: new Map(),
    chunks: new Map(),
    index: new VectorIndex(wanted.dimensions, keeps),
    storedIds: undefined,
    ordered: undefined,
    pendingFrom: 0,
    fit: undefined,
  };
}

/** Runs `work` now, turning a synchronous throw (a failed check) into a rejection like the async methods'. */
export function settled<T>(work: () => T | Promise<T>): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}

/** The store forgets its fingerprint once its last vector goes (index-store.ts); mirror that. */
export function afterRemoval(state: OpenIndex): void {
  const left = state.storedIds ? state.storedIds.size : state.index.size;
  if (left > 0) return;
  state.stored = undefined;
  state.storedIds = undefined; // a mismatch with nothing stored is no mismatch
}

export function refuseMismatch(state: OpenIndex, action: string): void {
  if (state.storedIds && state.stored) {
    throw new EmbedError(
      'INDEX_MISMATCH',
      `cannot ${action}: the store holds vectors of ${describeFingerprint(state.stored)}, but the index was opened for ${describeFingerprint(state.wanted)}; call reindex() to re-embed the kept texts, or clear()`,
    );
  }
}

export function orderedChunks(state: OpenIndex): Chunk[] {
  state.ordered ??= [...state.chunks.values()].sort(
    (a, b) =>
      (state.sources.get(a.sourceId)?.order ?? 0) - (state.sources.get(b.sourceId)?.order ?? 0) ||
      a.ordinal - b.ordinal,
  );
  return state.ordered;
}

export function statusOf(state: OpenIndex): IndexStatus {
  const has = (id: string): boolean => (state.storedIds ? state.storedIds.has(id) : state.index.has(id));
  const perSource = new Map<string, { chunks: number; embedded: number }>();
  let embedded = 0;
  for (const chunk of state.chunks.values()) {
    const counts = perSource.get(chunk.sourceId) ?? { chunks: 0, embedded: 0 };
    counts.chunks++;
    if (has(chunk.id)) {
      counts.embedded++;
      embedded++;
    }
    perSource.set(chunk.sourceId, counts);
  }
  const sources = [...state.sources.values()]
    .sort((a, b) => a.order - b.order)
    .map((source) => ({
      id: source.id,
      name: source.name,
      ...(perSource.get(source.id) ?? { chunks: 0, embedded: 0 }),
    }));
  const mismatch = state.storedIds && state.stored ? { stored: state.stored, wanted: state.wanted } : undefined;
  const memory = { keeps: state.index.keeps, bytes: state.index.bytes };
  return {
    fingerprint: state.stored,
    sources,
    chunks: state.chunks.size,
    embedded,
    pending: state.chunks.size - embedded,
    mismatch,
    memory,
  };
}
