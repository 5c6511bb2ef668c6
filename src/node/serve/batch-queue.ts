import { EventEmitter } from 'node:events';
import { EmbedError } from '../../core/errors.ts';
import { buildPrompt, type TextKind } from '../../core/prompt.ts';
import type { EmbedBatchResult, EmbedEngine } from '../../engine/embed-engine.ts';
import { OpenAIRequestError } from '../../protocol/openai/openai-error.ts';

/** The part of an engine the server uses: a real `EmbedEngine`, or one a test holds at its door. */
export type ServeEngine = Pick<EmbedEngine, 'embed' | 'countTokens' | 'info'>;

/** What one HTTP request asks the engine for. Requests merge only when all of this but `texts` is equal. */
export interface EmbedJob {
  texts: string[];
  dimensions: number | undefined;
  kind: TextKind;
  instruction: string | undefined;
}

/** One request's share of an engine call: its vectors (views into the call's buffer) and tokens, in its order. */
export interface JobResult {
  vectors: Float32Array[];
  tokens: number[];
}

export interface BatchQueueOptions {
  /** Merge waiting requests into one engine call (false: one request per call, for the benchmark). */
  batching: boolean;
  /** Texts that may wait; a request that would make more wait is refused with 429. */
  maxQueue: number;
}

/** What the queue tells the server's metrics and the tests: events, never timing. */
export interface BatchQueueEvents {
  /** A request joined the queue; `waiting` texts now wait. */
  queued: [waiting: number];
  /** A waiting request's client went away: its texts were taken out, never embedded. */
  dropped: [texts: number];
  /** One engine call finished (or failed) for `requests` requests, `texts` texts, `tokens` tokens. */
  batch: [requests: number, texts: number, tokens: number];
}

interface Waiting extends EmbedJob {
  /** Tokens each text feeds the model (prompt and final `<|endoftext|>`), as the engine will count them. */
  lengths: number[];
  key: string;
  signal: AbortSignal;
  resolve(result: JobResult): void;
  reject(error: unknown): void;
}

/**
 * Dynamic batching: requests that arrive while the engine is busy wait here, and when it is free
 * the oldest one and every later one that fits with it (same dimensions, kind and instruction;
 * rows × longest under the engine's token budget, the planner's own measure) go in one engine
 * call, so many small requests share one session run. One engine call runs at a time, so the
 * queue, not the session lock, is where requests wait, and a request whose client is gone can
 * still be taken out before it costs anything.
 */
