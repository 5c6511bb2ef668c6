import * as ort from 'onnxruntime-node';
import type { DeviceName } from '../../core/types.ts';
import type { ExternalDataFile, OrtRuntime } from '../runtime.ts';

/** onnxruntime-node's native CPU provider, for the CLI and Node tests. */
export function ortNativeRuntime(): OrtRuntime {
  return {
    name: `onnxruntime-node ${ort.env.versions.node ?? ''}`.trim(),
    Tensor: ort.Tensor,
    devices: ['cpu'],
    createSession(model: Uint8Array, externalData: ExternalDataFile[], _device: DeviceName) {
      return ort.InferenceSession.create(model, {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
        ...(externalData.length > 0 ? { externalData } : {}),
      });
    },
  };
}
