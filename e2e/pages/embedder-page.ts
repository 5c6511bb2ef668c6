/**
 * Test-only page: exposes the public client API to Playwright as plain-data calls (handles in,
 * number arrays out), since page.evaluate cannot carry an Embedder object or typed arrays.
 */
import { createEmbedder, EmbedError, type Embedder, type EmbedderInfo, type EmbedOptions, type LoadProgress } from '../../src/client/index.ts';

export interface HarnessError {
  isEmbedError: boolean;
  name: string;
  code: string | undefined;
  index: number | undefined;
  message: string;
}

const embedders = new Map<number, Embedder>();
let next = 0;

function get(handle: number): Embedder {
  const embedder = embedders.get(handle);
  if (!embedder) throw new Error(`no embedder ${handle}`);
  return embedder;
}

function describe(error: unknown): HarnessError {
  const e = error instanceof Error ? error : new Error(String(error));
  return {
    isEmbedError: e instanceof EmbedError,
    name: e.name,
    code: e instanceof EmbedError ? e.code : undefined,
    index: e instanceof EmbedError ? e.index : undefined,
    message: e.message,
  };
}

const harness = {
  async create(options: Omit<Parameters<typeof createEmbedder>[0] & object, 'onProgress' | 'signal' | 'worker'>): Promise<{ handle: number; info: EmbedderInfo; progress: LoadProgress[] }> {
    const progress: LoadProgress[] = [];
    const embedder = await createEmbedder({ ...options, onProgress: (event) => progress.push(event) });
    const handle = next++;
    embedders.set(handle, embedder);
    return { handle, info: embedder.info(), progress };
  },
  async createError(options: Omit<Parameters<typeof createEmbedder>[0] & object, 'onProgress' | 'signal' | 'worker'>): Promise<HarnessError | undefined> {
    try {
      await createEmbedder(options);
      return undefined;
    } catch (error) {
      return describe(error);
    }
  },
  async embed(handle: number, texts: readonly unknown[], options: Omit<EmbedOptions, 'signal'> = {}): Promise<number[][]> {
    const vectors = await get(handle).embed([...texts] as string[], options);
    return vectors.map((v) => Array.from(v));
  },
  async embedQuery(handle: number, text: string, options: Omit<EmbedOptions, 'signal' | 'kind'> = {}): Promise<number[]> {
    return Array.from(await get(handle).embedQuery(text, options));
  },
  /** Runs embed and returns the error it rejects with; undefined if it resolved. */
  async embedError(handle: number, texts: unknown, options: Record<string, unknown> = {}): Promise<HarnessError | undefined> {
    try {
      await get(handle).embed(texts as string[], options);
      return undefined;
    } catch (error) {
      return describe(error);
    }
  },
  /** Starts an embed, aborts it right away, and reports how it ended. */
  async embedAborted(handle: number, texts: string[]): Promise<HarnessError | undefined> {
    const controller = new AbortController();
    const pending = get(handle).embed(texts, { signal: controller.signal });
    controller.abort();
    try {
      await pending;
      return undefined;
    } catch (error) {
      return describe(error);
    }
  },
  async dispose(handle: number): Promise<void> {
    await get(handle).dispose();
    embedders.delete(handle);
  },
};

declare global {
  interface Window {
    harness: typeof harness;
  }
}

window.harness = harness;
document.body.dataset['ready'] = 'true';
