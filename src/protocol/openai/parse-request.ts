import { isRecord } from '../../core/is-record.ts';
import { describeInput, MIN_DIMENSIONS } from '../../core/validate.ts';
import { MAX_INPUTS_PER_REQUEST } from './limits.ts';
import { modelNotFound, type ModelNames } from './model-names.ts';
import { OpenAIRequestError } from './openai-error.ts';
import type { EncodingFormat, InputType } from '../openai-types.ts';

/** A create request after its checks: what the engine is asked to do. */
export interface EmbeddingsRequest {
  inputs: string[];
  dimensions: number | undefined;
  encoding: EncodingFormat;
  inputType: InputType;
  instruction: string | undefined;
}

/**
 * Checks a create body (any JSON value: the route hands over what the network sent) in a fixed
 * order, body → model → input → options, and throws the first refusal as an
 * `OpenAIRequestError` naming the field (`input[3]`) and the rule. Token limits need the
 * tokenizer and are checked after this, in the facade. Unknown fields are ignored, as the
 * official client never sends any.
 */
export function parseCreateRequest(body: unknown, model: ModelNames, hiddenSize: number): EmbeddingsRequest {
  if (!isRecord(body))
    throw new OpenAIRequestError(
      400,
      'invalid_body',
      null,
      `the request body must be a JSON object with "model" and "input", got ${describeInput(body)}`,
    );
  if (typeof body['model'] !== 'string' || body['model'].length === 0) {
    throw new OpenAIRequestError(
      400,
      'missing_model',
      'model',
      `model must be a non-empty string naming the loaded model ("${model.id}"), got ${describeInput(body['model'])}`,
    );
  }
  if (!model.accepted.has(body['model'])) throw modelNotFound(body['model'], model, ' (GET /v1/models lists it)');
  const inputs = parseInput(body['input']);
  const inputType = parseInputType(body['input_type']);
  const instruction = body['instruction'];
  if (instruction !== undefined) {
    if (typeof instruction !== 'string' || instruction.trim().length === 0) {
      throw new OpenAIRequestError(
        400,
        'invalid_instruction',
        'instruction',
        `instruction must be a non-empty string (a one-sentence task description), got ${describeInput(instruction)}`,
      );
    }
    if (inputType !== 'query') {
      throw new OpenAIRequestError(
        400,
        'invalid_instruction',
        'instruction',
        'instruction applies to queries only: add "input_type": "query", or drop the instruction for documents',
      );
    }
  }
  const user = body['user'];
  if (user !== undefined && typeof user !== 'string')
    throw new OpenAIRequestError(400, 'invalid_user', 'user', `user must be a string, got ${describeInput(user)}`);
  return {
    inputs,
    dimensions: parseDimensions(body['dimensions'], hiddenSize),
    encoding: parseEncoding(body['encoding_format']),
    inputType,
    instruction,
  };
}

function parseInput(input: unknown): string[] {
  if (typeof input === 'string') {
    if (input.length === 0)
      throw new OpenAIRequestError(400, 'empty_input', 'input', 'input is an empty string: there is nothing to embed');
    return [input];
  }
  if (!Array.isArray(input))
    throw new OpenAIRequestError(
      400,
      'invalid_input',
      'input',
      `input must be a string or an array of strings, got ${describeInput(input)}`,
    );
  if (input.length === 0)
    throw new OpenAIRequestError(
      400,
      'empty_input',
      'input',
      'input is an empty array: pass at least one string to embed',
    );
  if (input.length > MAX_INPUTS_PER_REQUEST) {
    throw new OpenAIRequestError(
      413,
      'too_many_inputs',
      'input',
      `input has ${input.length} items; this server takes at most ${MAX_INPUTS_PER_REQUEST} per request: send them in several requests`,
    );
  }
  const items: unknown[] = input;
  if (
    items.every((item) => typeof item === 'number') ||
    items.some((item) => Array.isArray(item) && item.every((token) => typeof token === 'number'))
  ) {
    throw new OpenAIRequestError(
      400,
      'token_arrays_unsupported',
      'input',
      'token arrays are not supported: this model has its own tokenizer, so send the text as strings',
    );
  }
  return items.map((item, index) => {
    if (typeof item !== 'string')
      throw new OpenAIRequestError(
        400,
        'invalid_input',
        `input[${index}]`,
        `input[${index}] must be a string, got ${describeInput(item)}`,
      );
    if (item.length === 0)
      throw new OpenAIRequestError(
        400,
        'empty_input',
        `input[${index}]`,
        `input[${index}] is an empty string: there is nothing to embed`,
      );
    return item;
  });
}

function parseDimensions(dimensions: unknown, hiddenSize: number): number | undefined {
  if (dimensions === undefined || dimensions === null) return undefined;
  if (
    typeof dimensions !== 'number' ||
    !Number.isInteger(dimensions) ||
    dimensions < MIN_DIMENSIONS ||
    dimensions > hiddenSize
  ) {
    throw new OpenAIRequestError(
      400,
      'invalid_dimensions',
      'dimensions',
      `dimensions must be a whole number from ${MIN_DIMENSIONS} to ${hiddenSize} (this model's size), got ${describeInput(dimensions)}`,
    );
  }
  return dimensions;
}

function parseEncoding(format: unknown): EncodingFormat {
  if (format === undefined || format === null || format === 'float') return 'float';
  if (format === 'base64') return 'base64';
  throw new OpenAIRequestError(
    400,
    'invalid_encoding_format',
    'encoding_format',
    `encoding_format must be "float" or "base64", got ${describeInput(format)}`,
  );
}

function parseInputType(inputType: unknown): InputType {
  if (inputType === undefined || inputType === null || inputType === 'document') return 'document';
  if (inputType === 'query') return 'query';
  throw new OpenAIRequestError(
    400,
    'invalid_input_type',
    'input_type',
    `input_type must be "query" or "document", got ${describeInput(inputType)}`,
  );
}
