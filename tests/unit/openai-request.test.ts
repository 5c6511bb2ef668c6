/**
 * The OpenAI facade's request checks and error shapes, as plain data: which body is refused,
 * with which HTTP status, `param` and `code`, and what the message tells the caller.
 */
import { describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import { MAX_INPUTS_PER_REQUEST } from '../../src/client/openai/limits.ts';
import { modelNames } from '../../src/client/openai/model-names.ts';
import { OpenAIRequestError, toOpenAIError } from '../../src/client/openai/openai-error.ts';
import { parseCreateRequest } from '../../src/client/openai/parse-request.ts';

const MODEL = modelNames('http://localhost:4173/models/qwen3-tiny/');
const HIDDEN = 64;

/** The refusal a body gets, as the route would send it. */
function refusal(body: unknown): { status: number; body: OpenAIRequestError['body'] } {
  try {
    parseCreateRequest(body, MODEL, HIDDEN);
  } catch (error) {
    if (error instanceof OpenAIRequestError) return { status: error.status, body: error.body };
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(body)} to be refused`);
}

describe('model names', () => {
  it('serves a URL source by its folder name and accepts the URL itself', () => {
    expect(MODEL.id).toBe('qwen3-tiny');
    expect([...MODEL.accepted].sort()).toEqual(['http://localhost:4173/models/qwen3-tiny/', 'qwen3-tiny']);
    expect(MODEL.owner).toBe('local');
  });

  it('serves a Hub id as it is, owned by its organisation, and accepts its short name and the aliases given', () => {
    const hub = modelNames('onnx-community/Qwen3-Embedding-0.6B-ONNX', { aliases: ['text-embedding-3-small'] });
    expect(hub.id).toBe('onnx-community/Qwen3-Embedding-0.6B-ONNX');
    expect(hub.owner).toBe('onnx-community');
    expect([...hub.accepted].sort()).toEqual([
      'Qwen3-Embedding-0.6B-ONNX',
      'onnx-community/Qwen3-Embedding-0.6B-ONNX',
      'text-embedding-3-small',
    ]);
    expect(hub.accepted.has('qwen3-embedding-0.6b-onnx')).toBe(false);
  });
});

describe('parseCreateRequest', () => {
  it('takes one string or a list, documents and float by default', () => {
    expect(parseCreateRequest({ model: 'qwen3-tiny', input: 'hello' }, MODEL, HIDDEN)).toEqual({
      inputs: ['hello'],
      dimensions: undefined,
      encoding: 'float',
      inputType: 'document',
      instruction: undefined,
    });
    expect(
      parseCreateRequest(
        { model: 'qwen3-tiny', input: ['a', 'b'], dimensions: 32, encoding_format: 'base64', user: 'u1' },
        MODEL,
        HIDDEN,
      ),
    ).toEqual({
      inputs: ['a', 'b'],
      dimensions: 32,
      encoding: 'base64',
      inputType: 'document',
      instruction: undefined,
    });
  });

  it('takes queries with an instruction through input_type', () => {
    expect(
      parseCreateRequest(
        { model: 'qwen3-tiny', input: 'q', input_type: 'query', instruction: 'Find answers' },
        MODEL,
        HIDDEN,
      ),
    ).toMatchObject({ inputType: 'query', instruction: 'Find answers' });
  });

  it('refuses an empty string, an empty list and an empty item with 400, naming the item', () => {
    expect(refusal({ model: 'qwen3-tiny', input: '' })).toEqual({
      status: 400,
      body: {
        error: {
          message: 'input is an empty string: there is nothing to embed',
          type: 'invalid_request_error',
          param: 'input',
          code: 'empty_input',
        },
      },
    });
    expect(refusal({ model: 'qwen3-tiny', input: [] }).body.error).toMatchObject({
      param: 'input',
      code: 'empty_input',
    });
    expect(refusal({ model: 'qwen3-tiny', input: ['a', 'b', 'c', ''] }).body.error).toMatchObject({
      param: 'input[3]',
      code: 'empty_input',
      message: 'input[3] is an empty string: there is nothing to embed',
    });
  });

  it('refuses items that are not strings with 400, naming the first', () => {
    expect(refusal({ model: 'qwen3-tiny', input: ['a', 'b', null, 4] })).toMatchObject({
      status: 400,
      body: { error: { param: 'input[2]', code: 'invalid_input', message: 'input[2] must be a string, got null' } },
    });
    expect(refusal({ model: 'qwen3-tiny', input: { text: 'a' } }).body.error).toMatchObject({
      param: 'input',
      code: 'invalid_input',
    });
  });

  it('refuses token arrays, one or several, saying they are not supported', () => {
    for (const input of [
      [9707, 1879],
      [[9707], [1879, 11]],
    ]) {
      const { status, body } = refusal({ model: 'qwen3-tiny', input });
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ param: 'input', code: 'token_arrays_unsupported' });
      expect(body.error.message).toContain('token arrays are not supported');
    }
  });

  it(`refuses more than ${MAX_INPUTS_PER_REQUEST} inputs with 413 before looking at them`, () => {
    expect(
      parseCreateRequest(
        { model: 'qwen3-tiny', input: Array.from({ length: MAX_INPUTS_PER_REQUEST }, () => 'x') },
        MODEL,
        HIDDEN,
      ).inputs,
    ).toHaveLength(MAX_INPUTS_PER_REQUEST);
    const { status, body } = refusal({
      model: 'qwen3-tiny',
      input: Array.from({ length: MAX_INPUTS_PER_REQUEST + 1 }, () => 1),
    });
    expect(status).toBe(413);
    expect(body.error).toMatchObject({
      param: 'input',
      code: 'too_many_inputs',
      message: 'input has 2049 items; this server takes at most 2048 per request: send them in several requests',
    });
  });

  it('refuses dimensions that are not whole numbers from 32 to the hidden size', () => {
    for (const dimensions of [31, 65, 32.5, '64', 0, -1]) {
      expect(refusal({ model: 'qwen3-tiny', input: 'a', dimensions })).toMatchObject({
        status: 400,
        body: { error: { param: 'dimensions', code: 'invalid_dimensions' } },
      });
    }
    expect(refusal({ model: 'qwen3-tiny', input: 'a', dimensions: 65 }).body.error.message).toBe(
      "dimensions must be a whole number from 32 to 64 (this model's size), got 65",
    );
    expect(parseCreateRequest({ model: 'qwen3-tiny', input: 'a', dimensions: 64 }, MODEL, HIDDEN).dimensions).toBe(64);
  });

  it('refuses an encoding_format other than float and base64, and a bad input_type, instruction or user', () => {
    expect(refusal({ model: 'qwen3-tiny', input: 'a', encoding_format: 'int8' })).toMatchObject({
      status: 400,
      body: { error: { param: 'encoding_format', code: 'invalid_encoding_format' } },
    });
    expect(refusal({ model: 'qwen3-tiny', input: 'a', input_type: 'passage' }).body.error).toMatchObject({
      param: 'input_type',
      code: 'invalid_input_type',
    });
    expect(
      refusal({ model: 'qwen3-tiny', input: 'a', input_type: 'query', instruction: ' ' }).body.error,
    ).toMatchObject({ param: 'instruction', code: 'invalid_instruction' });
    expect(refusal({ model: 'qwen3-tiny', input: 'a', instruction: 'Find answers' }).body.error.message).toBe(
      'instruction applies to queries only: add "input_type": "query", or drop the instruction for documents',
    );
    expect(refusal({ model: 'qwen3-tiny', input: 'a', user: 7 }).body.error).toMatchObject({
      param: 'user',
      code: 'invalid_user',
    });
  });

  it('refuses a missing model with 400 and another model with 404, naming the one served', () => {
    expect(refusal({ input: 'a' })).toMatchObject({
      status: 400,
      body: { error: { param: 'model', code: 'missing_model' } },
    });
    expect(refusal({ model: 'text-embedding-3-small', input: 'a' })).toEqual({
      status: 404,
      body: {
        error: {
          message:
            'The model `text-embedding-3-small` does not exist here: this tab serves "qwen3-tiny" (GET /v1/models lists it)',
          type: 'invalid_request_error',
          param: 'model',
          code: 'model_not_found',
        },
      },
    });
    expect(refusal([{ model: 'qwen3-tiny' }])).toMatchObject({
      status: 400,
      body: { error: { param: null, code: 'invalid_body' } },
    });
  });
});

describe('toOpenAIError', () => {
  it('gives engine failures a 5xx server_error that carries the EmbedError code and the item', () => {
    expect(
      toOpenAIError(new EmbedError('SESSION_FAILED', 'onnxruntime failed: out of memory', { index: 3 })).body,
    ).toEqual({
      error: {
        message: 'onnxruntime failed: out of memory',
        type: 'server_error',
        param: 'input[3]',
        code: 'SESSION_FAILED',
      },
    });
    expect(toOpenAIError(new EmbedError('SESSION_FAILED', 'x')).status).toBe(500);
    expect(toOpenAIError(new EmbedError('WORKER_FAILED', 'x')).status).toBe(503);
    expect(toOpenAIError(new EmbedError('NOT_LOADED', 'x')).status).toBe(503);
    expect(toOpenAIError(new EmbedError('INVALID_OPTION', 'x')).body.error.type).toBe('invalid_request_error');
  });

  it('keeps an OpenAIRequestError as it is and wraps anything else as a 500 internal_error', () => {
    const refused = new OpenAIRequestError(413, 'input_too_long', 'input[0]', 'too long');
    expect(toOpenAIError(refused)).toBe(refused);
    expect(toOpenAIError(new TypeError('boom'))).toMatchObject({
      status: 500,
      code: 'internal_error',
      message: 'the embedder failed unexpectedly: boom',
    });
  });
});
