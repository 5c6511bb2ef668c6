/*
 * The proof that a remote engine makes the same embedding space as a local model: a fixed set of
 * probe texts (documents and a query, several scripts), embedded by both at full width and
 * compared one by one. Qwen3-Embedding in bf16 on a GPU and in fp32/q8 on ONNX agree far above
 * the bar; another model, another revision or another prompting policy falls far below it.
 */
import { cosine } from '../core/cosine.ts';
import { EmbedError } from '../core/errors.ts';
import type { TextKind } from '../core/prompt.ts';
import type { EmbeddingSpace } from '../core/types.ts';

export interface Probe {
  kind: TextKind;
  text: string;
}

/** Fixed forever for a given tabembed version: changing them changes nothing a user stored. */
export const PROBES: readonly Probe[] = [
  { kind: 'document', text: 'The capital of France is Paris.' },
  { kind: 'document', text: 'Gravity is a force that attracts two bodies towards each other.' },
  { kind: 'document', text: '你好，世界。今天天气很好。' },
  { kind: 'document', text: 'function add(a, b) {\n  return a + b;\n}' },
  { kind: 'query', text: 'What is the capital of France?' },
  { kind: 'query', text: 'Explain gravity' },
];

/** Per probe, the cosine a remote vector must reach against the local one (override: remote.minCosine). */
export const PROBE_MIN_COSINE = 0.999;

/** A local embedder to check the remote one against: the page's `createEmbedder()` or Node's `createNodeEmbedder()`. */
export interface LocalReference {
  info(): { space: EmbeddingSpace; hiddenSize: number };
  embed(
    texts: string[],
    options: { kind: TextKind },
  ): Promise<readonly Float32Array[] | { vectors: Float32Array; dimensions: number }>;
}

/** What the probe found; `info().probe`. */
export interface ProbeReport {
  probes: number;
  /** The local model's space the remote vectors were compared with, when one was given. */
  verifiedAgainst: EmbeddingSpace | undefined;
  /** The lowest per-probe cosine, and that probe's text. */
  minCosine: number | undefined;
  worstProbe: string | undefined;
}

/** The local model's vectors for the probes, in PROBES order. */
export async function localProbeVectors(local: LocalReference): Promise<Float32Array[]> {
  const byKind = async (kind: TextKind): Promise<Float32Array[]> => {
    const texts = PROBES.filter((probe) => probe.kind === kind).map((probe) => probe.text);
    return rows(await local.embed(texts, { kind }));
  };
  const [documents, queries] = [await byKind('document'), await byKind('query')];
  return PROBES.map((probe) => {
    const vector = (probe.kind === 'document' ? documents : queries).shift();
    if (!vector) throw new Error('the local embedder returned fewer vectors than probes');
    return vector;
  });
}

/**
 * Throws INDEX_MISMATCH naming the first probe below `minCosine` and its cosine; else the report.
 *
 * @example
 * compareProbes(remoteVectors, localVectors, 0.999, 'http://gpu:8000/v1/embeddings', space);
 * // { probes: 6, verifiedAgainst: space, minCosine: 0.99997, worstProbe: 'Explain gravity' }
 */
export function compareProbes(
  remote: readonly Float32Array[],
  local: readonly Float32Array[],
  minCosine: number,
  url: string,
  against: EmbeddingSpace,
): ProbeReport {
  let worst = { cosine: Infinity, text: '' };
  PROBES.forEach((probe, i) => {
    const a = remote[i];
    const b = local[i];
    if (!a || !b) throw new Error(`probe ${i} has no vector`);
    if (a.length !== b.length)
      throw new EmbedError(
        'INDEX_MISMATCH',
        `${url} makes ${a.length}-value vectors, the local model ${b.length}: another model (local: ${against.model})`,
      );
    const value = cosine(a, b);
    if (value < minCosine)
      throw new EmbedError(
        'INDEX_MISMATCH',
        `${url} is not the local model's embedding space: probe ${i} (${probe.kind} ${JSON.stringify(probe.text)}) has cosine ${value.toFixed(6)} against ${against.model}, below ${minCosine}; serve the same model and revision there, or drop the local check`,
        { index: i },
      );
    if (value < worst.cosine) worst = { cosine: value, text: probe.text };
  });
  return { probes: PROBES.length, verifiedAgainst: against, minCosine: worst.cosine, worstProbe: worst.text };
}

function rows(result: readonly Float32Array[] | { vectors: Float32Array; dimensions: number }): Float32Array[] {
  if (!('dimensions' in result)) return [...result];
  const { vectors, dimensions } = result;
  return Array.from({ length: vectors.length / dimensions }, (_, i) =>
    vectors.subarray(i * dimensions, (i + 1) * dimensions),
  );
}
