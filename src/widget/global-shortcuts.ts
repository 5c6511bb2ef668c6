/**
 * The page-wide keys that bring the search up, as DocSearch and Pagefind users expect: Ctrl+K
 * (⌘K on a Mac) anywhere, and `/` when the visitor is not typing somewhere else (there `/` is a
 * character, so it is left alone). Pure decision, plus the listener that acts on it.
 */

export interface ShortcutKey {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  /** The visitor is typing in an input, textarea, select or editable element. */
  typing: boolean;
}

/**
 * @example
 * isSearchShortcut({ key: 'k', ctrlKey: true, metaKey: false, altKey: false, shiftKey: false, typing: true });  // true
 * isSearchShortcut({ key: '/', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, typing: true }); // false
 */
export function isSearchShortcut({ key, ctrlKey, metaKey, altKey, shiftKey, typing }: ShortcutKey): boolean {
  if (altKey) return false;
  if (key.toLowerCase() === 'k' && (ctrlKey || metaKey) && !shiftKey) return true;
  return key === '/' && !ctrlKey && !metaKey && !typing;
}

/** Whether keys typed at `target` are text: a text field, a select, or editable content. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  // Inside a shadow root (another widget's input), the event's target is its host: look inside.
  const inner = target.shadowRoot?.activeElement;
  if (inner) return isTypingTarget(inner);
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement)
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(target.type);
  return target instanceof HTMLElement && target.isContentEditable;
}

/** Calls `open` on the shortcut (and keeps the browser from acting on it: Ctrl+K is its own search bar's key). */
export function listenForShortcuts(open: () => void, signal: AbortSignal): void {
  document.addEventListener(
    'keydown',
    (event) => {
      if (event.defaultPrevented || event.isComposing) return;
      const key = {
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        shiftKey: event.shiftKey,
        typing: isTypingTarget(event.target),
      };
      if (!isSearchShortcut(key)) return;
      event.preventDefault();
      open();
    },
    { signal },
  );
}
