/**
 * The box the visitor types in and the list under it: the combobox's keys (combobox-keys.ts),
 * the options (results-list.ts), the recent searches shown when the box is focused and empty
 * (recent-searches.ts), and what choosing an option does. The element owns the queries; this
 * owns what the visitor sees and presses.
 */
import { comboboxKey, type ComboboxState } from './combobox-keys.ts';
import type { SemanticSearchResult } from './item-index.ts';
import { queryTerms } from './match-marks.ts';
import type { RecentSearches } from './recent-searches.ts';
import { ResultsList } from './results-list.ts';
import type { WidgetParts } from './widget-template.ts';

/** Typing pause before a query is embedded: one query per pause, not one per key. */
export const TYPING_PAUSE_MS = 200;

export interface SearchBoxHost {
  /** Run the box's query after `delay` ms (the runner drops it when its answer is shown already). */
  schedule(delay: number): void;
  /** The box was emptied: stop the query and say nothing. */
  cleared(): void;
  /** A result was chosen: sends the cancelable `select`; true when the page let it proceed. */
  select(result: SemanticSearchResult): boolean;
  /** Where recent searches are kept; undefined: `recent="off"`, or no src to key them by. */
  recent(): RecentSearches | undefined;
  /** A chosen result leaves the page's search (the modal closes). */
  done(): void;
  /** Esc is the dialog's (mode="modal": it closes it at once, as DocSearch's does). */
  escapeCloses(): boolean;
}

export class SearchBox {
  private combo: ComboboxState = { open: false, active: -1, count: 0 };
  private readonly list: ResultsList;

  constructor(
    private readonly parts: WidgetParts,
    private readonly host: SearchBoxHost,
  ) {
    this.list = new ResultsList(parts, {
      pick: (index) => this.activate(index),
      remove: (index) => this.removeRecent(index),
    });
    const { input } = parts;
    input.addEventListener('input', () => this.onInput());
    input.addEventListener('keydown', (event) => this.onKey(event));
    input.addEventListener('focus', () => this.showRecent());
    input.addEventListener('blur', () => this.setCombo({ open: false, active: -1 }));
  }

  get text(): string {
    return this.parts.input.value;
  }

  set text(value: string) {
    this.parts.input.value = value;
  }

  /** Renders `results` for `query` and opens the list while the box has focus. */
  show(query: string, results: SemanticSearchResult[]): void {
    this.list.render(results, queryTerms(query));
    this.setCombo({ active: -1, open: results.length > 0 && this.focused() });
  }

  /** Empties the list (a new index, a cleared query). */
  clear(): void {
    this.list.render([], new Set());
    this.setCombo({ active: -1, open: false });
  }

  focus(): void {
    this.parts.input.focus();
  }

  private onInput(): void {
    if (this.text.trim() === '') {
      this.host.cleared();
      this.clear();
      this.showRecent();
      return;
    }
    this.host.schedule(TYPING_PAUSE_MS);
  }

  /** The recent searches, when the box is focused and empty and there are any. */
  private showRecent(): void {
    const queries = this.text.trim() === '' ? (this.host.recent()?.list() ?? []) : [];
    if (queries.length === 0) {
      if (this.list.showsRecent) this.clear();
      return;
    }
    this.list.renderRecent(queries);
    this.setCombo({ active: -1, open: this.focused() });
  }

  private onKey(event: KeyboardEvent): void {
    if (event.isComposing) return; // an IME is composing: its keys are not ours
    if (event.key === 'Escape' && this.host.escapeCloses()) return; // the dialog's cancel closes it
    if (event.key === 'Delete' && this.list.showsRecent && this.combo.open && this.combo.active >= 0) {
      event.preventDefault();
      this.removeRecent(this.combo.active);
      return;
    }
    const step = comboboxKey(this.combo, { key: event.key, altKey: event.altKey, hasText: this.text.trim() !== '' });
    if (step.handled) event.preventDefault();
    this.setCombo(step.state);
    switch (step.action) {
      case 'activate':
        this.activate(this.combo.active);
        break;
      case 'search':
        this.host.schedule(0);
        break;
      case 'clear':
        this.text = '';
        this.onInput();
        break;
      case 'none':
        break;
    }
  }

  /** An option chosen (Enter or click): a recent search runs again; a result sends `select`, then goes to its url unless prevented. */
  private activate(index: number): void {
    const row = this.list.at(index);
    if (!row) return;
    if (row.kind === 'recent') {
      this.text = row.query;
      this.host.schedule(0);
      return;
    }
    // Kept when a result is chosen, as DocSearch keeps them: the searches that led somewhere.
    this.host.recent()?.add(this.text);
    const proceed = this.host.select(row.result);
    this.setCombo({ open: false, active: -1 });
    if (!proceed) return;
    this.host.done();
    if (row.result.url !== undefined) window.location.assign(new URL(row.result.url, document.baseURI).href);
  }

  private removeRecent(index: number): void {
    const row = this.list.at(index);
    if (row?.kind !== 'recent') return;
    this.host.recent()?.remove(row.query);
    const left = this.host.recent()?.list() ?? [];
    if (left.length === 0) {
      this.clear();
      return;
    }
    this.list.renderRecent(left);
    this.setCombo({ open: true, active: Math.min(index, left.length - 1) });
  }

  private setCombo(next: Partial<ComboboxState>): void {
    this.combo = { ...this.combo, ...next, count: this.list.count };
    this.list.update(this.combo.open, this.combo.active);
  }

  private focused(): boolean {
    const root = this.parts.input.getRootNode();
    return (root instanceof ShadowRoot || root instanceof Document) && root.activeElement === this.parts.input;
  }
}