export class BatchQueue extends EventEmitter<BatchQueueEvents> {
  private readonly waiting: Waiting[] = [];
  private running: Waiting[] | undefined;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];
  /** Texts per second of recent engine calls, for Retry-After (undefined until one has run). */
  private textsPerSecond: number | undefined;

  constructor(
    private readonly engine: ServeEngine,
    private readonly options: BatchQueueOptions,
  ) {
    super();
  }

  /** Texts waiting for the engine (not those running now). */
  get waitingTexts(): number {
    return this.waiting.reduce((sum, job) => sum + job.texts.length, 0);
  }

  get waitingRequests(): number {
    return this.waiting.length;
  }

  /**
   * Embeds `job` when its turn comes. Rejects with 429 `queue_full` at once when it would make
   * more than `maxQueue` texts wait (a request alone in the queue is always taken, or one larger
   * than the bound could never be), with the engine's error when a text is over `maxTokens`, and
   * with `ABORTED` when `signal` fires while it waits.
   */
  async submit(job: EmbedJob, signal: AbortSignal): Promise<JobResult> {
    const { maxTokens } = this.engine.info();
    const prompts = job.texts.map((text) => buildPrompt(text, job.kind, job.instruction));
    // countTokens leaves out the final <|endoftext|> that the engine feeds: one more per text.
    const lengths = this.engine.countTokens(prompts).map((n) => n + 1);
    if (lengths.some((n) => n > maxTokens)) {
      // The engine refuses it before it runs anything, with its own message naming the text; never merged,
      // so one long text cannot fail other requests' call.
      return this.engine.embed(job.texts, { ...this.embedOptions(job), overLength: 'refuse' }).then(split);
    }
    const waitingTexts = this.waitingTexts;
    if (waitingTexts > 0 && waitingTexts + job.texts.length > this.options.maxQueue) {
      throw new OpenAIRequestError(
        429,
        'queue_full',
        null,
        `the server is busy: ${waitingTexts} texts wait and this request adds ${job.texts.length}, over its queue of ${this.options.maxQueue} (--max-queue); retry after the Retry-After seconds`,
      );
    }
    if (signal.aborted) throw abortedError();
    return new Promise<JobResult>((resolve, reject) => {
      const key = JSON.stringify([job.dimensions, job.kind, job.instruction]);
      const entry: Waiting = { ...job, lengths, key, signal, resolve, reject };
      this.waiting.push(entry);
      signal.addEventListener('abort', () => this.drop(entry), { once: true });
      this.emit('queued', this.waitingTexts);
      this.schedule();
    });
  }

  /** Seconds until the queue has room again at the recent rate, for Retry-After (1 to 60). */
  retryAfterSeconds(): number {
    const texts = this.waitingTexts + (this.running ?? []).reduce((sum, job) => sum + job.texts.length, 0);
    const rate = this.textsPerSecond;
    return rate === undefined ? 1 : Math.min(60, Math.max(1, Math.ceil(texts / rate)));
  }

  /** Resolves when nothing waits and nothing runs: what a drain waits for. */
  idle(): Promise<void> {
    if (!this.running && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private embedOptions(job: EmbedJob): {
    kind: TextKind;
    instruction: string | undefined;
    dimensions: number | undefined;
  } {
    return { kind: job.kind, instruction: job.instruction, dimensions: job.dimensions };
  }

  private drop(entry: Waiting): void {
    const at = this.waiting.indexOf(entry);
    if (at < 0) return; // already running or done: a call in progress is not cut short for one of its requests
    this.waiting.splice(at, 1);
    entry.reject(abortedError());
    this.emit('dropped', entry.texts.length);
    this.notifyIfIdle();
  }

  /**
   * Starts the next call on the next turn of the event loop, not at once: requests that arrived
   * together (one burst of connections) then share the first call too.
   */
  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.next();
    });
  }

  private next(): void {
    if (this.running || this.waiting.length === 0) return;
    const jobs = this.take();
    this.running = jobs;
    void this.run(jobs).finally(() => {
      this.running = undefined;
      this.next();
      this.notifyIfIdle();
    });
  }

  /** The oldest request and the later ones that fit with it, in arrival order; taken out of the queue. */
  private take(): Waiting[] {
    const first = this.waiting.shift();
    if (!first) return [];
    const jobs = [first];
    if (!this.options.batching) return jobs;
    const { tokenBudget } = this.engine.info();
    let rows = first.lengths.length;
    let longest = Math.max(...first.lengths);
    for (let i = 0; i < this.waiting.length;) {
      const job = this.waiting[i];
      if (!job || job.key !== first.key) {
        i++;
        continue;
      }
      const nextLongest = Math.max(longest, ...job.lengths);
      // Stop at the first that does not fit, so requests of one kind keep their order.
      if ((rows + job.lengths.length) * nextLongest > tokenBudget) break;
      rows += job.lengths.length;
      longest = nextLongest;
      jobs.push(job);
      this.waiting.splice(i, 1);
    }
    return jobs;
  }

  private async run(jobs: Waiting[]): Promise<void> {
    const [first] = jobs;
    if (!first) return;
    const texts = jobs.flatMap((job) => job.texts);
    const started = performance.now();
    try {
      const result = await this.engine.embed(texts, { ...this.embedOptions(first), overLength: 'refuse' });
      const seconds = (performance.now() - started) / 1000;
      const rate = texts.length / Math.max(seconds, 1e-6);
      this.textsPerSecond = this.textsPerSecond === undefined ? rate : 0.8 * this.textsPerSecond + 0.2 * rate;
      const all = split(result);
      let offset = 0;
      for (const job of jobs) {
        const end = offset + job.texts.length;
        job.resolve({ vectors: all.vectors.slice(offset, end), tokens: all.tokens.slice(offset, end) });
        offset = end;
      }
      this.emit('batch', jobs.length, texts.length, sum(result.tokens));
    } catch (error) {
      for (const job of jobs) job.reject(error);
      this.emit('batch', jobs.length, texts.length, 0);
    }
  }

  private notifyIfIdle(): void {
    if (this.running || this.waiting.length > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** An engine result as one vector per text (views into its buffer). */
function split(result: EmbedBatchResult): JobResult {
  const { vectors, dimensions, tokens } = result;
  return {
    vectors: tokens.map((_, i) => vectors.subarray(i * dimensions, (i + 1) * dimensions)),
    tokens,
  };
}

function abortedError(): EmbedError {
  return new EmbedError('ABORTED', 'the client closed the connection before its texts were embedded');
}

function sum(values: readonly number[]): number {
  return values.reduce((total, n) => total + n, 0);
}
