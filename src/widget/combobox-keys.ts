/**
 * The keyboard behaviour of the search box, as a pure function of (state, key): ARIA 1.2's
 * combobox with a listbox popup (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/). Focus
 * stays in the input; the "active" option is shown through aria-activedescendant.
 */

export interface ComboboxState {
  /** The listbox is shown (aria-expanded="true"). */
  open: boolean;
  /** Index of the active option, -1 for none. */
  active: number;
  /** Options in the listbox now. */
  count: number;
}

/** What the element does after the key, besides taking the new state. */
export type ComboboxAction =
  | 'none'
  | 'activate' // follow the active option (its url, or a `select` event)
  | 'search' // run the query now instead of waiting for the typing pause
  | 'clear'; // empty the input and the results

export interface ComboboxStep {
  state: ComboboxState;
  action: ComboboxAction;
  /** The key was used: preventDefault it (so ↑/↓ do not move the text cursor, Esc does not blur). */
  handled: boolean;
}

export interface KeyContext {
  key: string;
  altKey?: boolean;
  /** The input holds a query (not only spaces). */
  hasText: boolean;
}

/**
 * @example
 * comboboxKey({ open: false, active: -1, count: 3 }, { key: 'ArrowDown', hasText: true });
 * // { state: { open: true, active: 0, count: 3 }, action: 'none', handled: true }
 * comboboxKey({ open: true, active: 0, count: 3 }, { key: 'Escape', hasText: true });
 * // { state: { open: false, active: -1, count: 3 }, action: 'none', handled: true }
 * comboboxKey({ open: false, active: -1, count: 3 }, { key: 'Escape', hasText: true });
 * // { state: { open: false, active: -1, count: 0 }, action: 'clear', handled: true }
 */
export function comboboxKey(state: ComboboxState, { key, altKey = false, hasText }: KeyContext): ComboboxStep {
  const { open, active, count } = state;
  const step = (next: Partial<ComboboxState>, action: ComboboxAction = 'none', handled = true): ComboboxStep => ({
    state: { ...state, ...next },
    action,
    handled,
  });
  const unhandled: ComboboxStep = { state, action: 'none', handled: false };
  switch (key) {
    case 'ArrowDown':
      if (count === 0) return hasText ? step({}, 'search') : unhandled;
      // Alt+↓ opens the list without choosing an option (APG).
      if (!open) return step({ open: true, active: altKey ? -1 : 0 });
      return step({ active: (active + 1) % count });
    case 'ArrowUp':
      if (count === 0) return unhandled;
      if (altKey) return step({ open: false, active: -1 });
      if (!open) return step({ open: true, active: count - 1 });
      return step({ active: active <= 0 ? count - 1 : active - 1 });
    case 'Home':
    case 'End':
      // With the list closed, Home/End move the text cursor as usual.
      if (!open || count === 0) return unhandled;
      return step({ active: key === 'Home' ? 0 : count - 1 });
    case 'Enter':
      if (open && active >= 0 && active < count) return step({}, 'activate');
      return hasText ? step({}, 'search') : unhandled;
    case 'Escape':
      // First Esc closes the list, the next clears the query (APG).
      if (open) return step({ open: false, active: -1 });
      return hasText || count > 0 ? step({ open: false, active: -1, count: 0 }, 'clear') : unhandled;
    case 'Tab':
      // Focus leaves: close, but let the browser move focus.
      return open ? step({ open: false, active: -1 }, 'none', false) : unhandled;
    default:
      return unhandled;
  }
}
