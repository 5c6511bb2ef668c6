import { describe, expect, it } from 'vitest';
import { readSettings, saveSettings } from '../../src/demo/search/settings.ts';

function memoryStorage(initial?: string): Pick<Storage, 'getItem' | 'setItem'> {
  const data = new Map<string, string>();
  if (initial !== undefined) data.set('tabembed:search-settings', initial);
  return { getItem: (key) => data.get(key) ?? null, setItem: (key, value) => void data.set(key, value) };
}

describe('page settings', () => {
  it('start from 256-token chunks with a 32-token overlap and the exact index', () => {
    expect(readSettings(memoryStorage())).toEqual({ chunkTokens: 256, overlapTokens: 32, precision: 'float32' });
  });

  it('come back as saved', () => {
    const storage = memoryStorage();
    saveSettings(storage, { chunkTokens: 128, overlapTokens: 16, precision: 'int8' });
    expect(readSettings(storage)).toEqual({ chunkTokens: 128, overlapTokens: 16, precision: 'int8' });
  });

  it('fall back field by field when what is stored is broken', () => {
    expect(readSettings(memoryStorage('{not json'))).toEqual({
      chunkTokens: 256,
      overlapTokens: 32,
      precision: 'float32',
    });
    expect(readSettings(memoryStorage('{"chunkTokens":"big","overlapTokens":8,"precision":"int4"}'))).toEqual({
      chunkTokens: 256,
      overlapTokens: 8,
      precision: 'float32',
    });
  });
});
