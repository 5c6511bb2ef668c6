/**
 * What one request may ask of the facade. The input count is checked before any text reaches the
 * engine; the tokens per input by the engine as it tokenises, before it embeds. OpenAI's
 * own embedding endpoint has the same two numbers (2,048 inputs, 8,192 tokens per input); keeping
 * them means a client written for OpenAI batches the same way here. Over either limit the
 * request fails with 413: nothing is truncated behind the caller's back.
 */

/** Texts per `embeddings.create` call. */
export const MAX_INPUTS_PER_REQUEST = 2048;

/**
 * Tokens one input may feed the model by default: its text, the query instruction when
 * `input_type` is `query`, and the final `<|endoftext|>`. It is an embedder's default `maxTokens`
 * and OpenAI's own limit; the facade refuses (413) what is over the embedder's `maxTokens`, which
 * the engine checks before it embeds anything (`overLength: 'refuse'`).
 */
export const MAX_TOKENS_PER_INPUT = 8192;
