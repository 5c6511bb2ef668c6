import { describe, expect, it } from 'vitest';
import { adapter } from './adapter-summary.ts';
import { chooseDevice } from '../../src/engine/device-choice.ts';
import { isSoftwareAdapter } from '../../src/core/webgpu-adapter.ts';

/** What headless Chromium reports for SwiftShader: a software renderer that does not call itself a fallback. */
const SWIFTSHADER = adapter({ vendor: 'google', architecture: 'swiftshader' });
const HOPPER = adapter({ vendor: 'nvidia', architecture: 'hopper', shaderF16: true });

describe('chooseDevice', () => {
  it('auto without an adapter runs on wasm', () => {
    expect(chooseDevice('auto', undefined)).toEqual({ device: 'wasm', reason: 'no WebGPU adapter is available' });
  });

  it('auto on SwiftShader runs on wasm and says the adapter is software', () => {
    const decision = chooseDevice('auto', SWIFTSHADER);
    expect(decision.device).toBe('wasm');
    expect(decision.reason).toContain('software');
    expect(decision.reason).toContain('google / swiftshader');
  });

  it('auto on an adapter flagged isFallbackAdapter runs on wasm', () => {
    expect(
      chooseDevice('auto', adapter({ vendor: 'intel', architecture: 'gen-12lp', isFallbackAdapter: true })).device,
    ).toBe('wasm');
  });

  it.each(['llvmpipe', 'lavapipe', 'Microsoft Basic Render Driver'])(
    'auto on %s (in the description) runs on wasm',
    (name) => {
      expect(chooseDevice('auto', adapter({ vendor: 'mesa', description: name })).device).toBe('wasm');
    },
  );

  it('auto on a real GPU runs on webgpu', () => {
    const decision = chooseDevice('auto', HOPPER);
    expect(decision.device).toBe('webgpu');
    expect(decision.reason).toBe('a hardware WebGPU adapter is available (nvidia / hopper)');
  });

  it('a forced webgpu is honoured on SwiftShader', () => {
    expect(chooseDevice('webgpu', SWIFTSHADER).device).toBe('webgpu');
  });

  it('a forced webgpu without an adapter still says webgpu and explains', () => {
    expect(chooseDevice('webgpu', undefined)).toEqual({
      device: 'webgpu',
      reason: 'webgpu was requested but no adapter is available',
    });
  });

  it('a forced wasm stays wasm even on a real GPU', () => {
    expect(chooseDevice('wasm', HOPPER)).toEqual({ device: 'wasm', reason: 'wasm was requested' });
  });

  it('cpu stays cpu', () => {
    expect(chooseDevice('cpu', undefined).device).toBe('cpu');
  });
});

describe('isSoftwareAdapter', () => {
  it('tells hardware from software', () => {
    expect(isSoftwareAdapter(HOPPER)).toBe(false);
    expect(isSoftwareAdapter(adapter({ vendor: 'apple', architecture: 'metal-3' }))).toBe(false);
    expect(isSoftwareAdapter(SWIFTSHADER)).toBe(true);
  });
});
