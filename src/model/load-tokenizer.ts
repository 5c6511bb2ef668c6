import { PreTrainedTokenizer } from '@huggingface/transformers';
import { EmbedError } from '../core/errors.ts';
import { ENDOFTEXT } from '../core/final-token.ts';
import type { TextTokenizer } from '../core/model-ids.ts';
import type { ModelFileReader } from './file-reader.ts';

export interface LoadedTokenizer extends TextTokenizer {
  /** Id of `<|endoftext|>`: the token every sequence ends with and the pad token. */
  eosId: number;
}

/**
 * Builds the Qwen3 BPE tokenizer from the repo's `tokenizer.json` + `tokenizer_config.json`
 * with transformers.js. Files are read through our own reader (so the CLI, local folders and
 * the browser share one loader) and handed to the tokenizer class directly.
 */
export async function loadTokenizer(files: ModelFileReader, signal?: AbortSignal): Promise<LoadedTokenizer> {
  const [tokenizerJson, tokenizerConfig] = await Promise.all([files.json('tokenizer.json', signal), files.json('tokenizer_config.json', signal)]);
  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = new PreTrainedTokenizer(tokenizerJson, tokenizerConfig);
  } catch (cause) {
    throw new EmbedError('TOKENIZER_INVALID', `tokenizer.json at ${files.locate('tokenizer.json')} could not be loaded: ${String(cause)}`, { cause });
  }
  const eosId = tokenizer.get_vocab().get(ENDOFTEXT);
  if (eosId === undefined) {
    throw new EmbedError('TOKENIZER_INVALID', `tokenizer.json at ${files.locate('tokenizer.json')} has no ${ENDOFTEXT} token; Qwen3-Embedding pools that token`);
  }
  return { eosId, encode: (text) => tokenizer.encode(text) };
}
