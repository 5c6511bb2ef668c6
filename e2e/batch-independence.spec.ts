import { expect, test } from '@playwright/test';
import type { EmbedderInfo } from '../src/core/types.ts';
import { dtypePreference } from '../src/engine/dtype-choice.ts';
import { FIXTURE_URL, cosine, openEmbedderPage } from './support/embedder-page.ts';

/*
 * Same text, same vector, in the browser: for every dtype `dtype: 'auto'` can pick on the device
 * (dtype-choice.ts; this SwiftShader adapter has no shader-f16, so WebGPU's list is q4, fp32),
 * a text alone, beside texts ten times longer, and in a shuffled batch gets the same vector
 * through createEmbedder, worker and all. The Node backends have the same check in
 * tests/numerics/batch-independence.test.ts, where the bound is explained (cos ≥ 0.99999:
 * float32 summation order only). WebGPU runs on SwiftShader, so its texts stay under 64 tokens.
 */
const TEXT = 'cats purr';
const LONGER = [
  'The quick brown fox jumps over the lazy dog while the farmer watches from the porch and sips his coffee slowly, thinking about the harvest and the rain.',
  'Embeddings map text to vectors so that texts with a similar meaning end up close together, which is what lets a search find passages by what they say.',
];
const MIN_COSINE = 0.99999;

for (const device of ['wasm', 'webgpu'] as const) {
  test(`on ${device}, every dtype auto can choose gives a text the same vector alone, beside texts ten times longer, and shuffled`, async ({
    page,
  }) => {
    await openEmbedderPage(page);
    const check = async (dtype: string): Promise<EmbedderInfo> => {
      const { handle, info } = await page.evaluate(
        ([url, d, t]) => window.harness.create({ model: { url }, device: d, dtype: t as 'auto' }),
        [FIXTURE_URL, device, dtype] as const,
      );
      expect(info.device).toBe(device);
      if (info.dtype === 'q8') expect(info.graph.activationQuantization).toBe('per-row');
      const [alone] = await page.evaluate(([h, t]) => window.harness.embed(h, t), [handle, [TEXT]] as const);
      const batched = await page.evaluate(([h, t]) => window.harness.embed(h, t), [
        handle,
        [LONGER[0], TEXT, LONGER[1]],
      ] as const);
      const shuffled = await page.evaluate(([h, t]) => window.harness.embed(h, t), [
        handle,
        [LONGER[1], LONGER[0], TEXT],
      ] as const);
      const [short = 0, ...long] = await page.evaluate(([h, t]) => window.harness.countTokens(h, [...t]), [
        handle,
        [TEXT, ...LONGER],
      ] as const);
      for (const tokens of long) expect(tokens).toBeGreaterThanOrEqual(10 * short);
      const cosines = [cosine(alone ?? [], batched[1] ?? []), cosine(alone ?? [], shuffled[2] ?? [])];
      const maxDiff = Math.max(
        ...[batched[1] ?? [], shuffled[2] ?? []].flatMap((v) => v.map((x, j) => Math.abs(x - (alone?.[j] ?? 0)))),
      );
      console.log(
        `[${device} ${info.dtype}] alone vs batched: cos ${Math.min(...cosines).toFixed(12)}, max |Δ| ${maxDiff.toExponential(2)}`,
      );
      for (const cos of cosines) expect(cos).toBeGreaterThanOrEqual(MIN_COSINE);
      // The texts differ, so a bound this tight can fail.
      expect(cosine(alone ?? [], batched[0] ?? [])).toBeLessThan(0.99);
      await page.evaluate((h) => window.harness.dispose(h), handle);
      return info;
    };
    // 'auto' itself first, then the rest of the device's preference list.
    const chosen = await check('auto');
    const rest = dtypePreference(device, chosen.adapter?.shaderF16 === true).filter((dtype) => dtype !== chosen.dtype);
    expect(rest.length).toBeGreaterThan(0);
    for (const dtype of rest) await check(dtype);
  });
}
