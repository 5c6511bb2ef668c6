/**
 * Test-only page: `createEmbedder({ remote })` from a page (fetch across origins, no worker),
 * optionally checked against a local embedder in this tab, as plain-data calls for Playwright.
 */
import { createEmbedder, EmbedError, type Embedder, type RemoteOptions } from '../../src/client/index.ts';

interface RemoteRun {
  vectors: number[][];
  probe: { minCosine: number | undefined; verified: boolean };
  engineModel: string;
}

type RemoteResult = { ok: true; run: RemoteRun } | { ok: false; code: string | undefined; message: string };

const remoteHarness = {
  /** Embeds `texts` remotely; with `verifyWith` (a model URL) a local fp32 embedder in this tab is the probe's reference. */
  async embed(
    remote: Omit<RemoteOptions, 'verifyAgainst' | 'onRetry'>,
    texts: string[],
    verifyWith?: string,
  ): Promise<RemoteResult> {
    let local: Embedder | undefined;
    try {
      local = verifyWith
        ? await createEmbedder({ model: { url: verifyWith }, dtype: 'fp32', device: 'wasm' })
        : undefined;
      const embedder = await createEmbedder({ remote: { ...remote, ...(local ? { verifyAgainst: local } : {}) } });
      const vectors = (await embedder.embed(texts)).map((vector) => Array.from(vector));
      const info = embedder.info();
      await embedder.dispose();
      return {
        ok: true,
        run: {
          vectors,
          probe: { minCosine: info.probe?.minCosine, verified: info.probe?.verifiedAgainst !== undefined },
          engineModel: info.model,
        },
      };
    } catch (error) {
      return {
        ok: false,
        code: error instanceof EmbedError ? error.code : undefined,
        message: error instanceof Error ? error.message : String(error),
      };
    } finally {
      await local?.dispose();
    }
  },
};

declare global {
  interface Window {
    remoteHarness: typeof remoteHarness;
  }
}

window.remoteHarness = remoteHarness;
document.body.dataset['ready'] = 'true';
