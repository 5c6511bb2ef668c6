/**
 * Bad requests to the OpenAI facade (`embeddings.create`, a page's call) and to the in-tab
 * `/v1/embeddings` route (an HTTP request: the service worker's own checks, then the hosting
 * tab's facade), over the Node engine on the fixture model served as "qwen3-tiny".
 */
import type { BadInput } from './bad-input.ts';

const MODEL = 'qwen3-tiny';

function create(kind: string, body: Record<string, unknown>, expect: BadInput['expect'], given?: string): BadInput {
  return { surface: 'openai', kind, body: { model: MODEL, ...body }, expect, ...(given ? { given } : {}) };
}

export const OPENAI_CASES: BadInput[] = [
  create(
    'an empty string',
    { input: '' },
    { code: 'empty_input', status: 400, names: 'input is an empty string', item: 'input' },
  ),
  create(
    'an empty array',
    { input: [] },
    { code: 'empty_input', status: 400, names: 'input is an empty array', item: 'input' },
  ),
  create(
    'an empty item',
    { input: ['a', 'b', 'c', ''] },
    { code: 'empty_input', status: 400, names: 'input[3] is an empty string', item: 'input[3]' },
  ),
  create(
    'a non-string item',
    { input: ['a', 'b', null, 4] },
    { code: 'invalid_input', status: 400, names: 'input[2] must be a string, got null', item: 'input[2]' },
  ),
  create(
    'an object as input',
    { input: { text: 'a' } },
    {
      code: 'invalid_input',
      status: 400,
      names: 'input must be a string or an array of strings, got object',
      item: 'input',
    },
  ),
  create(
    'one token array',
    { input: [9707, 1879] },
    { code: 'token_arrays_unsupported', status: 400, names: 'token arrays are not supported', item: 'input' },
  ),
  create(
    'several token arrays',
    { input: [[9707], [1879, 11]] },
    { code: 'token_arrays_unsupported', status: 400, names: 'token arrays are not supported', item: 'input' },
  ),
  create(
    'too many inputs',
    { input: Array.from({ length: 2049 }, () => 'x') },
    {
      code: 'too_many_inputs',
      status: 413,
      names: 'input has 2049 items; this server takes at most 2048 per request',
      item: 'input',
    },
    '{ model: "qwen3-tiny", input: ["x" × 2049] }',
  ),
  create(
    'an input over 8192 tokens',
    { input: ['short', 'hello '.repeat(9000)] },
    {
      code: 'input_too_long',
      status: 413,
      names: "input[1] is 9002 tokens (with the final <|endoftext|>), over this embedder's limit of 8192",
      item: 'input[1]',
    },
    '{ model: "qwen3-tiny", input: ["short", "hello " × 9000] }',
  ),
  ...[16, 65, 32.5, '64'].map((dimensions) =>
    create(
      `dimensions ${typeof dimensions === 'string' ? 'as a string' : String(dimensions)}`,
      { input: 'a', dimensions },
      {
        code: 'invalid_dimensions',
        status: 400,
        names: `dimensions must be a whole number from 32 to 64 (this model's size), got ${typeof dimensions === 'string' ? `"${dimensions}"` : String(dimensions)}`,
        item: 'dimensions',
      },
    ),
  ),
  create(
    'an unknown encoding_format',
    { input: 'a', encoding_format: 'int8' },
    {
      code: 'invalid_encoding_format',
      status: 400,
      names: 'encoding_format must be "float" or "base64", got "int8"',
      item: 'encoding_format',
    },
  ),
  create(
    'an unknown input_type',
    { input: 'a', input_type: 'passage' },
    {
      code: 'invalid_input_type',
      status: 400,
      names: 'input_type must be "query" or "document", got "passage"',
      item: 'input_type',
    },
  ),
  create(
    'a blank instruction',
    { input: 'a', input_type: 'query', instruction: ' ' },
    { code: 'invalid_instruction', status: 400, names: 'instruction must be a non-empty string', item: 'instruction' },
  ),
  create(
    'an instruction for documents',
    { input: 'a', instruction: 'Find answers' },
    { code: 'invalid_instruction', status: 400, names: 'instruction applies to queries only', item: 'instruction' },
  ),
  create(
    'a user that is not a string',
    { input: 'a', user: 7 },
    { code: 'invalid_user', status: 400, names: 'user must be a string, got 7', item: 'user' },
  ),
  {
    surface: 'openai',
    kind: 'no model',
    body: { input: 'a' },
    expect: {
      code: 'missing_model',
      status: 400,
      names: 'model must be a non-empty string naming the loaded model',
      item: 'model',
    },
  },
  create(
    'another model',
    { model: 'text-embedding-3-small', input: 'a' },
    {
      code: 'model_not_found',
      status: 404,
      names: 'The model `text-embedding-3-small` does not exist here: this tab serves "qwen3-tiny"',
      item: 'model',
    },
  ),
];

const GOOD_BODY = JSON.stringify({ model: MODEL, input: 'cats purr' });

export const ROUTE_CASES: BadInput[] = [
  {
    surface: 'route',
    kind: 'GET on /v1/embeddings',
    method: 'GET',
    path: '/v1/embeddings',
    body: '',
    expect: {
      code: 'method_not_allowed',
      status: 405,
      names: 'GET is not allowed on /v1/embeddings: use POST',
      item: null,
    },
  },
  {
    surface: 'route',
    kind: 'PUT on /v1/models',
    method: 'PUT',
    path: '/v1/models',
    body: GOOD_BODY,
    expect: { code: 'method_not_allowed', status: 405, names: 'PUT is not allowed on /v1/models: use GET', item: null },
  },
  {
    surface: 'route',
    kind: 'a body that is not JSON',
    method: 'POST',
    path: '/v1/embeddings',
    body: '{"model": "qwen3-tiny", "input": ',
    expect: { code: 'invalid_json', status: 400, names: 'the request body is not valid JSON', item: null },
  },
  {
    surface: 'route',
    kind: 'an empty body',
    method: 'POST',
    path: '/v1/embeddings',
    body: '',
    expect: { code: 'invalid_json', status: 400, names: 'the request body is not valid JSON', item: null },
  },
  {
    surface: 'route',
    kind: 'JSON that is not an object',
    method: 'POST',
    path: '/v1/embeddings',
    body: '[{"model": "qwen3-tiny"}]',
    expect: {
      code: 'invalid_body',
      status: 400,
      names: 'the request body must be a JSON object with "model" and "input", got an array',
      item: null,
    },
  },
  {
    surface: 'route',
    kind: 'a model the tab does not serve',
    method: 'GET',
    path: '/v1/models/gpt-4',
    body: '',
    expect: { code: 'model_not_found', status: 404, names: 'The model `gpt-4` does not exist here', item: 'model' },
  },
];
