import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EmbedError } from '../core/errors.ts';
import type { ModelFileReader } from '../model/file-reader.ts';

/** A Hub-layout model folder on disk, read with no network at all. */
export function localFiles(dir: string): ModelFileReader {
  const root = resolve(dir);
  const locate = (path: string): string => join(root, path);
  const read = async (path: string): Promise<Buffer> => {
    try {
      return await readFile(locate(path));
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new EmbedError('MODEL_FILE_MISSING', `${path} was not found in ${root}`, { cause });
      throw new EmbedError('MODEL_FETCH_FAILED', `${locate(path)} could not be read: ${String(cause)}`, { cause });
    }
  };
  return {
    locate,
    async exists(path) {
      return (await stat(locate(path)).catch(() => undefined))?.isFile() === true;
    },
    async json(path) {
      const text = (await read(path)).toString('utf8');
      try {
        return JSON.parse(text) as unknown;
      } catch (cause) {
        throw new EmbedError('MODEL_CONFIG_INVALID', `${locate(path)} is not valid JSON`, { cause });
      }
    },
    async bytes(path, options = {}) {
      const bytes = await read(path);
      options.onProgress?.({ file: path, loaded: bytes.length, total: bytes.length });
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
  };
}
