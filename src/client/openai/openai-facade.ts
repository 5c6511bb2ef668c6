import type { Embedder } from '../create-embedder.ts';
import { modelNames, modelNotFound, modelObject, type ModelNames } from '../../protocol/openai/model-names.ts';
import { toOpenAIError } from '../../protocol/openai/openai-error.ts';
import type {
  CreateEmbeddingResponse,
  EmbeddingsCreateParams,
  ModelList,
  ModelObject,
} from '../../protocol/openai-types.ts';
import { parseCreateRequest } from '../../protocol/openai/parse-request.ts';
import { embeddingsResponse } from '../../protocol/openai/embeddings-response.ts';

/** The part of an `Embedder` the facade uses (a Node engine can be wrapped to it too). */
export type FacadeEmbedder = Pick<Embedder, 'embedDetailed' | 'info'>;

export interface OpenAIFacadeOptions {
  /** The id `models.list()` shows. Default: the Hub id, or a URL source's last folder name (`qwen3-tiny`). */
  modelId?: string;
  /** More names requests may use, e.g. `['text-embedding-3-small']` for a tool that hard-codes one. */
  aliases?: readonly string[];
}

/** Per-call options, as the `openai` client's second argument takes them. */
export interface FacadeRequestOptions {
  /** Aborts the call: it rejects with 503 `ABORTED`, and batches not yet run are not run. */
  signal?: AbortSignal;
}

export interface OpenAIFacade {
  embeddings: {
    create(
      params: EmbeddingsCreateParams & { encoding_format: 'base64' },
      options?: FacadeRequestOptions,
    ): Promise<CreateEmbeddingResponse<string>>;
    create(params: EmbeddingsCreateParams, options?: FacadeRequestOptions): Promise<CreateEmbeddingResponse>;
    /** The same call for a body nobody has checked yet (what the route receives). */
    createFromBody(body: unknown, options?: FacadeRequestOptions): Promise<CreateEmbeddingResponse<number[] | string>>;
  };
  models: {
    list(): Promise<ModelList>;
    /** Rejects with 404 `model_not_found` for any name the facade does not accept. */
    retrieve(id: string): Promise<ModelObject>;
  };
  /** The names the model answers to. */
  readonly model: ModelNames;
}

/**
 * OpenAI's embeddings API over an embedder in this page, with OpenAI's request and response
 * shapes, so code written against `new OpenAI().embeddings` runs unchanged. No network.
 *
 * @example
 * const openai = openAIFacade(await createEmbedder({ model: { url: '/models/qwen3-tiny/' } }));
 * await openai.embeddings.create({ model: 'qwen3-tiny', input: ['a', 'b'], dimensions: 32 });
 * // { object: 'list', data: [{ object: 'embedding', index: 0, embedding: number[32] }, …],
 * //   model: 'qwen3-tiny', usage: { prompt_tokens: 4, total_tokens: 4 } }
 * await openai.embeddings.create({ model: 'qwen3-tiny', input: 'where?', input_type: 'query', instruction: 'Find answers' });
 * await openai.embeddings.create({ model: 'qwen3-tiny', input: texts }, { signal: AbortSignal.timeout(5_000) });
 * // Rejects with OpenAIRequestError: status 400 (invalid_input, empty_input, token_arrays_unsupported,
 * // invalid_dimensions, invalid_encoding_format, …), 404 model_not_found, 413 too_many_inputs /
 * // input_too_long, 500/503 with the engine's EmbedError code (SESSION_FAILED, WORKER_FAILED, ABORTED, …).
 */
export function openAIFacade(embedder: FacadeEmbedder, options: OpenAIFacadeOptions = {}): OpenAIFacade {
  const model = modelNames(embedder.info().model, {
    ...(options.modelId === undefined ? {} : { id: options.modelId }),
    ...(options.aliases ? { aliases: options.aliases } : {}),
  });
  // When this page started serving the model: OpenAI's `created` is the model's release date, which we do not know.
  const created = Math.floor(Date.now() / 1000);

  const createFromBody = async (
    body: unknown,
    { signal }: FacadeRequestOptions = {},
  ): Promise<CreateEmbeddingResponse<number[] | string>> => {
    try {
      const request = parseCreateRequest(body, model, embedder.info().hiddenSize);
      // Refused, not truncated: an OpenAI client expects 413 for an input over the limit.
      const { vectors, tokens } = await embedder.embedDetailed(request.inputs, {
        kind: request.inputType,
        instruction: request.instruction,
        dimensions: request.dimensions,
        overLength: 'refuse',
        ...(signal ? { signal } : {}),
      });
      return embeddingsResponse(vectors, tokens, request.encoding, model.id);
    } catch (error) {
      throw toOpenAIError(error);
    }
  };

  return {
    model,
    embeddings: {
      // One implementation behind both overloads: the body decides the embedding's type.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- the body's encoding_format picks the embedding's type at run time, as the overloads say
      create: createFromBody as OpenAIFacade['embeddings']['create'],
      createFromBody,
    },
    models: {
      list: () => Promise.resolve({ object: 'list', data: [modelObject(model, created)] }),
      retrieve: (id) =>
        model.accepted.has(id)
          ? Promise.resolve(modelObject(model, created))
          : Promise.reject(modelNotFound(id, model)),
    },
  };
}
