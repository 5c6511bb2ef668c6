/**
 * What `<semantic-search>` says about itself: its state (also the CSS custom state `:state(ready)`
 * etc., where the browser has ElementInternals.states), the polite status line, and the error box.
 */
import type { SemanticSearchErrorDetail, SemanticSearchState } from './widget-events.ts';
import { element, type WidgetParts } from './widget-template.ts';

export class WidgetStatus {
  private current: SemanticSearchState = 'idle';

  constructor(
    private readonly parts: Pick<WidgetParts, 'status' | 'error'>,
    private readonly internals: ElementInternals | undefined,
  ) {}

  get state(): SemanticSearchState {
    return this.current;
  }

  setState(state: SemanticSearchState): void {
    this.current = state;
    const states = this.internals?.states;
    if (!states) return;
    for (const s of ['idle', 'loading', 'ready', 'error'] as const) states.delete(s);
    states.add(state);
  }

  /** The status line; left alone when it already says this (a live region re-announces every change). */
  say(text: string): void {
    if (this.parts.status.textContent !== text) this.parts.status.textContent = text;
  }

  showError(error: SemanticSearchErrorDetail | undefined): void {
    if (!error) {
      this.parts.error.replaceChildren();
      return;
    }
    this.parts.error.replaceChildren(
      element('span', { part: 'error-code' }, error.code),
      element('span', { part: 'error-message' }, error.message),
    );
  }
}
