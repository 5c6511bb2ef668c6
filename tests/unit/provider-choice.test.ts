import { describe, expect, it } from 'vitest';
import { adapter } from './adapter-summary.ts';
import {
  chooseProvider,
  DEFAULT_MODEL_BYTES,
  LARGE_MODEL_BYTES,
  type ProviderInputs,
} from '../../src/core/provider-choice.ts';

const HARDWARE = adapter({ vendor: 'nvidia', architecture: 'hopper' });
/** What headless Chromium reports for SwiftShader. */
const SWIFTSHADER = adapter({ vendor: 'google', architecture: 'swiftshader' });
/** The fixture model's order of size: far under LARGE_MODEL_BYTES. */
const TINY = 3e6;

/** A capable laptop: 8 GB (Chromium's cap), a hardware GPU, not mobile, the 0.6B default size. */
function inputs(fields: Partial<ProviderInputs> = {}): ProviderInputs {
  return {
    requested: 'auto',
    fallback: true,
    deviceMemoryGB: 8,
    adapter: HARDWARE,
    mobile: false,
    modelBytes: undefined,
    ...fields,
  };
}

describe('chooseProvider', () => {
  it('an explicit device stays in the tab, even on a device that could not hold the model', () => {
    for (const requested of ['wasm', 'webgpu'] as const) {
      const choice = chooseProvider(inputs({ requested, deviceMemoryGB: 0.5, adapter: undefined, mobile: true }));
      expect(choice.provider).toBe('local');
      expect(choice.reason).toContain(`device '${requested}' was requested`);
    }
  });

  it('without a configured fallback the tab is the only provider', () => {
    const choice = chooseProvider(inputs({ fallback: false, deviceMemoryGB: 0.5, adapter: undefined, mobile: true }));
    expect(choice).toEqual({ provider: 'local', reason: 'no remote fallback is configured' });
  });

  it('a capable device keeps the default 0.6B model in the tab', () => {
    const choice = chooseProvider(inputs());
    expect(choice.provider).toBe('local');
    expect(choice.reason).toContain('a hardware WebGPU adapter');
    expect(choice.reason).toContain('1020 MB, the assumed 0.6B q8 size');
  });

  it('the 0.6B model goes remote on 2 GB (1.33 GB peak is over half) and stays on 4 GB (under 2 GB)', () => {
    const small = chooseProvider(inputs({ deviceMemoryGB: 2 }));
    expect(small.provider).toBe('remote');
    expect(small.reason).toBe(
      "loading the model takes about 1.33 GB at peak (1.3 × 1020 MB, the assumed 0.6B q8 size), more than half of this device's 2 GB",
    );
    expect(chooseProvider(inputs({ deviceMemoryGB: 4 })).provider).toBe('local');
  });

  it('memory is weighed against the model bytes the page gives, not the default', () => {
    // q4, 867.2 MB: 1.13 GB at peak, over 1 GB (half of 2) but under 2 GB (half of 4).
    expect(chooseProvider(inputs({ deviceMemoryGB: 2, modelBytes: 867.2e6 })).provider).toBe('remote');
    expect(chooseProvider(inputs({ deviceMemoryGB: 1, modelBytes: TINY })).provider).toBe('local');
  });

  it('8 GB is read as "at least 8" (Chromium caps it), and a 4B-sized model is still sent out', () => {
    const choice = chooseProvider(inputs({ modelBytes: 4.5e9 }));
    expect(choice.provider).toBe('remote');
    expect(choice.reason).toContain("this device's at least 8 GB");
  });

  it('memory the browser does not report is not held against the device', () => {
    const choice = chooseProvider(inputs({ deviceMemoryGB: undefined }));
    expect(choice.provider).toBe('local');
    expect(choice.reason).toContain('memory not reported');
  });

  it('a phone sends a large model out and keeps a small one', () => {
    const phone = chooseProvider(inputs({ mobile: true, deviceMemoryGB: 8 }));
    expect(phone.provider).toBe('remote');
    expect(phone.reason).toContain('mobile device');
    expect(chooseProvider(inputs({ mobile: true, modelBytes: TINY })).provider).toBe('local');
    // A browser that does not say is not taken for a phone.
    expect(chooseProvider(inputs({ mobile: undefined })).provider).toBe('local');
  });

  it('no WebGPU adapter, or only a software one, sends a large model out and keeps a small one on WASM', () => {
    const none = chooseProvider(inputs({ adapter: undefined }));
    expect(none.provider).toBe('remote');
    expect(none.reason).toContain('there is no WebGPU adapter');
    const software = chooseProvider(inputs({ adapter: SWIFTSHADER }));
    expect(software.provider).toBe('remote');
    expect(software.reason).toContain('software renderer (google / swiftshader)');
    const fallbackFlag = chooseProvider(inputs({ adapter: adapter({ vendor: 'intel', isFallbackAdapter: true }) }));
    expect(fallbackFlag.provider).toBe('remote');
    const small = chooseProvider(inputs({ adapter: SWIFTSHADER, modelBytes: TINY }));
    expect(small.provider).toBe('local');
    expect(small.reason).toContain('a model small enough for WASM');
  });

  it('LARGE_MODEL_BYTES is the line: just under it stays on WASM, at it goes out', () => {
    expect(chooseProvider(inputs({ adapter: undefined, modelBytes: LARGE_MODEL_BYTES - 1 })).provider).toBe('local');
    expect(chooseProvider(inputs({ adapter: undefined, modelBytes: LARGE_MODEL_BYTES })).provider).toBe('remote');
    expect(DEFAULT_MODEL_BYTES).toBeGreaterThan(LARGE_MODEL_BYTES);
  });

  it('memory is checked first: a phone short of memory is told about memory', () => {
    const choice = chooseProvider(inputs({ mobile: true, deviceMemoryGB: 1, adapter: undefined }));
    expect(choice.reason).toContain('more than half of this device');
  });
});
