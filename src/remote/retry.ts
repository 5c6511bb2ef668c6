/*
 * When to try a request again and how long to wait first. Embedding a list of texts is
 * idempotent, so a request that met an overloaded engine (429: TEI's Overloaded, vLLM's and
 * SGLang's queue limits), an engine that is starting or unhealthy (503), a gateway's 502/504, or
 * a dropped connection is sent again; anything else is the engine's verdict and is not.
 */
import { EmbedError } from '../core/errors.ts';

export interface RetryPolicy {
  /** Tries after the first (default 4). */
  retries: number;
  /** The first backoff; each next one doubles, with ±25 % jitter (default 500 ms). */
  baseDelayMs: number;
  /** The longest wait, backoff or Retry-After; a Retry-After beyond it fails the call at once (default 60 s). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 500, maxDelayMs: 60_000 };

/** Statuses worth another try: the engine is busy or starting, or a gateway lost it. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/**
 * A `Retry-After` header in ms: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when
 * absent or unreadable, so the backoff applies.
 *
 * @example
 * retryAfterMs('2', Date.now()); // 2000
 * retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:59 GMT')); // 1000
 */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait before try `attempt` (1 = the first retry): Retry-After when given, else exponential backoff. */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfter: number | undefined): number {
  if (retryAfter !== undefined) return retryAfter;
  const backoff = policy.baseDelayMs * 2 ** (attempt - 1);
  const jitter = 1 + (Math.random() - 0.5) / 2;
  return Math.min(policy.maxDelayMs, Math.round(backoff * jitter));
}

/** Waits `ms`, or rejects with ABORTED as soon as `signal` fires. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortedError(signal: AbortSignal | undefined): EmbedError {
  return new EmbedError('ABORTED', 'the embed call was aborted', { cause: signal?.reason });
}

/** `promise`, or ABORTED as soon as `signal` fires (the work itself goes on for whoever else waits on it). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortedError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortedError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
