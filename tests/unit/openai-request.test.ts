/**
 * The OpenAI facade's request checks and error shapes, as plain data: which body is refused,
 * with which HTTP status, `param` and `code`, and what the message tells the caller.
 */
import { describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import { MAX_INPUTS_PER_REQUEST } from '../../src/protocol/openai/limits.ts';
import { modelNames } from '../../src/protocol/openai/model-names.ts';
import { OpenAIRequestError, toOpenAIError } from '../../src/protocol/openai/openai-error.ts';
import { parseCreateRequest } from '../../src/protocol/openai/parse-request.ts';

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

  it('takes up to 2048 inputs, and dimensions up to the hidden size', () => {
    expect(
      parseCreateRequest(
        { model: 'qwen3-tiny', input: Array.from({ length: MAX_INPUTS_PER_REQUEST }, () => 'x') },
        MODEL,
        HIDDEN,
      ).inputs,
    ).toHaveLength(MAX_INPUTS_PER_REQUEST);
    expect(parseCreateRequest({ model: 'qwen3-tiny', input: 'a', dimensions: 64 }, MODEL, HIDDEN).dimensions).toBe(64);
  });

  // Each body it refuses is a case of the bad-input matrix (tests/reliability/cases-openai.ts); here, the shape of one.
  it("refuses in OpenAI's error shape: status, message, type, param and code", () => {
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
