import { EmbedError } from '../core/errors.ts';
import type { FileStat } from '../core/file-stat.ts';
import { isRecord } from '../core/is-record.ts';

/**
 * The manifest `tabembed pack-model` writes beside a model it split for a static host
 * (`src/node/pack-model.ts`): every file's size and sha256, so a host without the Hub's listing
 * still gives the loader what it checks each file against as it streams. The packed
 * `config.json` names it (`"tabembed_pack": {"manifest": "tabembed-pack.json"}`), so a folder
 * that was not packed costs no request for a manifest it lacks.
 */
export interface PackManifest {
  format: 'tabembed-pack';
  version: 1;
  /** What wrote it, e.g. `tabembed 0.1.0 pack-model`. */
  tool: string;
  /** The limit every listed file is under, in bytes. */
  maxFileSize: number;
  /** Every file of the packed folder but the manifest itself, in path order. */
  files: PackedFile[];
}

export interface PackedFile {
  /** Relative to the folder, Hub layout: `onnx/model_q4.onnx_data_1`. */
  path: string;
  size: number;
  /** Lower-case hex. */
  sha256: string;
}

export const PACK_MANIFEST = 'tabembed-pack.json';
/** The config.json field that says the folder is packed and where its manifest is. */
export const PACK_CONFIG_KEY = 'tabembed_pack';

/** The manifest a config.json names, or undefined when it names none. */
export function manifestPathOf(config: unknown): string | undefined {
  if (!isRecord(config) || !isRecord(config[PACK_CONFIG_KEY])) return undefined;
  const path = config[PACK_CONFIG_KEY]['manifest'];
  return typeof path === 'string' && path !== '' ? path : undefined;
}

/** @throws EmbedError MODEL_CONFIG_INVALID naming `where` when the text is not such a manifest */
export function parsePackManifest(text: string, where: string): Map<string, FileStat> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new EmbedError('MODEL_CONFIG_INVALID', `${where} is not JSON: repack the model`, { cause });
  }
  if (
    !isRecord(value) ||
    value['format'] !== 'tabembed-pack' ||
    value['version'] !== 1 ||
    !Array.isArray(value['files'])
  )
    throw new EmbedError(
      'MODEL_CONFIG_INVALID',
      `${where} is not a tabembed-pack manifest of version 1 ({"format":"tabembed-pack","version":1,"files":[…]}): repack the model with this version of tabembed`,
    );
  const stats = new Map<string, FileStat>();
  for (const entry of value['files']) {
    const ok =
      isRecord(entry) &&
      typeof entry['path'] === 'string' &&
      Number.isSafeInteger(entry['size']) &&
      typeof entry['sha256'] === 'string' &&
      /^[0-9a-f]{64}$/.test(entry['sha256']);
    if (!ok)
      throw new EmbedError(
        'MODEL_CONFIG_INVALID',
        `${where} lists ${JSON.stringify(entry)}, not a {"path","size","sha256"} entry: repack the model`,
      );
    stats.set(String(entry['path']), { size: Number(entry['size']), sha256: String(entry['sha256']) });
  }
  return stats;
}
