import type * as Comlink from 'comlink';
import type { EmbedWorkerApi } from '../protocol/worker-api.ts';

/** The embed worker's methods the page calls, as Comlink proxies. */
export type WorkerCalls = Pick<
  Comlink.Remote<EmbedWorkerApi>,
  'holdLife' | 'load' | 'measure' | 'embed' | 'countTokens' | 'metrics' | 'cancel' | 'connect' | 'dispose'
>;

/**
 * The worker's methods, each read from the Comlink proxy once and kept for the embedder's life.
 * Comlink makes a new proxy on every property read (`remote.embed`) and registers it with a
 * FinalizationRegistry, whose callback runs on the page when the garbage collector takes that
 * proxy: also while the page sits frozen in the back/forward cache, and Chromium evicts a frozen
 * page that runs script (reason `JavaScriptExecution`). A tab hosting the /v1 route then came
 * back from Back reloaded, its model loaded again, instead of restored (e2e/openai.spec.ts,
 * "back/forward cache"). Read once, the proxies stay alive and nothing is left to finalize.
 */
export function workerCalls(remote: Comlink.Remote<EmbedWorkerApi>): WorkerCalls {
  return {
    holdLife: remote.holdLife,
    load: remote.load,
    measure: remote.measure,
    embed: remote.embed,
    countTokens: remote.countTokens,
    metrics: remote.metrics,
    cancel: remote.cancel,
    connect: remote.connect,
    dispose: remote.dispose,
  };
}
