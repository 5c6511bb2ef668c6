/**
 * Test-only page: `createEmbedder({ remote })` from a page (fetch across origins, no worker),
 * optionally checked against a local embedder in this tab, as plain-data calls for Playwright.
 */
import {
  createEmbedder,
  EmbedError,
  isRemoteEmbedder,
  type Embedder,
  type ProviderChoice,
  type RemoteOptions,
} from '../../src/client/index.ts';

interface RemoteRun {
  vectors: number[][];
  probe: { minCosine: number | undefined; verified: boolean };
  engineModel: string;
}

type RemoteResult = { ok: true; run: RemoteRun } | { ok: false; code: string | undefined; message: string };

/** What `createEmbedder({ remoteFallback })` chose, as info() says it, and one text's vector. */
interface ChoiceRun {
  /** From the embedder's own shape (isRemoteEmbedder), not from info(). */
  remote: boolean;
  choice: ProviderChoice | undefined;
  /** The remote info's baseURL, or the local info's device. */
  where: string;
  vector: number[];
}

type ChoiceResult = { ok: true; run: ChoiceRun } | { ok: false; code: string | undefined; message: string };

function failure(error: unknown): { ok: false; code: string | undefined; message: string } {
  return {
    ok: false,
    code: error instanceof EmbedError ? error.code : undefined,
    message: error instanceof Error ? error.message : String(error),
  };
}

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
      return failure(error);
    } finally {
      await local?.dispose();
    }
  },
  choose,
};

/**
 * `createEmbedder({ model, device, remoteFallback })`: which provider the page got and why.
 * `quotaBytes` starts the worker with a storage estimate that small (small-quota-worker.ts).
 */
async function choose(
  remote: Omit<RemoteOptions, 'verifyAgainst' | 'onRetry'>,
  model: string,
  text: string,
  options: { device?: 'auto' | 'wasm'; modelBytes?: number; quotaBytes?: number } = {},
): Promise<ChoiceResult> {
  const worker =
    options.quotaBytes === undefined
      ? undefined
      : new Worker(new URL('./small-quota-worker.ts', import.meta.url), {
          type: 'module',
          name: `quota:${options.quotaBytes}`,
        });
  try {
    const embedder = await createEmbedder({
      model: { url: model },
      dtype: 'fp32',
      ...(options.device ? { device: options.device } : {}),
      ...(worker ? { worker } : {}),
      remoteFallback: { remote, ...(options.modelBytes === undefined ? {} : { modelBytes: options.modelBytes }) },
    });
    const [vector] = await embedder.embed([text]);
    const run: ChoiceRun = isRemoteEmbedder(embedder)
      ? { remote: true, choice: embedder.info().choice, where: embedder.info().baseURL, vector: [] }
      : { remote: false, choice: embedder.info().choice, where: embedder.info().device, vector: [] };
    run.vector = Array.from(vector ?? []);
    await embedder.dispose();
    return { ok: true, run };
  } catch (error) {
    return failure(error);
  } finally {
    worker?.terminate();
  }
}

declare global {
  interface Window {
    remoteHarness: typeof remoteHarness;
  }
}

window.remoteHarness = remoteHarness;
document.body.dataset['ready'] = 'true';
