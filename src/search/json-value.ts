/**
 * Reading JSON that came from outside (a user's file, stdin, a fetched index): parse without
 * throwing, and describe a value in an error message without dumping it.
 */

/**
 * @example
 * tryJson('[1]'); // { ok: true, value: [1] }
 * tryJson('{oops'); // { ok: false, reason: "Expected property name or '}' in JSON at position 1 …" }
 */
export function tryJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * @example
 * describeValue(42); // 'number 42'
 * describeValue(undefined); // 'missing'
 * describeValue(['a']); // 'an array'
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `${typeof value} ${String(value)}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}
