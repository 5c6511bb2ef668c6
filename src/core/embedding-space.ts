/*
 * The embedding space a provider's vectors live in: the model, its revision, its dtype and the
 * prompting policy. Two providers that report the same space make comparable vectors; a remote
 * engine claims one and proves it with probe texts (src/remote/probe.ts).
 */
import { formatQuery } from './prompt.ts';
import type { EmbeddingSpace } from './types.ts';

/**
 * The prompting policy of Qwen3-Embedding as tabembed applies it everywhere: documents raw,
 * queries with the instruction, written from formatQuery so a change of format changes it.
 *
 * @example
 * promptingPolicy('Find passages'); // 'documents raw; queries "Instruct: Find passages\\nQuery:{text}"'
 */
export function promptingPolicy(instruction: string): string {
  return `documents raw; queries ${JSON.stringify(formatQuery(instruction, '{text}'))}`;
}

/** The policy with the task left open: documents do not depend on it. */
export const PROMPTING_POLICY = promptingPolicy('{task}');

/**
 * @example
 * embeddingSpace('Qwen/Qwen3-Embedding-0.6B', undefined, 'bf16');
 * // { id: '["Qwen/Qwen3-Embedding-0.6B",null,"bf16","documents raw; …"]', model: …, revision: undefined, dtype: 'bf16', prompting: … }
 */
export function embeddingSpace(model: string, revision: string | undefined, dtype: string): EmbeddingSpace {
  return {
    // JSON-quoted fields in a fixed order: no separator inside a field can make two ids collide.
    id: JSON.stringify([model, revision ?? null, dtype, PROMPTING_POLICY]),
    model,
    revision,
    dtype,
    prompting: PROMPTING_POLICY,
  };
}
