import { family, Histogram, sample, scalar } from './prometheus.ts';

/** Seconds from a request's arrival to its answer. */
const LATENCY_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Requests, or texts, that shared one engine call. */
const BATCH_BOUNDS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];

/** What `queueState` reads at scrape time. */
export interface QueueGauges {
  waitingTexts: number;
  waitingRequests: number;
  inFlight: number;
}

/**
 * The server's counters, and `/metrics` in Prometheus' text format. Names (all `tabembed_`):
 * `http_requests_total{path,status}`, `request_duration_seconds` (histogram, `/v1/embeddings`
 * only), `embedded_texts_total`, `embedded_tokens_total`, `engine_calls_total`,
 * `batch_requests` and `batch_texts` (histograms: per engine call), `dropped_requests_total`,
 * `queue_texts`, `queue_requests`, `requests_in_flight`, `ready`.
 */
export class ServeMetrics {
  private readonly requests = new Map<string, { path: string; status: string; count: number }>();
  private readonly latency = new Histogram(LATENCY_BOUNDS);
  private readonly batchRequests = new Histogram(BATCH_BOUNDS);
  private readonly batchTexts = new Histogram(BATCH_BOUNDS);
  private texts = 0;
  private tokens = 0;
  private dropped = 0;

  /** One answered request; `path` is the route's own (`/v1/embeddings`) or `other`, so labels stay few. */
  recordRequest(path: string, status: number): void {
    const key = `${status} ${path}`;
    const entry = this.requests.get(key) ?? { path, status: String(status), count: 0 };
    entry.count++;
    this.requests.set(key, entry);
  }

  recordLatency(seconds: number): void {
    this.latency.observe(seconds);
  }

  /** One engine call; `tokens` only counts when it succeeded. */
  recordBatch(requests: number, texts: number, tokens: number): void {
    this.batchRequests.observe(requests);
    this.batchTexts.observe(texts);
    if (tokens > 0) {
      this.texts += texts;
      this.tokens += tokens;
    }
  }

  recordDropped(): void {
    this.dropped++;
  }

  render(queue: QueueGauges, ready: boolean): string {
    const requestSamples = [...this.requests.values()].map(({ path, status, count }) =>
      sample('tabembed_http_requests_total', { path, status }, count),
    );
    return `${[
      family('tabembed_http_requests_total', 'counter', 'HTTP requests answered, by path and status.', requestSamples),
      family(
        'tabembed_request_duration_seconds',
        'histogram',
        'Seconds from arrival to answer of POST /v1/embeddings.',
        this.latency.lines('tabembed_request_duration_seconds'),
      ),
      scalar('tabembed_embedded_texts_total', 'counter', 'Texts embedded.', this.texts),
      scalar(
        'tabembed_embedded_tokens_total',
        'counter',
        'Tokens fed to the model (with each final <|endoftext|>).',
        this.tokens,
      ),
      family(
        'tabembed_batch_requests',
        'histogram',
        'Requests merged into one engine call.',
        this.batchRequests.lines('tabembed_batch_requests'),
      ),
      family(
        'tabembed_batch_texts',
        'histogram',
        'Texts in one engine call.',
        this.batchTexts.lines('tabembed_batch_texts'),
      ),
      scalar(
        'tabembed_dropped_requests_total',
        'counter',
        'Requests taken out of the queue: their client went away.',
        this.dropped,
      ),
      scalar('tabembed_queue_texts', 'gauge', 'Texts waiting for the engine.', queue.waitingTexts),
      scalar('tabembed_queue_requests', 'gauge', 'Requests waiting for the engine.', queue.waitingRequests),
      scalar(
        'tabembed_requests_in_flight',
        'gauge',
        '/v1 requests received (headers in) and not yet answered: what a drain waits for.',
        queue.inFlight,
      ),
      scalar(
        'tabembed_ready',
        'gauge',
        '1 when the model is loaded and warm and the server is not draining.',
        ready ? 1 : 0,
      ),
    ].join('\n')}\n`;
  }
}
