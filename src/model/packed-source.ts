import { EmbedError } from '../core/errors.ts';
import type { FileStat } from '../core/file-stat.ts';
import { blobChunks } from './blob-chunks.ts';
import { downloadFile, type Downloaded } from './download.ts';
import type { FileSource } from './file-source.ts';
import { manifestPathOf, parsePackManifest } from './pack-manifest.ts';

const CONFIG = 'config.json';

/** What the folder said about itself: its config.json's bytes and, when it is packed, its manifest. */
interface Known {
  config: { bytes: Blob; stat: FileStat } | undefined;
  manifest: Map<string, FileStat> | undefined;
}

/**
 * A folder served as plain files (a `{ url }`, a directory in Node) that may be a packed model
 * (`tabembed pack-model`, pack-manifest.ts). The first question about any file reads config.json
 * (one GET, instead of the HEAD it replaces; the bytes are kept and served to the load that
 * reads it next); when it names a manifest, every file's size and sha256 come from that
 * manifest, so each file is checked against it as it streams (download.ts) and stored with it
 * in the cache, exactly as a Hub file is checked against the Hub's listing. A folder that was
 * not packed is asked about each file as before.
 */
export function packAware(source: FileSource): FileSource {
  let known: Promise<Known> | undefined;

  async function learn(signal: AbortSignal | undefined): Promise<Known> {
    let read: Downloaded;
    try {
      read = await readWhole(source, CONFIG, signal);
    } catch (error) {
      if (error instanceof EmbedError && error.code === 'MODEL_FILE_MISSING')
        return { config: undefined, manifest: undefined };
      throw error;
    }
    const config = { bytes: new Blob([read.bytes]), stat: { size: read.bytes.length, sha256: read.sha256 } };
    const manifestPath = manifestPathOf(parsedOrUndefined(read.bytes));
    if (manifestPath === undefined) return { config, manifest: undefined };
    const text = new TextDecoder().decode((await readWhole(source, manifestPath, signal)).bytes);
    const manifest = parsePackManifest(text, source.locate(manifestPath));
    const listed = manifest.get(CONFIG);
    if (listed && listed.sha256 !== config.stat.sha256) {
      throw new EmbedError(
        'MODEL_INTEGRITY_FAILED',
        `${source.locate(CONFIG)} has sha256 ${config.stat.sha256}, expected ${listed.sha256} (${source.locate(manifestPath)}): the file is corrupt or was changed`,
      );
    }
    return { config, manifest };
  }

  const knownNow = (signal: AbortSignal | undefined): Promise<Known> => (known ??= learn(signal));

  return {
    locate: (path) => source.locate(path),
    async stat(path, signal) {
      const { config, manifest } = await knownNow(signal);
      if (path === CONFIG) return config?.stat;
      return manifest ? manifest.get(path) : source.stat(path, signal);
    },
    async open(path, options = {}) {
      const config = path === CONFIG && known ? (await known).config : undefined;
      if (!config) return source.open(path, options);
      const start = Math.min(options.offset ?? 0, config.bytes.size);
      return { start, size: config.bytes.size, chunks: blobChunks(config.bytes.slice(start)) };
    },
    ...(source.blob ? { blob: source.blob.bind(source) } : {}),
  };
}

/** A small file read whole, with download.ts's retries and resume; nothing known about it beforehand. */
function readWhole(source: FileSource, path: string, signal: AbortSignal | undefined): Promise<Downloaded> {
  return downloadFile(source, path, {
    expected: { size: undefined, sha256: undefined },
    ...(signal ? { signal } : {}),
  });
}

function parsedOrUndefined(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    return undefined; // the load reads config.json next and says what is wrong with it
  }
}
