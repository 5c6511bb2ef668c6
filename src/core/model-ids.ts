import { ensureFinalEos, truncateKeepingEos } from './final-token.ts';

/** The one thing the path needs from a tokenizer. */
export interface TextTokenizer {
  /** Token ids with the tokenizer's own special tokens (a post-processor may append EOS). */
  encode(text: string): number[];
}

/** Prompt → the ids fed to the model: EOS guaranteed last, then cut to `maxTokens` keeping it. */
export function toModelIds(tokenizer: TextTokenizer, prompt: string, eosId: number, maxTokens: number): number[] {
  return truncateKeepingEos(ensureFinalEos(tokenizer.encode(prompt), eosId), maxTokens, eosId);
}
