import type { FileStat } from '../../core/file-stat.ts';
import type { DownloadSink } from '../download.ts';

/**
 * Persistent storage for one model's files (OPFS in the browser: `opfs-cache.ts`). It stores
 * bytes and what we learnt about each path; checking bytes against their recorded sha256 is
 * done by the reader (`model-files.ts`), so every store gets the same integrity rules.
 */
export interface CachedFile {
  bytes: Uint8Array;
  sha256: string;
}

export interface CacheWriter extends DownloadSink {
  /** The file is whole and verified: record it as complete. */
  commit(sha256: string): Promise<void>;
  /** Stop writing; what was written stays as a partial file to resume from. */
  close(): Promise<void>;
}

export interface ModelCacheEntry {
  /** What a HEAD / stat once said about `path` (null: absent), so a cached load asks nobody. */
  knownStat(path: string): FileStat | null | undefined;
  rememberStat(path: string, stat: FileStat | null): Promise<void>;
  /** Bytes of `path` if it was stored complete (not yet re-verified). */
  readComplete(path: string): Promise<CachedFile | undefined>;
  /** The same as a Blob read from disk on demand, nothing loaded yet (not yet re-verified). */
  completeBlob(path: string): Promise<{ blob: Blob; sha256: string } | undefined>;
  isComplete(path: string): boolean;
  /** Bytes of an interrupted download of the same file (same expected size and sha256). */
  readPartial(path: string, expected: FileStat): Promise<Uint8Array | undefined>;
  writer(path: string, expected: FileStat, resumeAt: number): Promise<CacheWriter>;
  discard(path: string): Promise<void>;
  /**
   * The load is done with the cache: its last record write has ended, and the entry is let go
   * for another load, in this tab or another (OPFS: a Web Lock held from open to here). Rejects
   * when that write failed; the entry is let go all the same.
   */
  release(): Promise<void>;
  /** Bytes the origin may still store (quota − usage), when the browser says. */
  available(): Promise<number | undefined>;
}
