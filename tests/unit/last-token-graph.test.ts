import { execFileSync } from 'node:child_process';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { LAST_TOKEN_GRAPH } from '../../src/engine/last-token-graphs.ts';

describe('the last-token graph', () => {
  it('returns hidden[:, -1, :] for float32', async () => {
    const session = await ort.InferenceSession.create(LAST_TOKEN_GRAPH.float32);
    // [2, 3, 2]: row 0 positions (1,2) (3,4) (5,6); row 1 (7,8) (9,10) (11,12).
    const hidden = new ort.Tensor(
      'float32',
      Float32Array.from({ length: 12 }, (_, i) => i + 1),
      [2, 3, 2],
    );
    const { last } = await session.run({ hidden });
    expect(last?.dims).toEqual([2, 2]);
    expect(Array.from(last?.data as Float32Array)).toEqual([5, 6, 11, 12]);
  });

  it('returns hidden[:, -1, :] for float16 bits unchanged', async () => {
    const session = await ort.InferenceSession.create(LAST_TOKEN_GRAPH.float16);
    const bits = Uint16Array.from({ length: 6 }, (_, i) => 0x3c00 + i); // 1.0, 1.00098, …
    const { last } = await session.run({ hidden: new ort.Tensor('float16', bits, [1, 3, 2]) });
    expect(Array.from(last?.data as Uint16Array)).toEqual([0x3c04, 0x3c05]);
  });

  it('is the module the generator writes (not edited by hand)', () => {
    expect(() => execFileSync('npx', ['tsx', 'build/last-token-graph.ts', '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
