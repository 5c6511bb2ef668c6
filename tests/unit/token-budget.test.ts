import { describe, expect, it } from 'vitest';
import type { AdapterSummary } from '../../src/core/types.ts';
import { CPU_TOKEN_BUDGET, cpuTokenBudget, GPU_TOKEN_BUDGET_CAP, tokenBudget } from '../../src/engine/token-budget.ts';

const MiB = 2 ** 20;
const QWEN3_06B = { hiddenSize: 1024, intermediateSize: 3072, numLayers: 28 };
/** The test fixture (public/models/qwen3-tiny), the model CPU_TOKEN_BUDGET was measured on. */
const QWEN3_TINY = { hiddenSize: 64, intermediateSize: 192, numLayers: 3 };

function adapter(maxStorageBufferBindingSize: number, maxBufferSize = 1024 * MiB): AdapterSummary {
  return {
    vendor: 'nvidia',
    architecture: 'hopper',
    device: '',
    description: '',
    isFallbackAdapter: false,
    shaderF16: true,
    maxBufferSize,
    maxStorageBufferBindingSize,
  };
}

describe('tokenBudget', () => {
  it('gives the test model on wasm and the CPU the budget it was measured with: 1024 tokens and 64 rows', () => {
    expect(CPU_TOKEN_BUDGET).toBe(1024);
    expect(GPU_TOKEN_BUDGET_CAP).toBe(8192);
    expect(tokenBudget('wasm', adapter(128 * MiB), QWEN3_TINY)).toEqual({ tokenBudget: 1024, maxRows: 64 });
    expect(tokenBudget('cpu', undefined, QWEN3_TINY)).toEqual({ tokenBudget: 1024, maxRows: 64 });
  });

  it('gives a model of real width on the CPU one text per run: its work per token is past the budget of work', () => {
    // 1024 × 64·192·3 = 37,748,736 of work per run; 0.6B: 1024·3072·28 = 88,080,384 per token.
    expect(cpuTokenBudget(QWEN3_06B)).toBe(1);
    expect(tokenBudget('wasm', adapter(128 * MiB), QWEN3_06B)).toEqual({ tokenBudget: 1, maxRows: 64 });
    // The quick bench's 2-layer preset of that width: 37,748,736 / 6,291,456 = 6 tokens (two short queries may pair).
    expect(cpuTokenBudget({ hiddenSize: 1024, intermediateSize: 3072, numLayers: 2 })).toBe(6);
    // A model twice the test model's width sits between: 37,748,736 / (128·384·3) = 256.
    expect(cpuTokenBudget({ hiddenSize: 128, intermediateSize: 384, numLayers: 3 })).toBe(256);
  });

  it('gives webgpu with a 128 MiB binding floor(64 MiB / (3072 × 4 bytes)) = 5461 tokens', () => {
    // 67108864 / 12288 = 5461.33…
    expect(tokenBudget('webgpu', adapter(128 * MiB), QWEN3_06B)).toEqual({ tokenBudget: 5461, maxRows: 64 });
  });

  it('caps a large binding at the GPU cap', () => {
    // 1 GiB / 2 / 12288 = 43690 > 8192
    expect(tokenBudget('webgpu', adapter(1024 * MiB), QWEN3_06B).tokenBudget).toBe(8192);
  });

  it('takes the binding-derived number for a small binding limit', () => {
    // 16 MiB / 2 / 12288 = 682.67 → 682
    expect(tokenBudget('webgpu', adapter(16 * MiB), QWEN3_06B).tokenBudget).toBe(682);
  });

  it('uses maxBufferSize when it is the smaller limit', () => {
    // min(128 MiB, 32 MiB) / 2 / 12288 = 1365.33 → 1365
    expect(tokenBudget('webgpu', adapter(128 * MiB, 32 * MiB), QWEN3_06B).tokenBudget).toBe(1365);
  });

  it('never goes below one token', () => {
    expect(tokenBudget('webgpu', adapter(1024), QWEN3_06B).tokenBudget).toBe(1);
  });

  it('falls back to the CPU budget on webgpu without adapter information', () => {
    expect(tokenBudget('webgpu', undefined, QWEN3_TINY).tokenBudget).toBe(1024);
    expect(tokenBudget('webgpu', undefined, QWEN3_06B).tokenBudget).toBe(1);
  });
});
