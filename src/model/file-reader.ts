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
   */
  plan(paths: readonly string[], signal?: AbortSignal): Promise<FilePlan>;
  json(path: string, signal?: AbortSignal): Promise<unknown>;
  bytes(path: string, options?: { signal?: AbortSignal; onProgress?: (progress: FileProgress) => void }): Promise<Uint8Array>;
}
