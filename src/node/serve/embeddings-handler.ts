import type { ServerResponse } from 'node:http';
import { embeddingsResponse } from '../../protocol/openai/embeddings-response.ts';
import type { ModelNames } from '../../protocol/openai/model-names.ts';
import { toOpenAIError } from '../../protocol/openai/openai-error.ts';
import { parseCreateRequest } from '../../protocol/openai/parse-request.ts';
import type { BatchQueue, ServeEngine } from './batch-queue.ts';
import { sendError, sendJson } from './http-io.ts';

/**
 * `POST /v1/embeddings` with its JSON body: the facade's checks (`parseCreateRequest`), then the
 * batching queue, then OpenAI's response shape. Every refusal and failure goes out in OpenAI's
 * error shape with the facade's status and code; a full queue adds `Retry-After`. A client that
 * closes its connection takes its request out of the queue.
 */
export async function handleEmbeddings(
  body: unknown,
  response: ServerResponse,
  engine: ServeEngine,
  model: ModelNames,
  queue: BatchQueue,
): Promise<number> {
  const gone = new AbortController();
  // 'close' on the response before it was written: the client went away (or the socket broke).
  const onClose = (): void => {
    if (!response.writableFinished) gone.abort();
  };
  response.once('close', onClose);
  try {
    const parsed = parseCreateRequest(body, model, engine.info().hiddenSize);
    const { vectors, tokens } = await queue.submit(
      {
        texts: parsed.inputs,
        dimensions: parsed.dimensions,
        kind: parsed.inputType,
        instruction: parsed.instruction,
      },
      gone.signal,
    );
    sendJson(response, 200, embeddingsResponse(vectors, tokens, parsed.encoding, model.id));
    return 200;
  } catch (error) {
    // Nobody to answer: counted as nginx counts it, 499 "client closed request".
    if (gone.signal.aborted) return 499;
    const failure = toOpenAIError(error);
    const headers: Record<string, string> =
      failure.status === 429 ? { 'retry-after': String(queue.retryAfterSeconds()) } : {};
    sendError(response, failure, headers);
    return failure.status;
  }
}
