import { env, ModelRegistry, PretrainedConfig } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import type { Dtype } from '../../src/core/types.ts';
import { modelFiles } from '../../src/model/dtype-files.ts';

/*
 * Our dtype → file mapping restates transformers.js' (its suffix table and external-data chunk
 * naming are not exported as plain functions); this checks the restatement against
 * transformers.js' own ModelRegistry.get_model_files, offline, for the real export's config.
 */
env.allowRemoteModels = false;
const externalData = { 'model.onnx': true, 'model_fp16.onnx': 2 } as const;
const config = new PretrainedConfig({
  model_type: 'qwen3',
  architectures: ['Qwen3ForCausalLM'],
  'transformers.js_config': { use_external_data_format: externalData },
});

describe('dtype → onnx files', () => {
  for (const dtype of ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] satisfies Dtype[]) {
    it(`names the same files as transformers.js for ${dtype}`, async () => {
      const theirs = (
        await ModelRegistry.get_model_files('onnx-community/Qwen3-Embedding-0.6B-ONNX', {
          config,
          dtype,
          device: 'wasm',
        })
      ).filter((path) => path.startsWith('onnx/'));
      const ours = modelFiles(dtype, { externalData });
      expect([ours.graph, ...ours.externalData]).toEqual(theirs);
    });
  }
});
