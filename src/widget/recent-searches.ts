/**
 * The visitor's recent searches for one index, in localStorage under the index's address, kept
 * when a result is chosen (as DocSearch keeps them) and shown when the box is focused and
 * empty. Storage is a convenience: where it is missing, full or refused (private windows,
 * storage blocked, quota) every call here quietly does nothing, and search works as before.
 */

/** Queries kept per index, newest first. */
export const RECENT_LIMIT = 5;
const PREFIX = 'tabembed:recent:';

export class RecentSearches {
  constructor(
    /** The index's absolute URL (or another stable name of what is searched). */
    private readonly key: string,
    private readonly storage: () => Storage | undefined = defaultStorage,
  ) {}

  /** Newest first; [] when nothing is stored or the storage cannot be read. */
  list(): string[] {
    try {
      const parsed: unknown = JSON.parse(this.storage()?.getItem(PREFIX + this.key) ?? '[]');
      return Array.isArray(parsed)
        ? parsed.filter((q): q is string => typeof q === 'string').slice(0, RECENT_LIMIT)
        : [];
    } catch {
      return [];
    }
  }

  /** Puts `query` first (once), keeping at most RECENT_LIMIT. */
  add(query: string): void {
    const text = query.trim();
    if (text === '') return;
    this.write([text, ...this.list().filter((q) => q !== text)].slice(0, RECENT_LIMIT));
  }

  remove(query: string): void {
    this.write(this.list().filter((q) => q !== query));
  }

  private write(queries: string[]): void {
    try {
      const storage = this.storage();
      if (queries.length === 0) storage?.removeItem(PREFIX + this.key);
      else storage?.setItem(PREFIX + this.key, JSON.stringify(queries));
    } catch {
      // Quota exceeded or storage refused: the list is simply not kept.
    }
  }
}

/** `localStorage`, or undefined where reading the property itself throws (storage blocked for the site). */
function defaultStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
