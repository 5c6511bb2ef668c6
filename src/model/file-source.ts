/**
 * Where a model repo's bytes live, at the lowest level: HTTP (`http-source.ts`), Blobs the user
 * picked (`blob-source.ts`), a folder on disk in Node (`src/node/fs-source.ts`). Paths are
 * relative to the repo root in Hub layout (`config.json`, `onnx/model_q4.onnx`).
 * Reading a whole file, resuming it and checking it is done once, above this, in `download.ts`.
 */
import type { FileStat } from '../core/file-stat.ts';

export interface ByteStream {
  /** Offset of the first chunk: the requested offset when honoured, 0 when the source restarted. */
  start: number;
  /** Size of the whole file, when known. */
  size: number | undefined;
  chunks: AsyncIterable<Uint8Array>;
}

export interface FileSource {
  /** Where `path` is, for messages: a URL or a file path. */
  locate(path: string): string;
  /** undefined when the file is absent (404 / no such file). */
  stat(path: string, signal?: AbortSignal): Promise<FileStat | undefined>;
  /** Streams the file from `offset` (a source without ranges may start again at 0). */
  open(path: string, options?: { offset?: number; signal?: AbortSignal }): Promise<ByteStream>;
  /** The file itself as a Blob, where the source holds one (files the user picked). */
  blob?(path: string): Promise<Blob | undefined>;
}
