import { describe, expect, it } from 'vitest';
import { createWithFallback, type ProviderStarts } from '../../src/client/fallback-embedder.ts';
import { EmbedError } from '../../src/core/errors.ts';

/**
 * `createEmbedder({ remoteFallback })` refuses bad options before it reads the device or starts
 * either provider. The starts here reject if reached, so a check that let an option through
 * fails with their message instead of the expected one. (The choice itself and both providers run
 * in real Chromium in e2e/hybrid.spec.ts; Node 20 has no `navigator` to read.)
 */
const UNREACHED: ProviderStarts = {
  local: () => Promise.reject(new Error('the local provider was started')),
  remote: () => Promise.reject(new Error('the remote provider was started')),
};
const NAMES = ['model', 'dtype', 'device', 'signal'];
const REMOTE = { baseURL: 'http://127.0.0.1:8080', model: 'Qwen/Qwen3-Embedding-0.6B', engine: 'tei' as const };

async function refusal(options: unknown): Promise<EmbedError> {
  // @ts-expect-error -- bad input on purpose: what a JavaScript caller may pass
  const error: unknown = await createWithFallback(options, NAMES, UNREACHED).catch((e: unknown) => e);
  if (!(error instanceof EmbedError)) throw new Error(`expected an EmbedError, got ${String(error)}`);
  return error;
}

describe('createEmbedder({ remoteFallback }) options', () => {
  it('refuses a misspelt top-level option, naming it', async () => {
    const error = await refusal({ model: 'm', remoteFalback: { remote: REMOTE }, remoteFallback: { remote: REMOTE } });
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain('options.remoteFalback is not an option of createEmbedder');
  });

  it.each([null, 'http://127.0.0.1:8080', [REMOTE]])('refuses remoteFallback = %j', async (value) => {
    const error = await refusal({ model: 'm', remoteFallback: value });
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain('remoteFallback must be { remote, modelBytes? }');
  });

  it('refuses an unknown field of remoteFallback (remote options belong under remote)', async () => {
    const error = await refusal({ model: 'm', remoteFallback: { ...REMOTE } });
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain('options.baseURL is not an option of remoteFallback');
  });

  it.each([0, -1, Number.NaN, Infinity, '1e9'])('refuses modelBytes = %s', async (modelBytes) => {
    const error = await refusal({ model: 'm', remoteFallback: { remote: REMOTE, modelBytes } });
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain('remoteFallback.modelBytes must be');
  });

  it('checks the remote options whichever provider would be chosen, even for an explicit device', async () => {
    const error = await refusal({
      model: 'm',
      device: 'wasm',
      remoteFallback: { remote: { ...REMOTE, engine: 'ollama' } },
    });
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain('remote.engine must be one of vllm, sglang, tei, openai, tabembed');
  });
});
