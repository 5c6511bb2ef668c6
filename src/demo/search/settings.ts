import { DEFAULT_CHUNKING } from '../../search/chunking-options.ts';
import type { IndexPrecision } from '../../protocol/search-data.ts';
import { isRecord } from '../../core/is-record.ts';

/** What the page remembers between visits (localStorage): chunking and the index precision. */
export interface PageSettings {
  chunkTokens: number;
  overlapTokens: number;
  precision: IndexPrecision;
}

const KEY = 'tabembed:search-settings';

/** Unreadable or partial settings fall back to the defaults field by field. */
export function readSettings(storage: Pick<Storage, 'getItem'>): PageSettings {
  const defaults: PageSettings = { ...DEFAULT_CHUNKING, precision: 'float32' };
  let stored: unknown;
  try {
    stored = JSON.parse(storage.getItem(KEY) ?? '{}');
  } catch {
    return defaults;
  }
  if (!isRecord(stored)) return defaults;
  const record = stored;
  const integer = (value: unknown, fallback: number): number => (Number.isInteger(value) ? Number(value) : fallback);
  return {
    chunkTokens: integer(record['chunkTokens'], defaults.chunkTokens),
    overlapTokens: integer(record['overlapTokens'], defaults.overlapTokens),
    precision: record['precision'] === 'int8' ? 'int8' : 'float32',
  };
}

export function saveSettings(storage: Pick<Storage, 'setItem'>, settings: PageSettings): void {
  storage.setItem(KEY, JSON.stringify(settings));
}
