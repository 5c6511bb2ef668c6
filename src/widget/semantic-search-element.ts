/**
 * `<semantic-search>`: a search box over a site's own texts, computed in the visitor's tab.
 *
 * ```html
 * <semantic-search src="/search/index.json" placeholder="Search the docs" limit="5"></semantic-search>
 * ```
 * Attributes: `src` (a `tabembed index` file, or a corpus: JSON array / JSONL), `model` (Hub id
 * or model base URL; default: the model the index names, else the Hub default), `dtype`,
 * `device`, `dimensions`, `instruction` (query task; default: the index's), `placeholder`,
 * `label` (the input's accessible name), `limit` (results shown, default 5), `model-load` (when the
 * model loads: model-load-plan.ts). An index with a lexical part answers by keyword before the model.
 * Events (bubbling, composed): `keywords-ready`, `ready`, `results`, `select` (cancelable), `error`.
 * Methods: `search(query)`, `index(items?)`. Every widget on a page shares one worker per model.
 */
import { EmbedError } from '../client/index.ts';
import type { CorpusEntry } from '../search/corpus-file.ts';
import { comboboxKey, type ComboboxState } from './combobox-keys.ts';
import { answerQuery } from './answer-query.ts';
import type { SemanticSearchResult } from './item-index.ts';
import { IndexRun } from './index-run.ts';
import { armModelTrigger } from './model-trigger.ts';
import type { PreparedIndex } from './prepare-index.ts';
import { ResultsList } from './results-list.ts';
import type { EmbedderLease } from './shared-embedder.ts';
import {
  INDEX_ATTRIBUTES,
  LOAD_ATTRIBUTES,
  readSettings,
  VIEW_ATTRIBUTES,
  type WidgetSettings,
} from './widget-attributes.ts';
import type {
  SemanticSearchErrorDetail,
  SemanticSearchKeywordsReadyDetail,
  SemanticSearchReadyDetail,
  SemanticSearchResultsDetail,
  SemanticSearchSelectDetail,
  SemanticSearchState,
} from './widget-events.ts';
import { buildWidget, type WidgetParts } from './widget-template.ts';
import { WidgetStatus } from './widget-status.ts';

/** Typing pause before a query is embedded: one query per pause, not one per key. */
const TYPING_PAUSE_MS = 200;

export class SemanticSearchElement extends HTMLElement {
  static readonly observedAttributes = [...INDEX_ATTRIBUTES, ...LOAD_ATTRIBUTES, ...VIEW_ATTRIBUTES];

  private readonly parts: WidgetParts;
  private readonly list: ResultsList;
  private combo: ComboboxState = { open: false, active: -1, count: 0 };
  /** The current index(): its source and, once asked for and loaded, its model. */
  private run: IndexRun | undefined;
  private loading: AbortController | undefined;
  /** This widget's hold on the shared model, from the last index() that succeeded. */
  private lease: EmbedderLease | undefined;
  /** What the last index(items) was given, to index again when the widget comes back to a page. */
  private items: readonly CorpusEntry[] | undefined;
  private generation = 0;
  /**
   * The query being answered. A newer query, a cleared input or leaving the page aborts it, and
   * with it its embed in the worker: a visitor typing on waits for one query, not a queue of them.
   */
  private query: AbortController | undefined;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private reindexQueued = false;
  private readonly status: WidgetStatus;

  constructor() {
    super();
    this.parts = buildWidget(this.attachShadow({ mode: 'open' }));
    this.list = new ResultsList(this.parts, (index) => this.activate(index));
    this.status = new WidgetStatus(
      this.parts,
      typeof this.attachInternals === 'function' ? this.attachInternals() : undefined,
    );
    this.parts.input.addEventListener('input', () => this.onInput());
    this.parts.input.addEventListener('keydown', (event) => this.onKey(event));
    this.parts.input.addEventListener('blur', () => this.setCombo({ open: false, active: -1 }));
  }

  /** 'idle' (no source yet), 'loading', 'ready' or 'error'; also exposed as the CSS custom state `:state(ready)` etc. */
  get state(): SemanticSearchState {
    return this.status.state;
  }

