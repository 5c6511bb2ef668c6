/**
 * `<semantic-search>`: a search box over a site's own texts, computed in the visitor's tab.
 *
 * ```html
 * <semantic-search src="/search/index.json" placeholder="Search the docs" limit="5" mode="modal"></semantic-search>
 * ```
 * Attributes: widget-attributes.ts (README lists them). An index with a lexical part answers by
 * keyword before the model. Events (bubbling, composed): `keywords-ready`, `ready`, `results`,
 * `select` (cancelable), `error` (widget-events.ts). Methods: `search(query)`, `index(items?)`,
 * `open()`. Every widget on a page shares one worker per model. The parts: the index's life
 * (index-run.ts), its queries (query-runner.ts), the box and its list (search-box.ts), the
 * dialog (modal-mode.ts), the status (widget-status.ts), the model's trigger (model-trigger.ts).
 */
import { EmbedError } from '../client/index.ts';
import type { CorpusEntry } from '../search/corpus-file.ts';
import { listenForShortcuts } from './global-shortcuts.ts';
import type { SemanticSearchResult } from './item-index.ts';
import { IndexRun } from './index-run.ts';
import { ModalMode } from './modal-mode.ts';
import { armModelTrigger } from './model-trigger.ts';
import { QueryRunner } from './query-runner.ts';
import { RecentSearches } from './recent-searches.ts';
import { SearchBox } from './search-box.ts';
import type { EmbedderLease } from './shared-embedder.ts';
import { INDEX_ATTRIBUTES, LOAD_ATTRIBUTES, readSettings, VIEW_ATTRIBUTES } from './widget-attributes.ts';
import type {
  SemanticSearchDownloadSizeDetail,
  SemanticSearchErrorDetail,
  SemanticSearchKeywordsReadyDetail,
  SemanticSearchReadyDetail,
  SemanticSearchResultsDetail,
  SemanticSearchSelectDetail,
  SemanticSearchState,
} from './widget-events.ts';
import { buildWidget, type WidgetParts } from './widget-template.ts';
import { WidgetStatus } from './widget-status.ts';
import { showDownloadSize } from './download-size.ts';

export class SemanticSearchElement extends HTMLElement {
  static readonly observedAttributes = [...INDEX_ATTRIBUTES, ...LOAD_ATTRIBUTES, ...VIEW_ATTRIBUTES];

