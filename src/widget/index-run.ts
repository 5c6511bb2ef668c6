/**
 * One index() of `<semantic-search>`, in its two steps: the source read (searchable by keyword
 * when it is a compact index with a lexical part), then the model, which loads only when asked
 * for (the plan's trigger, a query, or the button: model-load-plan.ts). The element keeps the
 * UI; a newer index() or the widget leaving the page aborts `signal`, and a step not yet done
 * then rejects with ABORTED (a model loaded meanwhile is given back at once).
 */
import { EmbedError } from '../client/index.ts';
import type { CompactItemIndex } from './compact-item-index.ts';
import { planModelLoad, type ModelLoadPlan } from './model-load-plan.ts';
import { prefersSavingData } from './model-trigger.ts';
import { openSource, prepareIndex, type OpenedSource, type PreparedIndex } from './prepare-index.ts';
import type { WidgetSettings } from './widget-attributes.ts';

/** The first step: the source read, what answers by keyword, and when the model loads. */
export interface OpenedIndex {
  settings: WidgetSettings;
  source: OpenedSource;
  /** The compact index when it has a lexical part; undefined: only the model answers. */
  words: CompactItemIndex | undefined;
  plan: ModelLoadPlan;
}

/**
 * @example
 * const run = new IndexRun(() => readSettings(get), undefined, signal, report);
 * await run.opened;   // { words: CompactItemIndex, plan: { when: 'search', … }, … }: keyword search works
 * run.askModel();     // starts the model load (once, however often called)
 * await run.prepared; // { embedder, index, … }: search by meaning too
 */
export class IndexRun {
  readonly opened: Promise<OpenedIndex>;
  /** Pending until the model is asked for and loaded. */
  readonly prepared: Promise<PreparedIndex>;
  /** `prepared` once it resolved: a query over a lexical part uses it when there, never waits for it. */
  semantic: PreparedIndex | undefined;
  private ask: () => void = () => undefined;

  constructor(
    settings: () => WidgetSettings,
    items: readonly unknown[] | undefined,
    signal: AbortSignal,
    report: (status: string) => void,
  ) {
    const superseded = (): EmbedError =>
      new EmbedError('ABORTED', 'superseded by a newer index(), or the widget left the page');
    this.opened = (async (): Promise<OpenedIndex> => {
      const read = settings();
      const source = await openSource(read, items, signal, report);
      const words = source.compact?.lexical ? source.compact : undefined;
      const plan = planModelLoad({ attribute: read.modelLoad, saveData: prefersSavingData(), lexical: !!words });
      return { settings: read, source, words, plan };
    })();
    const asked = new Promise<void>((resolve, reject) => {
      this.ask = resolve;
      signal.addEventListener('abort', () => reject(superseded()), { once: true });
    });
    asked.catch(() => undefined); // seen through `prepared`, by whoever waits on it
    this.prepared = this.opened.then(async ({ settings: read, source }) => {
      await asked;
      const ready = await prepareIndex(read, source, signal, report);
      if (signal.aborted) {
        ready.lease.release();
        throw superseded();
      }
      this.semantic = ready;
      return ready;
    });
  }

  /** Starts the model load; idempotent. */
  askModel(): void {
    this.ask();
  }
}
