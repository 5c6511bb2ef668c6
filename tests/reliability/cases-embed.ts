/**
 * Bad input to `embed()` and to loading, on the Node engine over the fixture model (hidden size
 * 64, maxTokens 8192). The browser worker runs the same engine and the same checks
 * (src/core/validate.ts); the page also checks the options' names, since only known ones cross.
 */
import type { BadInput } from './bad-input.ts';

const OVER_LIMIT = 'hello '.repeat(9000);
// eslint-disable-next-line no-sparse-arrays -- the input under test
const SPARSE = [, 'cats purr'];

export const EMBED_CASES: BadInput[] = [
  {
    surface: 'embed',
    kind: 'texts not an array',
    texts: 'cats purr',
    expect: { code: 'INVALID_INPUT', names: 'texts must be an array of strings, got "cats purr"' },
  },
  {
    surface: 'embed',
    kind: 'an array-like object',
    texts: { length: 1, 0: 'cats purr' },
    expect: { code: 'INVALID_INPUT', names: 'texts must be an array of strings, got object' },
  },
  {
    surface: 'embed',
    kind: 'an empty array',
    texts: [],
    expect: { code: 'INVALID_INPUT', names: 'texts is empty' },
  },
  {
    surface: 'embed',
    kind: 'a hole in a sparse array',
    texts: SPARSE,
    given: '[<hole>, "cats purr"]',
    expect: { code: 'INVALID_INPUT', names: 'texts[0] is missing (a hole in a sparse array)', item: 0 },
  },
  {
    surface: 'embed',
    kind: 'a number among the texts',
    texts: ['a', 'b', 42, 'd'],
    expect: { code: 'INVALID_INPUT', names: 'texts[2] must be a string, got 42', item: 2 },
  },
  {
    surface: 'embed',
    kind: 'several bad items',
    texts: ['ok', null, ''],
    expect: { code: 'INVALID_INPUT', names: 'texts[1] must be a string, got null', item: 1 },
  },
  {
    surface: 'embed',
    kind: 'an empty string',
    texts: ['cats purr', ''],
    expect: { code: 'INVALID_INPUT', names: 'texts[1] is an empty string', item: 1 },
  },
  {
    surface: 'embed',
    kind: 'a lone surrogate',
    texts: ['\uD800'],
    expect: { accepted: 'embedded as U+FFFD is: the same vector', sameAs: ['\uFFFD'] },
  },
  {
    surface: 'embed',
    kind: 'only whitespace',
    texts: [' '],
    expect: { accepted: 'embedded: a space is a token like any other' },
  },
  {
    surface: 'embed',
    kind: "a text over maxTokens with overLength 'refuse'",
    texts: ['short', OVER_LIMIT],
    options: { overLength: 'refuse' },
    given: '["short", "hello " × 9000], { overLength: "refuse" }',
    expect: {
      code: 'INPUT_TOO_LONG',
      names: "texts[1] is 9002 tokens (with the final <|endoftext|>), over this embedder's limit of 8192",
      item: 1,
    },
  },
  {
    surface: 'embed',
    kind: 'an unknown overLength',
    texts: ['cats purr'],
    options: { overLength: 'error' },
    expect: { code: 'INVALID_OPTION', names: 'overLength must be "truncate" or "refuse", got "error"' },
  },
  {
    surface: 'embed',
    kind: 'a bad kind',
    texts: ['cats purr'],
    options: { kind: 'passage' },
    expect: { code: 'INVALID_OPTION', names: 'kind must be "query" or "document", got "passage"' },
  },
  ...[0, 31, 32.5, 65, Number.NaN, '64', null].map((dimensions): BadInput => ({
    surface: 'embed',
    kind: `dimensions ${typeof dimensions === 'string' ? 'as a string' : String(dimensions)}`,
    texts: ['cats purr'],
    options: { dimensions },
    expect: {
      code: 'INVALID_OPTION',
      names: `dimensions must be a whole number from 32 to 64 (this model's hidden size), got ${typeof dimensions === 'string' ? `"${dimensions}"` : String(dimensions)}`,
    },
  })),
  {
    surface: 'embed',
    kind: 'an instruction that is not a string',
    texts: ['what do cats eat'],
    options: { kind: 'query', instruction: 42 },
    expect: {
      code: 'INVALID_OPTION',
      names: 'instruction must be a non-empty string (a one-sentence task description), got 42',
    },
  },
  {
    surface: 'embed',
    kind: 'an empty instruction',
    texts: ['what do cats eat'],
    options: { kind: 'query', instruction: '' },
    expect: { code: 'INVALID_OPTION', names: 'instruction must be a non-empty string' },
  },
  {
    surface: 'embed',
    kind: 'a misspelt option',
    texts: ['cats purr'],
    options: { dimension: 32 },
    expect: {
      code: 'INVALID_OPTION',
      names: 'options.dimension is not an option of embed; it takes kind, instruction, dimensions',
    },
  },
  {
    surface: 'embed',
    kind: 'options that are not an object',
    texts: ['cats purr'],
    options: 'query',
    expect: { code: 'INVALID_OPTION', names: 'options must be an object such as { kind: \'query\' }, got "query"' },
  },
  {
    surface: 'embed',
    kind: 'an onBatch that is not a function',
    texts: ['cats purr'],
    options: { onBatch: true },
    expect: { code: 'INVALID_OPTION', names: 'onBatch must be a function, got true' },
  },
  {
    surface: 'embed',
    kind: 'a signal that is not an AbortSignal',
    texts: ['cats purr'],
    options: { signal: 'stop' },
    expect: { code: 'INVALID_OPTION', names: 'signal must be an AbortSignal, got "stop"' },
  },
  {
    surface: 'embed',
    kind: 'an unknown priority (Node)',
    texts: ['cats purr'],
    options: { priority: 'urgent' },
    expect: { code: 'INVALID_OPTION', names: 'priority must be "high" or "normal", got "urgent"' },
  },
  {
    surface: 'embed',
    kind: 'an unknown dtype',
    load: { dtype: 'q5' },
    expect: {
      code: 'INVALID_OPTION',
      names: 'dtype must be "auto" or one of fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4, got "q5"',
    },
  },
  {
    surface: 'embed',
    kind: 'maxTokens under 2',
    load: { maxTokens: 1 },
    expect: {
      code: 'INVALID_OPTION',
      names: 'maxTokens must be a whole number ≥ 2 (room for text and <|endoftext|>), got 1',
    },
  },
  {
    surface: 'embed',
    kind: 'an unknown backend',
    load: { backend: 'gpu' },
    expect: { code: 'INVALID_OPTION', names: 'backend must be "native" or "wasm", got "gpu"' },
  },
  {
    surface: 'embed',
    kind: 'a misspelt load option',
    load: { dtpye: 'q4' },
    expect: { code: 'INVALID_OPTION', names: 'options.dtpye is not an option of createNodeEmbedder' },
  },
  {
    surface: 'embed',
    kind: 'a model folder that does not exist',
    load: { model: 'no/such/model/folder' },
    expect: {
      code: 'MODEL_FILE_MISSING',
      names: 'exists, and "no/such/model/folder" is not a Hub model id (owner/name) or an http(s) URL either',
    },
  },
  {
    surface: 'embed',
    kind: 'a folder without a model',
    load: { model: 'tests' },
    expect: { code: 'MODEL_FILE_MISSING', names: 'config.json' },
  },
];
