import type { FileStat } from '../file-source.ts';
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
  /** The file is whole and verified: its bytes are flushed and it is recorded as complete (on disk by `settled()`). */
  commit(sha256: string): Promise<void>;
  /** Stop writing; what was written stays as a partial file to resume from. */
  close(): Promise<void>;
}

export interface ModelCacheEntry {
  /** What a HEAD / stat once said about `path` (null: absent), so a cached load asks nobody. */
  knownStat(path: string): FileStat | null | undefined;
  /** Records what a stat said; on disk by `settled()`. */
  rememberStat(path: string, stat: FileStat | null): void;
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
   * Every record made so far (stats, partial and complete files) is on disk; rejects when the
   * last write of them failed. Records need not be on disk before the bytes they describe are
   * used: a record lost with the tab only costs a check (a complete file's sha256 is verified on
   * every read; an unrecorded file is fetched again), so a load waits for them once, at its end.
   */
  settled(): Promise<void>;
  /** Bytes the origin may still store (quota − usage), when the browser says. */
  available(): Promise<number | undefined>;
}
