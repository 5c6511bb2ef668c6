/*
 * The EOS rule. Qwen3-Embedding pools the hidden state of the final `<|endoftext|>` token, which
 * its tokenizer appends through a TemplateProcessing post-processor. Tokenizers that lack the
 * post-processor (the base Qwen3 one, older exports) would silently pool the last word instead,
 * so the rule is enforced here rather than trusted to the tokenizer files.
 */

/** The token every sequence ends with and the one pooled. */
export const ENDOFTEXT = '<|endoftext|>';

/** Appends `eosId` unless the sequence already ends with it. */
export function ensureFinalEos(ids: readonly number[], eosId: number): number[] {
  return ids.length > 0 && ids[ids.length - 1] === eosId ? [...ids] : [...ids, eosId];
}

/**
 * Cuts a sequence to `maxTokens`, keeping its head and the final EOS (the token we pool).
 * Input must already end with EOS.
 */
export function truncateKeepingEos(ids: readonly number[], maxTokens: number, eosId: number): number[] {
  if (ids.length <= maxTokens) return [...ids];
  return [...ids.slice(0, maxTokens - 1), eosId];
}
