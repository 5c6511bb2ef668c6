/** The search box's keyboard rules (ARIA APG combobox with a listbox popup), as plain data. */
import { describe, expect, it } from 'vitest';
import { comboboxKey, type ComboboxState } from '../../src/widget/combobox-keys.ts';

const closed: ComboboxState = { open: false, active: -1, count: 3 };
const open = (active: number): ComboboxState => ({ open: true, active, count: 3 });
const press = (state: ComboboxState, key: string, extra: { altKey?: boolean; hasText?: boolean } = {}) =>
  comboboxKey(state, { key, hasText: true, ...extra });

describe('combobox keys', () => {
  it('↓ opens a closed list on the first option, then moves down and wraps to the top', () => {
    expect(press(closed, 'ArrowDown')).toEqual({ state: open(0), action: 'none', handled: true });
    expect(press(open(0), 'ArrowDown').state.active).toBe(1);
    expect(press(open(2), 'ArrowDown').state.active).toBe(0);
    expect(press({ ...open(-1) }, 'ArrowDown').state.active).toBe(0);
  });

  it('↑ opens a closed list on the last option, then moves up and wraps to the bottom', () => {
    expect(press(closed, 'ArrowUp')).toEqual({ state: open(2), action: 'none', handled: true });
    expect(press(open(2), 'ArrowUp').state.active).toBe(1);
    expect(press(open(0), 'ArrowUp').state.active).toBe(2);
    expect(press(open(-1), 'ArrowUp').state.active).toBe(2);
  });

  it('Alt+↓ opens without choosing an option; Alt+↑ closes', () => {
    expect(press(closed, 'ArrowDown', { altKey: true }).state).toEqual(open(-1));
    expect(press(open(1), 'ArrowUp', { altKey: true }).state).toEqual(closed);
  });

  it('Home and End go to the first and last option while the list is open, and are left to the text cursor otherwise', () => {
    expect(press(open(1), 'Home')).toEqual({ state: open(0), action: 'none', handled: true });
    expect(press(open(1), 'End')).toEqual({ state: open(2), action: 'none', handled: true });
    expect(press(closed, 'Home')).toEqual({ state: closed, action: 'none', handled: false });
    expect(press(closed, 'End').handled).toBe(false);
  });

  it('Enter activates the active option, else runs the query now', () => {
    expect(press(open(1), 'Enter')).toEqual({ state: open(1), action: 'activate', handled: true });
    expect(press(open(-1), 'Enter')).toEqual({ state: open(-1), action: 'search', handled: true });
    expect(press(closed, 'Enter').action).toBe('search');
    expect(press({ open: false, active: -1, count: 0 }, 'Enter', { hasText: false })).toEqual({
      state: { open: false, active: -1, count: 0 },
      action: 'none',
      handled: false,
    });
  });

  it('Esc closes an open list first, then clears the query, then is left alone', () => {
    const first = press(open(1), 'Escape');
    expect(first).toEqual({ state: closed, action: 'none', handled: true });
    const second = press(first.state, 'Escape');
    expect(second).toEqual({ state: { open: false, active: -1, count: 0 }, action: 'clear', handled: true });
    expect(press(second.state, 'Escape', { hasText: false }).handled).toBe(false);
  });

  it('↓ with no results yet runs the query; with no text it does nothing', () => {
    const empty: ComboboxState = { open: false, active: -1, count: 0 };
    expect(press(empty, 'ArrowDown')).toEqual({ state: empty, action: 'search', handled: true });
    expect(press(empty, 'ArrowDown', { hasText: false }).handled).toBe(false);
    expect(press(empty, 'ArrowUp').handled).toBe(false);
  });

  it("Tab closes the list but lets focus move; other keys are the input's", () => {
    expect(press(open(2), 'Tab')).toEqual({ state: closed, action: 'none', handled: false });
    expect(press(open(2), 'a')).toEqual({ state: open(2), action: 'none', handled: false });
    expect(press(open(2), 'ArrowLeft').handled).toBe(false);
  });
});
