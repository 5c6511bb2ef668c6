/**
 * `createEmbedder({ model, device: 'auto', remoteFallback })`: the model in this tab when the
 * device can hold it, else the remote engine. The choice is core/provider-choice.ts's; this file
 * checks the options, reads the device (provider-inputs.ts) and starts the chosen provider.
 */
import { EmbedError, type EmbedErrorCode } from '../core/errors.ts';
import { isRecord } from '../core/is-record.ts';
import { chooseProvider } from '../core/provider-choice.ts';
import type { ProviderChoice } from '../core/types.ts';
import { describeInput, validateOptionNames } from '../core/validate.ts';
import type { RemoteEmbedder, RemoteOptions } from '../remote/remote-embedder.ts';
import { remoteConfig } from '../remote/remote-options.ts';
import type { CreateEmbedderOptions, Embedder } from './create-embedder.ts';
import { readProviderInputs } from './provider-inputs.ts';

/**
 * `createEmbedder({ model, device: 'auto', remoteFallback })`'s options: a model in this tab when the device
 * can hold it, else the remote engine. Opt-in because the page's texts then leave the tab.
 */
export interface CreateEmbedderWithFallbackOptions extends CreateEmbedderOptions {
  remoteFallback: RemoteFallback;
}

export interface RemoteFallback {
  /** The engine, exactly as `createEmbedder({ remote })` takes it (probe and `verifyAgainst` included). */
  remote: RemoteOptions;
  /** The local model's file bytes, when the page knows them; default DEFAULT_MODEL_BYTES (0.6B q8, 1019.8 MB). */
  modelBytes?: number;
}

/** Which provider an embedder from `createEmbedder({ remoteFallback })` is. */
export function isRemoteEmbedder(embedder: Embedder | RemoteEmbedder): embedder is RemoteEmbedder {
  return 'verify' in embedder;
}

/** How each provider is started: exactly as `createEmbedder()` and `createEmbedder({ remote })` start it. */
export interface ProviderStarts {
  local: (options: CreateEmbedderOptions) => Promise<Embedder>;
  remote: (remote: RemoteOptions, signal: AbortSignal | undefined) => Promise<RemoteEmbedder>;
}

/** `createEmbedder({ remoteFallback })`: checks the options, decides, starts the chosen provider. */
export async function createWithFallback(
  options: CreateEmbedderWithFallbackOptions,
  localOptionNames: readonly string[],
  start: ProviderStarts,
): Promise<Embedder | RemoteEmbedder> {
  const { remoteFallback, ...local } = options;
  validateOptionNames(options, [...localOptionNames, 'remoteFallback'], 'createEmbedder');
  if (!isRecord(remoteFallback))
    throw new EmbedError(
      'INVALID_OPTION',
      `remoteFallback must be { remote, modelBytes? }, got ${describeInput(remoteFallback)}`,
    );
  validateOptionNames(remoteFallback, ['remote', 'modelBytes'], 'remoteFallback');
  const { modelBytes } = remoteFallback;
  if (modelBytes !== undefined && !(typeof modelBytes === 'number' && Number.isFinite(modelBytes) && modelBytes > 0))
    throw new EmbedError(
      'INVALID_OPTION',
      `remoteFallback.modelBytes must be the model file's size in bytes (a positive number), got ${describeInput(modelBytes)}`,
    );
  // Checked whichever provider is chosen, so a bad engine setting shows on every device, not
  // only on the small ones that would reach it.
  remoteConfig(remoteFallback.remote);
  const choice = chooseProvider(await readProviderInputs(local.device ?? 'auto', modelBytes));
  if (choice.provider === 'remote') {
    const remote = await start.remote(remoteFallback.remote, local.signal);
    return { ...remote, info: () => ({ ...remote.info(), choice }) };
  }
  let embedder: Embedder;
  try {
    embedder = await start.local(local);
  } catch (error) {
    // A device that looked able to hold the model but could not store or open it: the engine is
    // the page's stated way out. Only under 'auto' (chooseProvider already kept explicit devices here).
    const couldNotHold = error instanceof EmbedError && FALLBACK_CODES.includes(error.code);
    if (!couldNotHold || (local.device ?? 'auto') !== 'auto') throw error;
    const after: ProviderChoice = {
      provider: 'remote',
      reason: `the model did not load in this tab (${error.code}: ${error.message}); ${choice.reason} before`,
    };
    const remote = await start.remote(remoteFallback.remote, local.signal);
    return { ...remote, info: () => ({ ...remote.info(), choice: after }) };
  }
  return { ...embedder, info: () => ({ ...embedder.info(), choice }) };
}

/** Load failures that say the device cannot hold the model (storage, a file past ArrayBuffer's size), not that the model is wrong. */
const FALLBACK_CODES: readonly EmbedErrorCode[] = ['QUOTA_EXCEEDED', 'MODEL_TOO_LARGE'];
