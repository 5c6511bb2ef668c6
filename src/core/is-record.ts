/**
 * Whether parsed JSON (or any unknown value) is a plain object whose fields can be read by name:
 * the guard every reader of outside data starts with, instead of asserting the shape it hopes for.
 *
 * @example isRecord(JSON.parse('{"a":1}')) // true; isRecord([1]) // false; isRecord(null) // false
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
