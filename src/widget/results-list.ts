/**
 * The listbox and its ARIA state: role=option rows (results grouped under their page in
 * role=group elements, or the recent searches), ids for aria-activedescendant, aria-selected on
 * the active one, and the input's aria-expanded kept in step. Every text is set with
 * textContent or text nodes (match-marks.ts), never parsed.
 */
import type { ResultMatch, SemanticSearchResult } from './item-index.ts';
import { markedNodes } from './match-marks.ts';
import { groupResults, type ResultRow } from './result-groups.ts';
import { element, type WidgetParts } from './widget-template.ts';

/** Characters of an item's text an option shows (the rest is cut with an ellipsis by CSS too). */
const SNIPPET = 160;

/** How an option says which search found it. */
const MATCH_WORDS: Record<ResultMatch, string> = {
  keyword: 'keyword',
  semantic: 'semantic',
  both: 'keyword + semantic',
};

/** One option: a result row, or a recent search. */
export type ListRow = ResultRow | { kind: 'recent'; query: string };

export interface ListEvents {
  /** An option was clicked. */
  pick(index: number): void;
  /** A recent search's remove mark was clicked. */
  remove(index: number): void;
}

export class ResultsList {
  private rows: ListRow[] = [];

  constructor(
    private readonly parts: Pick<WidgetParts, 'input' | 'listbox'>,
    events: ListEvents,
  ) {
    // mousedown, not click: it fires before the input would lose focus, and preventDefault keeps focus there.
    parts.listbox.addEventListener('mousedown', (event) => event.preventDefault());
    parts.listbox.addEventListener('click', (event) => {
      const target = event.target instanceof Element ? event.target : null;
      const option = target?.closest('[role="option"]');
      const index = option ? Number(option.getAttribute('data-index')) : -1;
      if (index < 0) return;
      if (target?.closest('[part~="remove"]')) events.remove(index);
      else events.pick(index);
    });
  }

  get count(): number {
    return this.rows.length;
  }

  at(index: number): ListRow | undefined {
    return this.rows[index];
  }

  /** Whether the list shows recent searches (not results). */
  get showsRecent(): boolean {
    return this.rows[0]?.kind === 'recent';
  }

  /** Replaces the options with results, grouped by page, the query's words marked (closed; the element opens it). */
  render(results: SemanticSearchResult[], terms: ReadonlySet<string>): void {
    const groups = groupResults(results);
    this.rows = [];
    this.parts.listbox.setAttribute('aria-label', 'Search results');
    this.parts.listbox.replaceChildren(
      ...groups.map((group, g) => {
        const options = group.rows.map((row) => this.resultOption(row, terms));
        if (options.length === 1 && options[0]) return options[0];
        const title = group.rows[0]?.result.title ?? group.page;
        const box = element('div', { part: 'group', role: 'group', 'aria-label': title, id: `group-${g}` });
        box.append(...options);
        return box;
      }),
    );
  }

  /** Replaces the options with the recent searches. */
  renderRecent(queries: readonly string[]): void {
    this.rows = queries.map((query) => ({ kind: 'recent', query }));
    this.parts.listbox.setAttribute('aria-label', 'Recent searches');
    this.parts.listbox.replaceChildren(
      ...queries.map((query, i) => {
        const option = this.option(i, {
          'data-kind': 'recent',
          'aria-description': 'recent search; Delete removes it',
        });
        // Not a button: an option's children are presentational, so a focusable control inside
        // one is hidden from assistive technology (axe: nested-interactive). The Delete key
        // removes the active recent search; this mark does it for the mouse.
        option.append(
          element('span', { part: 'title' }, query),
          element('span', { part: 'remove', 'aria-hidden': 'true' }, '×'),
        );
        return option;
      }),
    );
  }

  /** Shows or hides the list and marks the active option (-1: none). */
  update(open: boolean, active: number): void {
    const { input, listbox } = this.parts;
    const shown = open && this.rows.length > 0;
    listbox.hidden = !shown;
    input.setAttribute('aria-expanded', String(shown));
    const options = Array.from(listbox.querySelectorAll('[role="option"]'));
    options.forEach((option, i) => {
      const selected = shown && i === active;
      option.setAttribute('aria-selected', String(selected));
      option.setAttribute('part', selected ? 'option option-active' : 'option');
    });
    const current = shown ? options[active] : undefined;
    if (current) {
      input.setAttribute('aria-activedescendant', current.id);
      current.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  private resultOption(row: ResultRow, terms: ReadonlySet<string>): HTMLElement {
    const { result } = row;
    const option = this.option(this.rows.length, {
      'data-id': result.id,
      'data-match': result.match,
      'data-kind': row.kind,
      ...(result.url === undefined ? {} : { 'data-url': result.url }),
    });
    this.rows.push(row);
    const title = row.kind === 'section' ? row.heading : result.title;
    if (title) option.append(marked('title', title, terms));
    else if (row.kind === 'section' && result.title) option.append(marked('title', result.title, terms));
    if (row.kind === 'result' && row.heading) option.append(marked('heading', row.heading, terms));
    if (row.excerpt !== '') option.append(marked('text', snippet(row.excerpt), terms));
    option.append(
      element('span', { part: 'score', 'aria-label': `score ${result.score.toFixed(3)}` }, result.score.toFixed(3)),
      element('span', { part: 'match' }, MATCH_WORDS[result.match]),
    );
    return option;
  }

  private option(index: number, attributes: Record<string, string>): HTMLElement {
    return element('div', {
      part: 'option',
      role: 'option',
      id: `option-${index}`,
      'aria-selected': 'false',
      'data-index': String(index),
      ...attributes,
    });
  }
}

function marked(part: string, text: string, terms: ReadonlySet<string>): HTMLElement {
  const span = element('span', { part });
  span.append(...markedNodes(text, terms));
  return span;
}

function snippet(text: string): string {
  return text.length > SNIPPET ? `${text.slice(0, SNIPPET).trimEnd()}…` : text;
}
