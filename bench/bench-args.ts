import { resolve } from 'node:path';

/** The bench's command line, and the facts about the fixture every phase shares. */
export const ROOT = resolve(import.meta.dirname, '..');
export const MiB = 1 << 20;

const argv = process.argv.slice(2);
export const flag = (name: string): boolean => argv.includes(name);
export function argValue(name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

export type Dtype = 'fp32' | 'fp16' | 'q8' | 'q4';
export const FILE_OF: Record<Dtype, { file: string; external: string[] }> = {
  fp32: { file: 'model.onnx', external: ['model.onnx_data'] },
  fp16: { file: 'model_fp16.onnx', external: ['model_fp16.onnx_data'] },
  q8: { file: 'model_quantized.onnx', external: [] },
  q4: { file: 'model_q4.onnx', external: [] },
};
