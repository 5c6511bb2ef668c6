import * as ort from 'onnxruntime-node';
import type { DeviceName } from '../../core/types.ts';
import { sessionOptions, type ExternalDataFile, type OrtRuntime } from '../runtime.ts';

/** onnxruntime-node's native CPU provider, for the CLI and Node tests. */
export function ortNativeRuntime(): OrtRuntime {
  return {
    name: `onnxruntime-node ${ort.env.versions.node ?? ''}`.trim(),
    Tensor: ort.Tensor,
    devices: ['cpu'],
    createSession(model: Uint8Array, externalData: ExternalDataFile[], _device: DeviceName) {
      return ort.InferenceSession.create(model, sessionOptions('cpu', externalData));
    },
  };
}
