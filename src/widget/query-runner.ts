/**
 * The widget's queries: each answered from whatever the index can search now (answer-query.ts),
 * one at a time (a newer query aborts the one before, its embed included), and each answer
 * given once. A query is asked for from several places (the typing pause, Enter, the index
 * becoming searchable by keyword, the model becoming ready); before this file, each of them ran
 * it again, so one query was answered and sent as `results` twice or more (Enter after the
 * results, or the model arriving for a query that already waited for it). Now a request that
 * would give the answer already shown, or already on its way, is dropped (`sameAnswer`).
 */
import { EmbedError } from '../client/index.ts';
import { answerQuery } from './answer-query.ts';
import type { IndexRun } from './index-run.ts';
import type { SemanticSearchResult } from './item-index.ts';
import type { PreparedIndex } from './prepare-index.ts';
import type { WidgetSettings } from './widget-attributes.ts';
import type { WidgetStatus } from './widget-status.ts';

/** A query as answered (or being answered): its text, the index() it ran on, and whether the model took part. */
export interface QueryAnswer {
  text: string;
  run: IndexRun | undefined;
  semantic: boolean;
}

/**
 * Whether `next` would answer as `known` does: the same text on the same index, and the model
 * in it already or still missing. Pure.
 *
 * @example
 * sameAnswer({ text: 'tea', run, semantic: false }, { text: 'tea', run, semantic: false }); // true: Enter again
 * sameAnswer({ text: 'tea', run, semantic: false }, { text: 'tea', run, semantic: true });  // false: the model came
 */
export function sameAnswer(known: QueryAnswer | undefined, next: QueryAnswer): boolean {
  return (
    known !== undefined && known.text === next.text && known.run === next.run && (known.semantic || !next.semantic)
  );
}

export interface QueryHost {
  /** The current index(); undefined before any. */
  run(): IndexRun | undefined;
  settings(): WidgetSettings;
  readonly status: WidgetStatus;
  /** Renders an answer (results for `text`) and sends `results`. */
  answered(text: string, results: SemanticSearchResult[], semantic: boolean): void;
  /** Renders nothing (an empty query). */
  cleared(): void;
  fail(error: unknown): void;
}

export class QueryRunner {
  /**
   * The query being answered. A newer query, a cleared input or leaving the page aborts it, and
   * with it its embed in the worker: a visitor typing on waits for one query, not a queue of them.
   */
  private query: AbortController | undefined;
  private pending: QueryAnswer | undefined;
  private shown: QueryAnswer | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: QueryHost) {}

  /** Runs `text` after `delay` ms unless typing goes on, and only when its answer is not shown or coming already. */
  schedule(text: () => string, delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const query = text().trim();
      const next = { text: query, run: this.host.run(), semantic: this.host.run()?.semantic !== undefined };
      if (query === '' || sameAnswer(this.pending, next) || sameAnswer(this.shown, next)) return;
      void this.run(query).catch(() => undefined);
    }, delay);
  }

  /** Stops a scheduled query and aborts the one being answered; the input was cleared or the widget left. */
  cancel(why: string): void {
    clearTimeout(this.timer);
    this.supersede(why);
    this.shown = undefined;
  }

  /** Answers `query` now (search(), or a schedule that found it needed). */
  async run(query: string): Promise<SemanticSearchResult[]> {
    clearTimeout(this.timer);
    this.supersede('a newer query replaced it');
    const controller = new AbortController();
    this.query = controller;
    const { signal } = controller;
    const text = query.trim();
    const { host } = this;
    if (text === '') {
      this.shown = undefined;
      host.cleared();
      return [];
    }
    const answer: QueryAnswer = { text, run: host.run(), semantic: host.run()?.semantic !== undefined };
    this.pending = answer;
    try {
      const run = await this.latestRun();
      const { words, plan } = await run.opened;
      // A query is an interaction too: it asks for the model under 'search' and 'interaction'.
      const asks = plan.when === 'search' || plan.when === 'interaction';
      let semantic = run.semantic;
      Object.assign(answer, { run, semantic: semantic !== undefined || !words });
      if (!words && !semantic) {
        if (asks) run.askModel();
        else if (plan.when === 'manual') host.status.say('Press the button to load the model and search');
        semantic = await run.prepared;
      }
      host.status.say('Searching…');
      const settings = host.settings();
      const results = await answerQuery(
        {
          words: words && ((limit) => words.words(text, limit)),
          vectors: semantic && ((limit) => rankByMeaning(semantic, settings, text, limit, signal)),
        },
        settings.limit,
      );
      // Replaced while its answer was on its way: the newer query's answer is the one shown.
      signal.throwIfAborted();
      answer.semantic = semantic !== undefined;
      this.shown = answer;
      host.answered(text, results, semantic !== undefined);
      // Keyword results are on screen: now the model, whose results join them when it is ready.
      if (!semantic && asks) run.askModel();
      return results;
    } catch (error) {
      if (!signal.aborted && host.status.state !== 'error') host.fail(error);
      throw error;
    } finally {
      if (this.pending === answer) this.pending = undefined;
    }
  }

  /** Aborts the query being answered, if any; its caller's promise rejects with ABORTED. */
  private supersede(why: string): void {
    this.query?.abort(new EmbedError('ABORTED', `the query was cancelled: ${why}`));
    this.query = undefined;
    this.pending = undefined;
  }

  /**
   * The current index() once its first step is done; when a newer index() replaced the one
   * awaited, waits for that one. Its model, when this query needs it, is awaited as it is: a
   * newer index() meanwhile makes the query fail with ABORTED, like any superseded call.
   */
  private async latestRun(): Promise<IndexRun> {
    for (;;) {
      const run = this.host.run();
      if (!run)
        throw new EmbedError(
          'NOT_LOADED',
          '<semantic-search> has nothing to search yet: set its src attribute, or call index(items)',
        );
      try {
        await run.opened;
        return run;
      } catch (error) {
        if (run === this.host.run()) throw error;
      }
    }
  }
}

async function rankByMeaning(
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
