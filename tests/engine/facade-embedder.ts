import type { FacadeEmbedder } from '../../src/client/openai/openai-facade.ts';
import type { EmbedEngine } from '../../src/engine/embed-engine.ts';

/** What createEmbedder() gives a page, over an engine in this process: the facade runs unchanged on it. */
export function asFacadeEmbedder(engine: EmbedEngine): FacadeEmbedder {
  return {
    async embedDetailed(texts, options = {}) {
      const { onBatch: _onBatch, ...request } = options;
      const { vectors, dimensions, tokens, truncated } = await engine.embed(texts, request);
      return {
        vectors: tokens.map((_, i) => vectors.subarray(i * dimensions, (i + 1) * dimensions)),
        tokens,
        truncated,
      };
    },
    info: () => engine.info(),
  };
}
