import { describe, expect, it } from 'vitest';
import { adapter } from './adapter-summary.ts';
import { chooseOrtWebBuild } from '../../src/engine/ort-web-build.ts';

const SWIFTSHADER = adapter({ vendor: 'google', architecture: 'swiftshader' });
const HOPPER = adapter({ vendor: 'nvidia', architecture: 'hopper', shaderF16: true });

describe('chooseOrtWebBuild', () => {
  it.each([
    ['auto', undefined],
    ['auto', HOPPER],
    ['auto', SWIFTSHADER],
    ['wasm', HOPPER],
    ['webgpu', SWIFTSHADER],
  ] as const)('takes the JSPI build whenever the browser has JSPI (device %s)', (device, gpu) => {
    const decision = chooseOrtWebBuild(device, gpu, true);
    expect(decision.build).toBe('jspi');
    expect(decision.reason).toContain('JSPI');
  });

  it('without JSPI, takes the asyncify build only when the model will run on WebGPU', () => {
    expect(chooseOrtWebBuild('auto', HOPPER, false)).toEqual({
      build: 'asyncify',
      reason: 'no JSPI, and the device is webgpu (a hardware WebGPU adapter is available (nvidia / hopper))',
    });
    expect(chooseOrtWebBuild('webgpu', SWIFTSHADER, false).build).toBe('asyncify');
  });

  it('without JSPI, takes the plain build for wasm, asked for or chosen by auto', () => {
    expect(chooseOrtWebBuild('wasm', HOPPER, false)).toEqual({
      build: 'plain',
      reason: 'no JSPI, and the device is wasm (wasm was requested)',
    });
    expect(chooseOrtWebBuild('auto', undefined, false).build).toBe('plain');
    // A software adapter: auto runs on wasm, so the fast build, not one with the WebGPU EP.
    expect(chooseOrtWebBuild('auto', SWIFTSHADER, false).build).toBe('plain');
  });
});
