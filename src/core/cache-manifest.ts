import type { FileStat } from './file-stat.ts';
import { isRecord } from './is-record.ts';

/**
 * What the cache knows about one model, kept as `manifest.json` beside its files. A file is
 * served only when `complete` lists it; bytes on disk without that entry are at most a partial
 * download to resume, so a crash mid-write can never leave a file that looks whole.
 */
export interface CacheManifest {
  version: 1;
  key: string;
  id: string;
  revision: string | undefined;
  /** What the source said about each path (null: absent), so a cached load makes no request. */
  stats: Record<string, FileStat | null>;
  complete: Record<string, { size: number; sha256: string; storedAt: number }>;
  /** Downloads under way or interrupted, with the file they were fetching. */
  partial: Record<string, FileStat>;
}

export function emptyManifest(key: string, id: string, revision: string | undefined): CacheManifest {
  return { version: 1, key, id, revision, stats: {}, complete: {}, partial: {} };
}

export function parseManifest(text: string): CacheManifest | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (!isRecord(value) || value['version'] !== 1 || typeof value['key'] !== 'string') return undefined;
    if (!isRecord(value['complete'])) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- the fields the cache reads were checked above; the rest it treats as optional
    return { stats: {}, partial: {}, ...value } as CacheManifest;
  } catch {
    return undefined;
  }
}

/** OPFS names: one folder per model, one file per repo path, both reversible. */
export const CACHE_ROOT = 'tabembed-models-v1';
export const MANIFEST = 'manifest.json';
export const entryName = (pathOrKey: string): string => encodeURIComponent(pathOrKey);
