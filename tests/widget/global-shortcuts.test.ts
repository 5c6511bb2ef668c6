/**
 * The keys that bring the search up: Ctrl+K and ⌘K anywhere, `/` only when the visitor is not
 * typing in a field (there it is a character).
 */
import { describe, expect, it } from 'vitest';
import { isSearchShortcut, type ShortcutKey } from '../../src/widget/global-shortcuts.ts';

const key = (k: string, more: Partial<ShortcutKey> = {}): ShortcutKey => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  typing: false,
  ...more,
});

describe('isSearchShortcut', () => {
  it('opens on Ctrl+K and ⌘K, also while typing in a field, and on either case of K', () => {
    expect(isSearchShortcut(key('k', { ctrlKey: true }))).toBe(true);
    expect(isSearchShortcut(key('k', { metaKey: true, typing: true }))).toBe(true);
    expect(isSearchShortcut(key('K', { ctrlKey: true }))).toBe(true);
  });

  it('opens on / outside fields only', () => {
    expect(isSearchShortcut(key('/'))).toBe(true);
    expect(isSearchShortcut(key('/', { typing: true }))).toBe(false);
  });

  it('leaves other keys and combinations to the page', () => {
    expect(isSearchShortcut(key('k'))).toBe(false);
    expect(isSearchShortcut(key('k', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isSearchShortcut(key('k', { ctrlKey: true, altKey: true }))).toBe(false);
    expect(isSearchShortcut(key('/', { ctrlKey: true }))).toBe(false);
    expect(isSearchShortcut(key('?'))).toBe(false);
  });
});