  private readonly parts: WidgetParts;
  private readonly box: SearchBox;
  private readonly modal: ModalMode;
  private readonly queries: QueryRunner;
  private readonly status: WidgetStatus;
  /** The current index(): its source and, once asked for and loaded, its model. */
  private run: IndexRun | undefined;
  private loading: AbortController | undefined;
  /** This widget's hold on the shared model, from the last index() that succeeded. */
  private lease: EmbedderLease | undefined;
  /** What the last index(items) was given, to index again when the widget comes back to a page. */
  private items: readonly CorpusEntry[] | undefined;
  private generation = 0;
  private reindexQueued = false;
  /** The page-wide shortcut's listener, while the widget is on the page. */
  private shortcuts: AbortController | undefined;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    this.parts = buildWidget(root);
    this.status = new WidgetStatus(
      this.parts,
      typeof this.attachInternals === 'function' ? this.attachInternals() : undefined,
    );
    this.modal = new ModalMode(this.parts, root, () => this.box.clear());
    this.box = new SearchBox(this.parts, {
      schedule: (delay) => this.queries.schedule(() => this.box.text, delay),
      cleared: () => {
        this.queries.cancel('the input was cleared');
        this.status.say('');
      },
      select: (result) => this.emit<SemanticSearchSelectDetail>('select', { result }, true),
      recent: () => this.recentSearches(),
      done: () => this.modal.close(),
      escapeCloses: () => this.modal.current === 'modal',
    });
    this.queries = new QueryRunner({
      run: () => this.run,
      settings: () => readSettings((name) => this.getAttribute(name)),
      status: this.status,
      answered: (text, results, semantic) => this.answered(text, results, semantic),
      cleared: () => {
        this.box.clear();
        this.status.say('');
      },
      fail: (error) => this.fail(error),
    });
  }

  /** 'idle' (no source yet), 'loading', 'ready' or 'error'; also exposed as the CSS custom state `:state(ready)` etc. */
  get state(): SemanticSearchState {
    return this.status.state;
  }

  connectedCallback(): void {
    this.applyView();
    this.shortcuts?.abort();
    this.shortcuts = new AbortController();
    // One search per page answers the shortcut: the first widget in the document.
    listenForShortcuts(() => {
      if (document.querySelector(this.localName) === this) this.open();
    }, this.shortcuts.signal);
    if (!this.run && (this.items || this.hasAttribute('src'))) this.queueReindex();
  }

  /**
   * Leaving the page gives the model back (the last widget to go lets it be disposed, see
   * shared-embedder.ts). Checked a microtask later, so a widget moved within the page, which
   * disconnects and connects in one go, keeps its index.
   */
  disconnectedCallback(): void {
    queueMicrotask(() => {
      if (this.isConnected) return;
      this.generation++;
      this.loading?.abort();
      this.shortcuts?.abort();
      this.queries.cancel('the widget left the page');
      this.lease?.release();
      this.lease = undefined;
      this.run = undefined;
      this.status.setState('idle');
    });
  }

  attributeChangedCallback(name: string, previous: string | null, next: string | null): void {
    if (previous === next) return;
    if ((INDEX_ATTRIBUTES as readonly string[]).includes(name) || name === 'model-load') {
      // A new src replaces what index(items) was given; another model re-embeds the same items.
      if (name === 'src') this.items = undefined;
      if (this.isConnected) this.queueReindex();
    } else {
      this.applyView();
    }
  }

  /** Brings the search up, as Ctrl+K, ⌘K or `/` does: opens the dialog (`mode="modal"`) or focuses the box. */
  open(): void {
    this.modal.open();
  }

  /**
   * (Re)builds the index: from `items` when given (a corpus: strings or `{ id?, text, url?, title? }`,
   * embedded in this tab), else from `src`. Resolves when ready; rejects with the EmbedError that
   * is also shown and sent as an `error` event (ABORTED, silently, when a newer index() replaced it).
   *
   * @example
   * await el.index([{ id: 'a', text: 'Reset your password', url: '/help/reset' }, 'Opening hours']);
   */
  index(items?: readonly CorpusEntry[]): Promise<void> {
    this.items = items;
    const generation = ++this.generation;
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    const { signal } = controller;
    this.status.showError(undefined);
    this.box.clear();
    this.status.setState('loading');
    const current = (): boolean => generation === this.generation;
    const report = (line: string): void => {
      if (current()) this.status.say(line);
    };
    const run = new IndexRun(() => readSettings((name) => this.getAttribute(name)), items, signal, report);
    this.run = run;
    const searchAgain = (): void => {
      if (this.box.text.trim() !== '') this.queries.schedule(() => this.box.text, 0);
    };
    run.prepared.then(
      (ready) => {
        if (!current()) return;
        // Take the new hold before letting go of the old: re-indexing on the same model keeps it loaded.
        this.lease?.release();
        this.lease = ready.lease;
        this.parts.button.hidden = true;
        this.parts.note.hidden = true; // the size it gave is downloaded now
        this.status.setState('ready');
        this.status.say(`${ready.index.size} ${ready.index.size === 1 ? 'item' : 'items'} ready to search`);
        this.emit<SemanticSearchReadyDetail>('ready', {
          count: ready.index.size,
          mode: ready.mode,
          model: ready.embedder.info(),
          fingerprint: ready.fingerprint,
        });
        searchAgain();
      },
      (error: unknown) => {
        if (!current()) return;
        // A model that failed to load leaves keyword search working: the error is shown beside it.
        run.opened.then(
          (opened) => this.fail(error, opened.words !== undefined),
          () => this.fail(error),
        );
      },
    );
    run.opened.then(
      (opened) => {
        if (!current()) return;
        const { words, plan } = opened;
        if (words) {
          this.status.setState('ready');
          this.status.say(`${words.size} ${words.size === 1 ? 'item' : 'items'} ready to search by keyword`);
          this.emit<SemanticSearchKeywordsReadyDetail>('keywords-ready', {
            count: words.size,
            modelLoad: plan.when,
            reason: plan.reason,
          });
          searchAgain();
        } else if (plan.when === 'manual') {
          this.status.say('Press the button to load the model and search');
        }
        armModelTrigger(plan.when, this.parts, () => run.askModel(), signal);
        showDownloadSize(opened, this.parts, signal, (size) =>
          this.emit<SemanticSearchDownloadSizeDetail>('download-size', size),
        );
      },
      () => undefined, // the same error rejects `prepared`, which reports it
    );
    // Resolves when the widget can answer: by keyword when the index has a lexical part, else by the model.
    return run.opened.then((opened) => (opened.words ? undefined : run.prepared.then(() => undefined)));
  }

  /**
   * Runs a query as if the visitor had typed it: fills the input, renders the ranked results (the
   * list opens while the input has focus) and fires `results`. Waits for the index when it is
   * still loading. Over an index with a lexical part it answers by keyword until the model is
   * loaded (never waiting for it), then fuses both; without one it waits for the model.
   *
   * @example
   * await el.search('how do I reset my password');
   * // [{ id: 'reset', text: '…', url: '/help/reset', title: 'Passwords', score: 0.71, match: 'semantic' }, …] best first, at most `limit`
   * // (with a lexical part: match 'keyword' before the model, then 'keyword' | 'semantic' | 'both' and RRF scores)
   * // rejects with EmbedError: the index's error (SOURCE_INVALID, INDEX_MISMATCH, …), NOT_LOADED (no src),
   * // ABORTED (a newer query, a cleared input or the widget leaving the page replaced it; its embed is cancelled)
   */
  search(query: string): Promise<SemanticSearchResult[]> {
    this.box.text = query;
    return this.queries.run(query);
  }

  private queueReindex(): void {
    // Several attributes set in one task (src and model together) give one reindex, after all of them.
    if (this.reindexQueued) return;
    this.reindexQueued = true;
    queueMicrotask(() => {
      this.reindexQueued = false;
      void this.index(this.items).catch(() => undefined);
    });
  }

  /** One query's answer on screen and sent as `results` (query-runner.ts sends each answer once). */
  private answered(text: string, results: SemanticSearchResult[], semantic: boolean): void {
    if (this.status.state === 'error') this.status.setState('ready'); // a failed query before this one, not a failed index
    this.status.showError(undefined);
    this.box.show(text, results);
    const count = `${results.length} ${results.length === 1 ? 'result' : 'results'}`;
    this.status.say(
      results.length === 0 ? 'No results' : semantic ? `${count}, best first` : `${count} by keyword, best first`,
    );
    this.emit<SemanticSearchResultsDetail>('results', { query: text, results });
  }

  /** Recent searches of this index (keyed by its absolute src); undefined under `recent="off"` or without a src. */
  private recentSearches(): RecentSearches | undefined {
    const src = this.getAttribute('src')?.trim();
    if (!src || this.getAttribute('recent')?.trim() === 'off') return undefined;
    return new RecentSearches(new URL(src, document.baseURI).href);
  }

  /** Shows and sends the error; `keywordsWork`: only the model failed, so the widget stays ready for keyword search. */
  private fail(error: unknown, keywordsWork = false): void {
    this.status.setState(keywordsWork ? 'ready' : 'error');
    const code = error instanceof EmbedError ? error.code : error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    this.status.showError({ code, message });
    this.status.say(keywordsWork ? 'Searching by keyword only: the model did not load' : 'Search is unavailable');
    this.emit<SemanticSearchErrorDetail>('error', { code, message });
  }

  private applyView(): void {
    const { input, opener } = this.parts;
    const label = this.getAttribute('label') ?? 'Search';
    input.placeholder = this.getAttribute('placeholder') ?? 'Search…';
    input.setAttribute('aria-label', label);
    const openLabel = opener.querySelector('[part~="open-label"]');
    if (openLabel) openLabel.textContent = label;
    this.parts.dialog.setAttribute('aria-label', label);
    try {
      this.modal.set(readSettings((name) => this.getAttribute(name)).mode);
    } catch (error) {
      this.fail(error);
    }
  }

  private emit<T>(type: string, detail: T, cancelable = false): boolean {
    return this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true, cancelable }));
  }
}
