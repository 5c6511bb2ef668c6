import { open, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EmbedError } from '../core/errors.ts';
import { isRecord } from '../core/is-record.ts';
import type { FileSource } from '../model/file-source.ts';

const CHUNK = 16 * 1024 * 1024;

/** A Hub-layout model folder on disk, read with no network at all. */
export function fsSource(dir: string): FileSource {
  const root = resolve(dir);
  const locate = (path: string): string => join(root, path);
  return {
    locate,
    async stat(path) {
      const info = await stat(locate(path)).catch(() => undefined);
      return info?.isFile() ? { size: info.size, sha256: undefined } : undefined;
    },
    async open(path, options = {}) {
      // Absent reads as the HTTP source's 404 does, so callers tell "no such file" from a failure.
      const file = await open(locate(path)).catch((cause: unknown) => {
        if (!(isRecord(cause) && cause['code'] === 'ENOENT')) throw cause;
        throw new EmbedError('MODEL_FILE_MISSING', `${locate(path)} was not found`, { cause });
      });
      const { size } = await file.stat();
      const start = options.offset ?? 0;
      async function* chunks(): AsyncIterable<Uint8Array> {
        try {
          for (let at = start; at < size;) {
            options.signal?.throwIfAborted();
            const buffer = new Uint8Array(Math.min(CHUNK, size - at));
            const { bytesRead } = await file.read(buffer, 0, buffer.length, at);
            if (bytesRead === 0) return;
            yield buffer.subarray(0, bytesRead);
            at += bytesRead;
          }
        } finally {
          await file.close();
        }
      }
      return { start, size, chunks: chunks() };
    },
  };
}
