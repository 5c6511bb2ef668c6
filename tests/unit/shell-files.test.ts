import { describe, expect, it } from 'vitest';
import { shellFilesFor } from '../../src/offline/shell-files.ts';

const ORT = [
  'ort/ort-wasm-simd-threaded.asyncify.mjs',
  'ort/ort-wasm-simd-threaded.asyncify.wasm',
  'ort/ort-wasm-simd-threaded.jspi.mjs',
  'ort/ort-wasm-simd-threaded.jspi.wasm',
  'ort/ort-wasm-simd-threaded.mjs',
  'ort/ort-wasm-simd-threaded.wasm',
];
const OTHERS = ['index.html', 'assets/embed.worker-abc.js', 'assets/ort.jspi.min-def.js', 'assets/ort.wasm.min-ghi.js'];

describe('shellFilesFor', () => {
  it('with JSPI keeps the JSPI runtime files and drops the plain and asyncify ones', () => {
    expect(shellFilesFor([...OTHERS, ...ORT], true)).toEqual([
      ...OTHERS,
      'ort/ort-wasm-simd-threaded.jspi.mjs',
      'ort/ort-wasm-simd-threaded.jspi.wasm',
    ]);
  });

  it('without JSPI keeps the plain and asyncify runtime files (the device decides between them) and drops the JSPI ones', () => {
    expect(shellFilesFor([...OTHERS, ...ORT], false)).toEqual([
      ...OTHERS,
      'ort/ort-wasm-simd-threaded.asyncify.mjs',
      'ort/ort-wasm-simd-threaded.asyncify.wasm',
      'ort/ort-wasm-simd-threaded.mjs',
      'ort/ort-wasm-simd-threaded.wasm',
    ]);
  });

  it('keeps every file that is not an onnxruntime runtime file, the lazy onnxruntime chunks included', () => {
    expect(shellFilesFor(OTHERS, true)).toEqual(OTHERS);
    expect(shellFilesFor(OTHERS, false)).toEqual(OTHERS);
  });
});
