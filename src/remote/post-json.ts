/*
 * One JSON POST to a remote engine, retried by the rule in retry.ts, every failure an EmbedError:
 * REMOTE_REFUSED for the engine's 4xx verdicts, REMOTE_FAILED for everything that kept it from
 * answering, ABORTED when the caller's signal fired. `fetch` and `AbortSignal` are the platform's
 * own (browser and Node ≥ 20).
 */
import { EmbedError } from '../core/errors.ts';
import { errorMessage } from './dialects.ts';
import { abortedError, isRetryableStatus, retryAfterMs, retryDelay, sleep, type RetryPolicy } from './retry.ts';

export interface Endpoint {
  url: string;
  apiKey: string | undefined;
  /** No answer (headers and body) within this many ms fails the request (default 120 s). */
  timeoutMs: number;
  retry: RetryPolicy;
  onRetry: ((event: RetryEvent) => void) | undefined;
}

/** One retry about to happen: why, and how long it waits first. */
export interface RetryEvent {
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  /** The status that caused it, or undefined for a dropped connection or network error. */
  status: number | undefined;
  reason: string;
}

/** What went wrong with one try, and whether another try may help. */
interface Failure {
  retryable: boolean;
  error: EmbedError;
  status?: number;
  retryAfter?: number | undefined;
}

/**
 * The parsed JSON answer of a 2xx, after as many tries as the policy allows.
 *
 * @example
 * await postJson(endpoint, { model, input: ['a'] }, signal); // { object: 'list', data: [...], ... }
 */
export async function postJson(endpoint: Endpoint, body: unknown, signal: AbortSignal | undefined): Promise<unknown> {
  const payload = JSON.stringify(body);
  for (let attempt = 0; ; attempt++) {
    const outcome = await tryOnce(endpoint, payload, signal);
    if (!('retryable' in outcome)) return outcome.value;
    if (!outcome.retryable || attempt >= endpoint.retry.retries) throw outcome.error;
    if (outcome.retryAfter !== undefined && outcome.retryAfter > endpoint.retry.maxDelayMs)
      throw new EmbedError(
        'REMOTE_FAILED',
        `${endpoint.url} asked to retry after ${Math.round(outcome.retryAfter / 1000)} s, longer than the ${Math.round(endpoint.retry.maxDelayMs / 1000)} s this call may wait (remote.retry.maxDelayMs): ${outcome.error.message}`,
        { cause: outcome.error },
      );
    const delayMs = retryDelay(endpoint.retry, attempt + 1, outcome.retryAfter);
    endpoint.onRetry?.({ attempt: attempt + 1, delayMs, status: outcome.status, reason: outcome.error.message });
    await sleep(delayMs, signal);
  }
}

async function tryOnce(
  endpoint: Endpoint,
  payload: string,
  signal: AbortSignal | undefined,
): Promise<{ value: unknown } | Failure> {
  if (signal?.aborted) throw abortedError(signal);
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, endpoint.timeoutMs);
  try {
    const response = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}),
      },
      body: payload,
      signal: controller.signal,
    });
    // The body is read inside the timeout too: a connection dropped mid-body lands in the catch.
    const text = await response.text();
    if (response.ok) return parseAnswer(endpoint.url, text);
    return statusFailure(
      endpoint.url,
      response.status,
      text,
      retryAfterMs(response.headers.get('retry-after'), Date.now()),
    );
  } catch (error) {
    if (signal?.aborted) throw abortedError(signal);
    if (timedOut)
      return {
        retryable: false,
        error: new EmbedError(
          'REMOTE_FAILED',
          `${endpoint.url} gave no answer within ${endpoint.timeoutMs / 1000} s; the engine may be overloaded: try again, send fewer texts per request (remote.batchSize) or allow longer (remote.timeoutMs)`,
        ),
      };
    if (error instanceof EmbedError) throw error;
    // fetch rejects with a TypeError for a refused or dropped connection, DNS, TLS and CORS alike.
    const detail = error instanceof Error ? describeNetworkError(error) : String(error);
    return {
      retryable: true,
      error: new EmbedError(
        'REMOTE_FAILED',
        `could not get an answer from ${endpoint.url} (${detail}); check that the engine runs there and, from a page, that it allows this origin (CORS)`,
        { cause: error },
      ),
    };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function parseAnswer(url: string, text: string): { value: unknown } {
  try {
    return { value: JSON.parse(text) };
  } catch {
    throw new EmbedError(
      'REMOTE_FAILED',
      `${url} answered 2xx with a body that is not JSON (${JSON.stringify(text.slice(0, 80))}); is the base URL that of an embedding engine?`,
    );
  }
}

/** A non-2xx answer: retried when the engine is busy or starting; a 4xx is its verdict on the request. */
function statusFailure(url: string, status: number, body: string, retryAfter: number | undefined): Failure {
  const said = `${url} answered ${status}: ${errorMessage(body)}`;
  if (isRetryableStatus(status))
    return {
      retryable: true,
      status,
      retryAfter,
      error: new EmbedError('REMOTE_FAILED', `${said}; it stayed busy or unavailable through every retry`),
    };
  // 424 is a 4xx by number only: TEI answers it when its backend (the model run) failed.
  if (status >= 400 && status < 500 && status !== 424)
    return { retryable: false, status, error: new EmbedError('REMOTE_REFUSED', `${said}; ${refusalHint(status)}`) };
  return {
    retryable: false,
    status,
    error: new EmbedError('REMOTE_FAILED', `${said}; the engine failed on this request (see its log)`),
  };
}

function refusalHint(status: number): string {
  switch (status) {
    case 401:
    case 403:
      return 'check the API key (remote.apiKey, or TABEMBED_REMOTE_API_KEY for the CLI)';
    case 404:
      return 'check the base URL (it should serve /v1/embeddings) and the model name the engine serves';
    case 413:
      return 'the request is too large for the engine: send fewer texts per request (remote.batchSize; TEI allows --max-client-batch-size, default 32)';
    case 422:
      return "the engine could not tokenize a text, or one is longer than its maximum input (TEI's --auto-truncate, vLLM's --max-model-len)";
    default:
      return 'the engine refused the request as sent';
  }
}

/** Node's fetch hides the reason in `cause` (ECONNREFUSED, UND_ERR_SOCKET "other side closed"). */
function describeNetworkError(error: Error): string {
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = 'code' in cause && typeof cause.code === 'string' ? `${cause.code}: ` : '';
    return `${error.message}: ${code}${cause.message}`;
  }
  return error.message;
}
