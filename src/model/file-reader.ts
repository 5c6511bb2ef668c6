/**
 * How the engine reads a model repo, whatever it lives on: HTTP in the browser and for URLs in
 * Node (`http-files.ts`), the file system in the CLI (`src/node/local-files.ts`).
 * Paths are relative to the repo root in Hub layout (`config.json`, `onnx/model_q4.onnx`).
 */
export interface FileProgress {
  file: string;
  loaded: number;
  total: number | undefined;
}

export interface ModelFileReader {
  /** Where `path` is, for messages: a URL or a file path. */
  locate(path: string): string;
  exists(path: string, signal?: AbortSignal): Promise<boolean>;
  json(path: string, signal?: AbortSignal): Promise<unknown>;
  bytes(path: string, options?: { signal?: AbortSignal; onProgress?: (progress: FileProgress) => void }): Promise<Uint8Array>;
}
