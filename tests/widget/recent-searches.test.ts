/**
 * Recent searches per index: newest first, each once, at most RECENT_LIMIT, removable, and a
 * storage that refuses (blocked, quota, garbage in it) never throws into the search. The
 * Storage here is a Map behind the Web Storage interface: Node has no localStorage (the e2e
 * spec runs the real one); the failing ones throw what browsers throw.
 */
import { describe, expect, it } from 'vitest';
import { RECENT_LIMIT, RecentSearches } from '../../src/widget/recent-searches.ts';

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

describe('RecentSearches', () => {
  it('keeps queries newest first, once each, at most RECENT_LIMIT, per index', () => {
    const storage = memoryStorage();
    const a = new RecentSearches('https://site/a/index.json', () => storage);
    const b = new RecentSearches('https://site/b/index.json', () => storage);
    for (const q of ['one', 'two', ' one ', 'three', 'four', 'five', 'six']) a.add(q);
    expect(a.list()).toEqual(['six', 'five', 'four', 'three', 'one']);
    expect(a.list()).toHaveLength(RECENT_LIMIT);
    expect(b.list()).toEqual([]);
    a.remove('four');
    expect(a.list()).toEqual(['six', 'five', 'three', 'one']);
    a.add('   ');
    expect(a.list()).toHaveLength(4);
  });

  it('never throws when the storage refuses: blocked, full, or holding something else', () => {
    const quota = memoryStorage();
    quota.setItem = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    const full = new RecentSearches('x', () => quota);
    expect(() => full.add('tea')).not.toThrow();
    expect(full.list()).toEqual([]);

    const blocked = new RecentSearches('x', () => {
      throw new DOMException('Access is denied for this document.', 'SecurityError');
    });
    expect(() => blocked.add('tea')).not.toThrow();
    expect(blocked.list()).toEqual([]);
    expect(() => blocked.remove('tea')).not.toThrow();

    const garbage = memoryStorage();
    garbage.setItem('tabembed:recent:x', '{not json');
    expect(new RecentSearches('x', () => garbage).list()).toEqual([]);
    garbage.setItem('tabembed:recent:x', JSON.stringify(['ok', 3, null]));
    expect(new RecentSearches('x', () => garbage).list()).toEqual(['ok']);
  });

  it('reads as empty without any storage', () => {
    expect(new RecentSearches('x', () => undefined).list()).toEqual([]);
  });
});
