import { describe, expect, it } from 'vitest';
import type { AdapterSummary } from '../../src/core/types.ts';
import { warmupPlan } from '../../src/engine/warm-up.ts';

const GPU: AdapterSummary = {
  vendor: 'nvidia',
  architecture: 'hopper',
  device: '',
  description: '',
  isFallbackAdapter: false,
  shaderF16: true,
  maxBufferSize: 2 ** 30,
  maxStorageBufferBindingSize: 2 ** 27,
};
const SWIFTSHADER: AdapterSummary = { ...GPU, vendor: 'google', architecture: 'swiftshader' };
const LIMITS = { tokenBudget: 5461, maxRows: 64 };

describe('warmupPlan', () => {
  it('warms WASM and the native CPU with one 24-token query', () => {
    expect(warmupPlan('wasm', undefined, { tokenBudget: 1024, maxRows: 64 }, 8192)).toEqual([
      { what: 'query', rows: 1, length: 24 },
    ]);
    expect(warmupPlan('cpu', undefined, { tokenBudget: 1024, maxRows: 64 }, 8192)).toEqual([
      { what: 'query', rows: 1, length: 24 },
    ]);
  });

  it('warms a hardware GPU with the query and a full-budget batch of 256-token rows', () => {
    // floor(5461 / 256) = 21 rows: 5376 tokens, the most that fit the budget at that length.
    expect(warmupPlan('webgpu', GPU, LIMITS, 8192)).toEqual([
      { what: 'query', rows: 1, length: 24 },
      { what: 'batch', rows: 21, length: 256 },
    ]);
  });

  it('caps the batch at 64 rows and at maxTokens per row', () => {
    expect(warmupPlan('webgpu', GPU, { tokenBudget: 8192, maxRows: 64 }, 100)).toEqual([
      { what: 'query', rows: 1, length: 24 },
      { what: 'batch', rows: 64, length: 100 },
    ]);
  });

  it('gives a software adapter the query alone, since each shape costs seconds there', () => {
    expect(warmupPlan('webgpu', SWIFTSHADER, LIMITS, 8192)).toEqual([{ what: 'query', rows: 1, length: 24 }]);
  });

  it('skips the batch when the budget holds no more than one row', () => {
    expect(warmupPlan('webgpu', GPU, { tokenBudget: 300, maxRows: 64 }, 8192)).toEqual([
      { what: 'query', rows: 1, length: 24 },
    ]);
  });
});
