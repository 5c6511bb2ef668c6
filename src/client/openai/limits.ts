/**
 * What one request may ask of the facade, checked before any text reaches the engine. OpenAI's
 * own embedding endpoint has the same two numbers (2,048 inputs, 8,192 tokens per input); keeping
 * them means a client written for OpenAI batches the same way here. Over either limit the
 * request fails with 413: nothing is truncated behind the caller's back.
 */

/** Texts per `embeddings.create` call. */
export const MAX_INPUTS_PER_REQUEST = 2048;

/**
 * Tokens one input may feed the model: its text, the query instruction when `input_type` is
 * `query`, and the final `<|endoftext|>`. Lower when the embedder was created with a smaller
 * `maxTokens` (the engine would truncate past it).
 */
export const MAX_TOKENS_PER_INPUT = 8192;
