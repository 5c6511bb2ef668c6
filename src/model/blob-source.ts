import type { LocalModelFile } from '../core/types.ts';
import type { FileSource } from './file-source.ts';

const CHUNK = 8 * 1024 * 1024;

/** Files the user picked or dropped (File objects cross to the worker without a copy). */
export function blobSource(files: readonly LocalModelFile[]): FileSource {
  const byPath = new Map(files.map((entry) => [normalise(entry.path), entry.file]));
  const locate = (path: string): string => `local file ${path}`;
  return {
    locate,
    stat(path) {
      const file = byPath.get(path);
      return Promise.resolve(file ? { size: file.size, sha256: undefined } : undefined);
    },
    open(path, options = {}) {
      const file = byPath.get(path);
      if (!file) return Promise.reject(new Error(`${path} is not among the local files`));
      const start = options.offset ?? 0;
      async function* chunks(): AsyncIterable<Uint8Array> {
        for (let at = start; at < (file?.size ?? 0); at += CHUNK) {
          options.signal?.throwIfAborted();
          yield new Uint8Array(await (file?.slice(at, at + CHUNK).arrayBuffer() ?? new ArrayBuffer(0)));
        }
      }
      return Promise.resolve({ start, size: file.size, chunks: chunks() });
    },
    blob(path) {
      // Picked files are real Blobs (BlobLike is only how core, which has no DOM, types them).
      const file = byPath.get(path);
      return Promise.resolve(typeof Blob !== 'undefined' && file instanceof Blob ? file : undefined);
    },
  };
}

/**
 * Paths as a folder pick gives them (`Qwen3-Embedding-0.6B-ONNX/onnx/model.onnx` from
 * webkitRelativePath) reduced to repo paths: everything from `onnx/` or the bare file name at
 * the top (`config.json`).
 */
export function normalise(path: string): string {
  const parts = path.split('/').filter((part) => part.length > 0 && part !== '.');
  const onnx = parts.lastIndexOf('onnx');
  if (onnx >= 0 && onnx < parts.length - 1) return parts.slice(onnx).join('/');
  return parts[parts.length - 1] ?? '';
}
