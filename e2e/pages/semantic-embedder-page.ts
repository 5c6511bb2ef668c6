/**
 * Test-only page for e2e/semantic-embedder.spec.ts. `install(model)` defines
 * `globalThis.SemanticEmbedder` over the fixture; the spec then drives it the way code written
 * for the browser's built-in would, through `window.probe`, which keeps each created embedder
 * and returns plain data (vectors as number arrays, errors as name/code/message).
 */
import {
  installSemanticEmbedder,
  type EmbedderTaskType,
  type SemanticEmbedder as SemanticEmbedderInstance,
  type SemanticEmbedderGlobal,
} from '../../src/client/semantic-embedder.ts';

declare const SemanticEmbedder: SemanticEmbedderGlobal;

interface Failure {
  failed: true;
  name: string;
  code?: string;
  message: string;
}

const failure = (error: unknown): Failure => ({
  failed: true,
  name: error instanceof Error ? error.name : typeof error,
  message: error instanceof Error ? error.message : String(error),
  ...(error instanceof Error && 'code' in error && typeof error.code === 'string' ? { code: error.code } : {}),
});

let embedder: SemanticEmbedderInstance | undefined;
const controllers = new Map<string, AbortController>();

const probe = {
  install(url: string): void {
    installSemanticEmbedder({ model: { url }, device: 'wasm', dtype: 'fp32' }, { force: true });
  },
  availability: () => SemanticEmbedder.availability(),
  /** create() with a monitor: the `loaded` of every downloadprogress event, in order, and the availability seen meanwhile. */
  async create(): Promise<{ progress: number[]; during: string } | Failure> {
    const progress: number[] = [];
    try {
      const creating = SemanticEmbedder.create({
        monitor: (m) => m.addEventListener('downloadprogress', (e) => progress.push((e as ProgressEvent).loaded)),
      });
      const during = await SemanticEmbedder.availability();
      embedder = await creating;
      return { progress, during };
    } catch (error) {
      return failure(error);
    }
  },
  async embed(
    input: string | string[],
    taskType?: string,
    abortWith?: string,
  ): Promise<
    | { embeddings: { values: number[]; statistics: { tokenCount: number; truncated: boolean } }[]; metadata: unknown }
    | Failure
  > {
    if (!embedder) throw new Error('create() first');
    const controller = new AbortController();
    if (abortWith) controllers.set(abortWith, controller);
    try {
      const result = await embedder.embed(input, {
        ...(taskType === undefined ? {} : { taskType: taskType as EmbedderTaskType }),
        signal: controller.signal,
      });
      return {
        embeddings: result.embeddings.map((e) => ({ values: Array.from(e.values), statistics: e.statistics })),
        metadata: result.metadata,
      };
    } catch (error) {
      return failure(error);
    }
  },
  /** Starts an embed whose signal `abort(name)` aborts; resolves with how it ended. */
  embedThenAbort(input: string[], reason: string): Promise<unknown> {
    const ended = probe.embed(input, undefined, reason);
    controllers.get(reason)?.abort(new DOMException(reason, 'AbortError'));
    return ended;
  },
  /** Starts an embed, destroys the embedder at once; resolves with how the call in flight and a later one ended. */
  async destroyDuring(input: string[]): Promise<{ inFlight: unknown; after: unknown }> {
    const inFlight = probe.embed(input);
    embedder?.destroy();
    return { inFlight: await inFlight, after: await probe.embed('after destroy') };
  },
};

declare global {
  interface Window {
    probe: typeof probe;
  }
}

window.probe = probe;
document.body.dataset['ready'] = 'true';
