import type { SearchResult } from '../../protocol/search-api.ts';
import { makeSnippet } from './snippet.ts';

/**
 * The ranked results: score, source and a snippet with the query's words marked. Each result
 * is focusable; ↓/↑ move between them (and from the query box into them), Escape returns to
 * the query box. Rendering uses textContent only: a user's text is never parsed as HTML.
 */
export class ResultsView {
  constructor(
    private readonly list: HTMLOListElement,
    private readonly queryBox: HTMLInputElement,
  ) {
    list.addEventListener('keydown', (event) => this.onKey(event));
    queryBox.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown' && this.items().length > 0) {
        event.preventDefault();
        this.focus(0);
      }
    });
  }

  show(results: readonly SearchResult[], query: string): void {
    this.list.replaceChildren(...results.map((result, rank) => this.item(result, rank, query)));
  }

  clear(): void {
    this.list.replaceChildren();
  }

  private item(result: SearchResult, rank: number, query: string): HTMLLIElement {
    const li = document.createElement('li');
    li.tabIndex = -1;
    li.dataset['chunkId'] = result.chunkId;
    const head = document.createElement('div');
    head.className = 'result-head';
    const score = document.createElement('span');
    score.className = 'score';
    score.textContent = result.score.toFixed(3);
    score.setAttribute('aria-label', `score ${result.score.toFixed(3)}`);
    const source = document.createElement('span');
    source.className = 'result-source';
    source.textContent = `${result.sourceName} · characters ${result.start}–${result.end}`;
    head.append(score, ' ', source);
    const snippet = makeSnippet(result.text, query);
    const body = document.createElement('p');
    body.className = 'snippet';
    let at = 0;
    if (snippet.cutStart) body.append('…');
    for (const [start, end] of snippet.marks) {
      body.append(snippet.text.slice(at, start));
      const mark = document.createElement('mark');
      mark.textContent = snippet.text.slice(start, end);
      body.append(mark);
      at = end;
    }
    body.append(snippet.text.slice(at));
    if (snippet.cutEnd) body.append('…');
    li.setAttribute('aria-label', `Result ${rank + 1}, score ${result.score.toFixed(3)}, from ${result.sourceName}`);
    li.append(head, body);
    return li;
  }

  private items(): HTMLLIElement[] {
    return Array.from(this.list.children).filter((child): child is HTMLLIElement => child instanceof HTMLLIElement);
  }

  private focus(index: number): void {
    this.items()[index]?.focus();
  }

  private onKey(event: KeyboardEvent): void {
    const items = this.items();
    const current = items.findIndex((item) => item === document.activeElement);
    if (current === -1) return;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        this.focus(Math.min(items.length - 1, current + 1));
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (current === 0) this.queryBox.focus();
        else this.focus(current - 1);
        break;
      case 'Home':
        event.preventDefault();
        this.focus(0);
        break;
      case 'End':
        event.preventDefault();
        this.focus(items.length - 1);
        break;
      case 'Escape':
        event.preventDefault();
        this.queryBox.focus();
        break;
      default:
        break;
    }
  }
}
