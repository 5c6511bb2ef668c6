/**
 * The engine's view of a model repo (`model-files.ts` builds it over a `FileSource` and an
 * optional cache). Paths are relative to the repo root in Hub layout.
 */
export interface FileProgress {
  file: string;
  loaded: number;
  total: number | undefined;
  fromCache: boolean;
}

export interface FilePlan {
  /** Sum of the planned files' sizes: the denominator of the load's progress. */
  totalBytes: number;
  sizes: ReadonlyMap<string, number | undefined>;
}

export interface ModelFileReader {
  /** Where `path` is, for messages: a URL or a file path. */
  locate(path: string): string;
  exists(path: string, signal?: AbortSignal): Promise<boolean>;
  /**
   * Sizes of the files a load will read, known before the first byte; fails with
   * MODEL_FILE_MISSING naming any that are absent and QUOTA_EXCEEDED when they cannot be stored.
   * `check` sees the sizes first and may refuse them (MODEL_TOO_LARGE: a model the device
   * cannot hold says so rather than that the disk is full).
   */
  plan(paths: readonly string[], signal?: AbortSignal, check?: (plan: FilePlan) => void): Promise<FilePlan>;
  json(path: string, signal?: AbortSignal): Promise<unknown>;
  bytes(path: string, options?: ReadOptions): Promise<Uint8Array>;
  /**
   * The file as a Blob kept on disk (a verified file in the OPFS cache, downloaded there first if
   * need be; a file the user picked), so it can be read a slice at a time without holding it in
   * memory; undefined where the source keeps no such file (no cache: use `bytes`). Same checks
   * and progress as `bytes`.
   */
  blob(path: string, options?: ReadOptions): Promise<Blob | undefined>;
  /** The load is done with the files: the cache's records are on disk and its entry is free for another load; see ModelCacheEntry.release. */
  release(): Promise<void>;
}

export interface ReadOptions {
  signal?: AbortSignal;
  onProgress?: (progress: FileProgress) => void;
}
