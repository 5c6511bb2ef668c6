import { PreTrainedTokenizer } from '@huggingface/transformers';
import { EmbedError } from '../core/errors.ts';
import { ENDOFTEXT } from '../core/final-token.ts';
import type { TextTokenizer } from '../core/model-ids.ts';

export interface LoadedTokenizer extends TextTokenizer {
  /** Id of `<|endoftext|>`: the token every sequence ends with and the pad token. */
  eosId: number;
}

/**
 * Builds the Qwen3 BPE tokenizer from the repo's parsed `tokenizer.json` +
 * `tokenizer_config.json` with transformers.js. The files are read by our own loader (so the
 * CLI, local folders, the cache and progress share one path) and handed to the class directly.
 * `where` names the tokenizer.json in errors.
 */
export function createTokenizer(tokenizerJson: unknown, tokenizerConfig: unknown, where: string): LoadedTokenizer {
  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = new PreTrainedTokenizer(tokenizerJson, tokenizerConfig);
  } catch (cause) {
    throw new EmbedError('TOKENIZER_INVALID', `${where} could not be loaded: ${String(cause)}`, { cause });
  }
  const eosId = tokenizer.get_vocab().get(ENDOFTEXT);
  if (eosId === undefined) {
    throw new EmbedError('TOKENIZER_INVALID', `${where} has no ${ENDOFTEXT} token; Qwen3-Embedding pools that token`);
  }
  return { eosId, encode: (text) => tokenizer.encode(text) };
}
