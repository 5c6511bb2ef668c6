/**
 * The listbox of results and its ARIA state: role=option children with ids, aria-selected on
 * the active one, and the input's aria-expanded / aria-activedescendant kept in step.
 */
import type { ResultMatch, SemanticSearchResult } from './item-index.ts';
import { element, type WidgetParts } from './widget-template.ts';

/** Characters of an item's text an option shows (the rest is cut with an ellipsis by CSS too). */
const SNIPPET = 160;

/** How an option says which search found it. */
const MATCH_WORDS: Record<ResultMatch, string> = {
  keyword: 'keyword',
  semantic: 'semantic',
  both: 'keyword + semantic',
};

export class ResultsList {
  private results: SemanticSearchResult[] = [];

  constructor(
    private readonly parts: Pick<WidgetParts, 'input' | 'listbox'>,
    onPick: (index: number) => void,
  ) {
    // mousedown, not click: it fires before the input would lose focus, and preventDefault keeps focus there.
    parts.listbox.addEventListener('mousedown', (event) => event.preventDefault());
    parts.listbox.addEventListener('click', (event) => {
      const option = event.target instanceof Element ? event.target.closest('[role="option"]') : null;
      const index = option ? Number(option.getAttribute('data-index')) : -1;
      if (index >= 0) onPick(index);
    });
  }

  get count(): number {
    return this.results.length;
  }

  at(index: number): SemanticSearchResult | undefined {
    return this.results[index];
  }

  /** Replaces the options (closed; the element opens the list when it decides to). */
  render(results: SemanticSearchResult[]): void {
    this.results = results;
    this.parts.listbox.replaceChildren(
      ...results.map((result, i) => {
        const option = element('li', {
          part: 'option',
          role: 'option',
          id: `option-${i}`,
          'aria-selected': 'false',
          'data-index': String(i),
          'data-id': result.id,
          'data-match': result.match,
        });
        if (result.title) option.append(element('span', { part: 'title' }, result.title));
        const snippet = result.text.length > SNIPPET ? `${result.text.slice(0, SNIPPET).trimEnd()}…` : result.text;
        option.append(element('span', { part: 'text' }, snippet));
        option.append(
          element('span', { part: 'score', 'aria-label': `score ${result.score.toFixed(3)}` }, result.score.toFixed(3)),
          element('span', { part: 'match' }, MATCH_WORDS[result.match]),
        );
        return option;
      }),
    );
  }

  /** Shows or hides the list and marks the active option (-1: none). */
  update(open: boolean, active: number): void {
    const { input, listbox } = this.parts;
    const shown = open && this.results.length > 0;
    listbox.hidden = !shown;
    input.setAttribute('aria-expanded', String(shown));
    const options = Array.from(listbox.children);
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
}
