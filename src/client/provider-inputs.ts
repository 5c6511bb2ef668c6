/**
 * The page's side of the choice between the tab and a remote fallback: reads what this browser
 * says about the device, as plain data for core/provider-choice.ts, which decides.
 */
import type { DeviceChoice } from '../core/choices.ts';
import type { ProviderInputs } from '../core/provider-choice.ts';
import { probeWebGpuAdapter } from '../core/webgpu-adapter.ts';

/**
 * `navigator.deviceMemory` and `navigator.userAgentData` are Chromium's and absent from the DOM
 * types: read through guards, undefined wherever the browser does not say.
 */
export async function readProviderInputs(
  requested: DeviceChoice,
  modelBytes: number | undefined,
): Promise<ProviderInputs> {
  const memory: unknown = 'deviceMemory' in navigator ? navigator.deviceMemory : undefined;
  const agent: unknown = 'userAgentData' in navigator ? navigator.userAgentData : undefined;
  const mobile: unknown = typeof agent === 'object' && agent !== null && 'mobile' in agent ? agent.mobile : undefined;
  return {
    requested,
    fallback: true,
    deviceMemoryGB: typeof memory === 'number' && memory > 0 ? memory : undefined,
    // Only 'auto' is decided: an explicit device asks the browser for nothing here.
    adapter: requested === 'auto' ? await probeWebGpuAdapter(navigator.gpu) : undefined,
    mobile: typeof mobile === 'boolean' ? mobile : undefined,
    modelBytes,
  };
}
