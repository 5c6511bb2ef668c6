import type { CachedModel } from '../../client/index.ts';
import type { KnownModelFit } from '../../core/model-fit.ts';
import { looksLikeModelUrl } from '../../core/model-text.ts';
import { DEFAULT_MODEL } from '../model/page-params.ts';

/** The bundled test model: Qwen3's architecture and tokenizer with random weights. */
export const FIXTURE_MODEL = '/models/qwen3-tiny/';

export interface ModelChoice {
  /** What `?model=` holds for it. */
  value: string;
  label: string;
  /** Stored in this browser: loads with no network. */
  cached: boolean;
  /** Random weights: rankings mean nothing, and the page must say so. */
  testModel: boolean;
  /** Why this device cannot hold it (then it is shown, not offered), or undefined. */
  unavailable?: string | undefined;
}

/**
 * The models the picker offers: the Hub default, the test model, the larger Qwen3-Embedding models
 * once `fits` says whether this device can hold them (core/model-fit.ts: offered where it can,
 * shown with the reason where it cannot), everything this browser has cached, and the URL's own
 * choice if it is none of those. Offline, the cached ones are the ones that work, so they are
 * labelled as such.
 */
export function modelChoices(
  cached: readonly CachedModel[],
  requested: string,
  origin: string,
  fits: readonly KnownModelFit[] = [],
): ModelChoice[] {
  const stored = new Set(cached.filter((model) => model.files.length > 0).map((model) => normalise(model.id, origin)));
  const isCached = (value: string): boolean => stored.has(normalise(value, origin));
  const choices: ModelChoice[] = [
    {
      value: DEFAULT_MODEL,
      label: 'Qwen3-Embedding-0.6B, from the Hugging Face Hub',
      cached: isCached(DEFAULT_MODEL),
      testModel: false,
    },
    {
      value: FIXTURE_MODEL,
      label: 'qwen3-tiny test model (random weights: results are not semantic)',
      cached: isCached(FIXTURE_MODEL),
      testModel: true,
    },
  ];
  for (const { model, whyNot } of fits) {
    if (model.id === DEFAULT_MODEL) continue;
    choices.push({
      value: model.id,
      label: whyNot
        ? `Qwen3-Embedding-${model.label}: not on this device, ${whyNot}`
        : `Qwen3-Embedding-${model.label}, from the Hugging Face Hub`,
      cached: isCached(model.id),
      testModel: false,
      unavailable: whyNot,
    });
  }
  for (const model of cached) {
    if (
      model.files.length === 0 ||
      choices.some((choice) => normalise(choice.value, origin) === normalise(model.id, origin))
    )
      continue;
    choices.push({ value: model.id, label: model.id, cached: true, testModel: false });
  }
  if (!choices.some((choice) => normalise(choice.value, origin) === normalise(requested, origin))) {
    choices.push({ value: requested, label: requested, cached: isCached(requested), testModel: false });
  }
  return choices;
}

/** The cache records URL sources as absolute URLs; the picker holds them as the page wrote them. */
function normalise(value: string, origin: string): string {
  return looksLikeModelUrl(value) ? new URL(value, origin).href : value;
}
