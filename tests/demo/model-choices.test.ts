import { describe, expect, it } from 'vitest';
import type { CachedModel } from '../../src/client/index.ts';
import { FIXTURE_MODEL, modelChoices } from '../../src/demo/search/model-choices.ts';
import { DEFAULT_MODEL } from '../../src/demo/model/page-params.ts';
import { knownModelFits, QWEN3_EMBEDDING } from '../../src/core/model-fit.ts';
import { adapter } from '../unit/adapter-summary.ts';

const ORIGIN = 'http://localhost:4173/';
const cached = (id: string, files = 3): CachedModel => ({
  key: id,
  id,
  revision: undefined,
  bytes: 1,
  files: Array.from({ length: files }, (_, i) => ({ path: `f${i}`, size: 1 })),
  partialFiles: [],
});

describe('the model picker’s choices', () => {
  it('offers the Hub model and the labelled test model when nothing is cached', () => {
    const choices = modelChoices([], DEFAULT_MODEL, ORIGIN);
    expect(choices.map((c) => c.value)).toEqual([DEFAULT_MODEL, FIXTURE_MODEL]);
    expect(choices.find((c) => c.value === FIXTURE_MODEL)?.label).toMatch(/random weights/);
    expect(choices.every((c) => !c.cached)).toBe(true);
  });

  it('marks the test model cached when the cache holds its absolute URL, without listing it twice', () => {
    const choices = modelChoices([cached(`${ORIGIN}models/qwen3-tiny/`)], FIXTURE_MODEL, ORIGIN);
    expect(choices).toHaveLength(2);
    expect(choices.find((c) => c.value === FIXTURE_MODEL)?.cached).toBe(true);
  });

  it('lists other cached models, skips entries with no complete file, and adds the URL’s own choice', () => {
    const choices = modelChoices(
      [cached('someone/Other-Embedding'), cached('broken/empty', 0)],
      '/models/mine/',
      ORIGIN,
    );
    expect(choices.map((c) => c.value)).toEqual([
      DEFAULT_MODEL,
      FIXTURE_MODEL,
      'someone/Other-Embedding',
      '/models/mine/',
    ]);
    expect(choices[2]?.cached).toBe(true);
    expect(choices[3]?.cached).toBe(false);
  });
});

describe('the larger models in the picker', () => {
  const fourB = QWEN3_EMBEDDING.find((model) => model.label === '4B');
  if (!fourB) throw new Error('the 4B is a known model');
  /** SwiftShader's limits as headless Chromium reports them (core/model-fit.ts). */
  const swiftShader = {
    device: 'webgpu' as const,
    adapter: adapter({ architecture: 'swiftshader', maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 }),
    deviceMemoryGiB: 16,
  };

  it('offers the 4B where the device can hold it (WebGPU)', () => {
    const choices = modelChoices([], DEFAULT_MODEL, ORIGIN, knownModelFits('q4', swiftShader));
    const offered = choices.find((c) => c.value === fourB.id);
    expect(offered).toMatchObject({ label: 'Qwen3-Embedding-4B, from the Hugging Face Hub', unavailable: undefined });
    // The 0.6B is the default entry already, not listed twice.
    expect(choices.filter((c) => c.value === DEFAULT_MODEL)).toHaveLength(1);
  });

  it('shows it with the reason where the device cannot (WASM: the wasm32 heap)', () => {
    const room = { device: 'wasm' as const, adapter: undefined, deviceMemoryGiB: 8 };
    const shown = modelChoices([], DEFAULT_MODEL, ORIGIN, knownModelFits('q4', room)).find((c) => c.value === fourB.id);
    expect(shown?.unavailable).toMatch(/wasm32 heap/);
    expect(shown?.label).toMatch(/^Qwen3-Embedding-4B: not on this device, .*\(the WASM heap\)$/);
  });
});