  connectedCallback(): void {
    this.applyView();
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
      this.supersedeQuery('the widget left the page');
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
    this.showResults([]);
    this.status.setState('loading');
    const current = (): boolean => generation === this.generation;
    const report = (line: string): void => {
      if (current()) this.status.say(line);
    };
    const run = new IndexRun(() => readSettings((name) => this.getAttribute(name)), items, signal, report);
    this.run = run;
    run.prepared.then(
      (ready) => {
        if (!current()) return;
        // Take the new hold before letting go of the old: re-indexing on the same model keeps it loaded.
        this.lease?.release();
        this.lease = ready.lease;
        this.parts.button.hidden = true;
        this.status.setState('ready');
        this.status.say(`${ready.index.size} ${ready.index.size === 1 ? 'item' : 'items'} ready to search`);
        this.emit<SemanticSearchReadyDetail>('ready', {
          count: ready.index.size,
          mode: ready.mode,
          model: ready.embedder.info(),
          fingerprint: ready.fingerprint,
        });
        if (this.parts.input.value.trim() !== '') this.scheduleQuery(0);
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
          if (this.parts.input.value.trim() !== '') this.scheduleQuery(0);
        } else if (plan.when === 'manual') {
          this.status.say('Press the button to load the model and search');
        }
        armModelTrigger(plan.when, this.parts, () => run.askModel(), signal);
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
    clearTimeout(this.typingTimer);
    this.parts.input.value = query;
    return this.runQuery(query);
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

  /** Aborts the query being answered, if any; its caller's promise rejects with ABORTED. */
  private supersedeQuery(why: string): void {
    this.query?.abort(new EmbedError('ABORTED', `the query was cancelled: ${why}`));
    this.query = undefined;
  }

  private async runQuery(query: string): Promise<SemanticSearchResult[]> {
    this.supersedeQuery('a newer query replaced it');
    const controller = new AbortController();
    this.query = controller;
    const { signal } = controller;
    const text = query.trim();
    if (text === '') {
      this.showResults([]);
      this.status.say('');
      return [];
    }
    try {
      const run = await this.latestRun();
      const { words, plan } = await run.opened;
      // A query is an interaction too: it asks for the model under 'search' and 'interaction'.
      const asks = plan.when === 'search' || plan.when === 'interaction';
      let semantic = run.semantic;
      if (!words && !semantic) {
        if (asks) run.askModel();
        else if (plan.when === 'manual') this.status.say('Press the button to load the model and search');
        semantic = await run.prepared;
      }
      this.status.say('Searching…');
      const settings = readSettings((name) => this.getAttribute(name));
      const results = await answerQuery(
        {
          words: words && ((limit) => words.words(text, limit)),
          vectors: semantic && ((limit) => this.rankByMeaning(semantic, settings, text, limit, signal)),
        },
        settings.limit,
      );
      // Replaced while its answer was on its way: the newer query's answer is the one shown.
      signal.throwIfAborted();
      if (this.status.state === 'error') this.status.setState('ready'); // a failed query before this one, not a failed index
      this.status.showError(undefined);
      this.showResults(results);
      this.setCombo({ open: results.length > 0 && this.isFocused(), active: -1 });
      const count = `${results.length} ${results.length === 1 ? 'result' : 'results'}`;
      this.status.say(
        results.length === 0 ? 'No results' : semantic ? `${count}, best first` : `${count} by keyword, best first`,
      );
      this.emit<SemanticSearchResultsDetail>('results', { query: text, results });
      // Keyword results are on screen: now the model, whose results join them when it is ready.
      if (!semantic && asks) run.askModel();
      return results;
    } catch (error) {
      if (!signal.aborted && this.status.state !== 'error') this.fail(error);
      throw error;
    }
  }

  private async rankByMeaning(
    ready: PreparedIndex,
    settings: WidgetSettings,
    text: string,
    limit: number,
    signal: AbortSignal,
  ): Promise<SemanticSearchResult[]> {
    const instruction = settings.instruction ?? ready.indexInstruction;
    const vector = await ready.embedder.embedQuery(text, { dimensions: ready.index.dimensions, instruction, signal });
    return ready.index.rank(vector, limit);
  }

  /**
   * The current index() once its first step is done; when a newer index() replaced the one
   * awaited, waits for that one. Its model, when this query needs it, is awaited as it is: a
   * newer index() meanwhile makes the query fail with ABORTED, like any superseded call.
   */
  private async latestRun(): Promise<IndexRun> {
    for (;;) {
      const run = this.run;
      if (!run)
        throw new EmbedError(
          'NOT_LOADED',
          '<semantic-search> has nothing to search yet: set its src attribute, or call index(items)',
        );
      try {
        await run.opened;
        return run;
      } catch (error) {
        if (run === this.run) throw error;
      }
    }
  }

  private onInput(): void {
    if (this.parts.input.value.trim() === '') {
      clearTimeout(this.typingTimer);
      this.supersedeQuery('the input was cleared');
      this.showResults([]);
      this.status.say('');
      return;
    }
    this.scheduleQuery(TYPING_PAUSE_MS);
  }

  private scheduleQuery(delay: number): void {
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => void this.runQuery(this.parts.input.value).catch(() => undefined), delay);
  }

  private onKey(event: KeyboardEvent): void {
    if (event.isComposing) return; // an IME is composing: its keys are not ours
    const step = comboboxKey(this.combo, {
      key: event.key,
      altKey: event.altKey,
      hasText: this.parts.input.value.trim() !== '',
    });
    if (step.handled) event.preventDefault();
    this.setCombo(step.state);
    switch (step.action) {
      case 'activate':
        this.activate(this.combo.active);
        break;
      case 'search':
        this.scheduleQuery(0);
        break;
      case 'clear':
        this.parts.input.value = '';
        this.onInput();
        break;
      case 'none':
        break;
    }
  }

  /** An option chosen (Enter or click): a cancelable `select` event, then its url unless a listener called preventDefault(). */
  private activate(index: number): void {
    const result = this.list.at(index);
    if (!result) return;
    const proceed = this.emit<SemanticSearchSelectDetail>('select', { result }, true);
    this.setCombo({ open: false, active: -1 });
    if (proceed && result.url !== undefined) window.location.assign(new URL(result.url, document.baseURI).href);
  }

  private showResults(results: SemanticSearchResult[]): void {
    this.list.render(results);
    this.setCombo({ count: results.length, active: -1, open: this.combo.open && results.length > 0 });
  }

  private setCombo(next: Partial<ComboboxState>): void {
    this.combo = { ...this.combo, ...next, count: this.list.count };
    this.list.update(this.combo.open, this.combo.active);
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
    const { input } = this.parts;
    input.placeholder = this.getAttribute('placeholder') ?? 'Search…';
    input.setAttribute('aria-label', this.getAttribute('label') ?? 'Search');
  }

  private isFocused(): boolean {
    return this.shadowRoot?.activeElement === this.parts.input;
  }

  private emit<T>(type: string, detail: T, cancelable = false): boolean {
    return this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true, cancelable }));
  }
}
