/**
 * Bad input to the built CLI (`bin/tabembed.js`): JSONL on stdin, flags on the command line. A
 * command line it cannot use ends with the usage and exit 2 (`usage`); anything found later ends
 * with `tabembed: CODE: message` and exit 1. Either way nothing is written to stdout. Every rule
 * for a line, through every reader, is in tests/search/json-lines.test.ts; here a few of them
 * through the whole command.
 */
import type { BadInput } from './bad-input.ts';

const MODEL = 'public/models/qwen3-tiny';
const EMBED = ['embed', '--model', MODEL];
const INDEX = ['index', '--model', MODEL, '--model-id', '/m/'];
/** Every refusal comes before anything is written, so this folder is never made. */
const PACK = ['pack-model', MODEL, 'test-results/never-packed'];

function cli(kind: string, args: readonly string[], stdin: string, expect: BadInput['expect']): BadInput {
  return { surface: 'cli', kind, args, stdin, expect };
}

export const CLI_CASES: BadInput[] = [
  cli('embed: a line that is not JSON', EMBED, '"fine"\n{"text": \n', {
    code: 'SOURCE_INVALID',
    names: '<stdin>:2: not JSON (',
  }),
  cli('embed: an object without text', EMBED, '"fine"\n{"id":3}\n', {
    code: 'SOURCE_INVALID',
    names: '<stdin>:2: "text" is missing, not a string; each line must be a non-empty string, or {',
  }),
  cli('embed: an empty text', EMBED, '"ok"\n\n""\n', { code: 'SOURCE_INVALID', names: '<stdin>:3: the text is empty' }),
  cli('embed: no items', EMBED, '\n \n', { code: 'SOURCE_INVALID', names: '<stdin> holds no items' }),
  cli('embed: a UTF-8 byte-order mark', [...EMBED, '--dtype', 'fp32'], '\uFEFF"Hello world"\n', {
    accepted: 'read as if it were not there: the same output',
    sameAsStdin: '"Hello world"\n',
  }),
  cli('embed: a --model folder that does not exist', ['embed', '--model', '/a/folder/that/does/not/exist'], '"x"\n', {
    code: 'MODEL_FILE_MISSING',
    names:
      'no folder /a/folder/that/does/not/exist exists, and "/a/folder/that/does/not/exist" is not a Hub model id (owner/name) or an http(s) URL either',
  }),
  cli('embed: a folder without a model', ['embed', '--model', 'tests'], '"x"\n', {
    code: 'MODEL_FILE_MISSING',
    names: 'config.json',
  }),
  cli('embed: an unknown --dtype', [...EMBED, '--dtype', 'q5'], '"x"\n', {
    code: 'usage',
    names: '--dtype must be one of auto, fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4, got q5',
  }),
  cli('embed: --dimensions not a number', [...EMBED, '--dimensions', 'sixty'], '"x"\n', {
    code: 'usage',
    names: '--dimensions must be a whole number, got sixty',
  }),
  cli('embed: --dimensions not whole', [...EMBED, '--dimensions', '64.5'], '"x"\n', {
    code: 'usage',
    names: '--dimensions must be a whole number, got 64.5',
  }),
  cli('embed: --dimensions under 32', [...EMBED, '--dimensions', '31'], '"x"\n', {
    code: 'INVALID_OPTION',
    names: "dimensions must be a whole number from 32 to 64 (this model's hidden size), got 31",
  }),
  cli('embed: --max-tokens under 2', [...EMBED, '--max-tokens', '1'], '"x"\n', {
    code: 'INVALID_OPTION',
    names: 'maxTokens must be a whole number ≥ 2',
  }),
  cli('embed: an empty --instruction', [...EMBED, '--query', '--instruction', ''], '"x"\n', {
    code: 'INVALID_OPTION',
    names: 'instruction must be a non-empty string',
  }),
  cli('embed: an unknown --backend', [...EMBED, '--backend', 'webgpu'], '"x"\n', {
    code: 'usage',
    names: '--backend must be native or wasm, got webgpu',
  }),
  cli('embed: --idle-timeout 0', [...EMBED, '--idle-timeout', '0'], '"x"\n', {
    code: 'usage',
    names: '--idle-timeout must be a positive number of seconds, got 0',
  }),
  cli('embed: no --model', ['embed', '--dimensions', '64'], '"x"\n', { code: 'usage', names: '--model is required' }),
  cli('embed: an unknown flag', [...EMBED, '--verbose'], '"x"\n', {
    code: 'usage',
    names: "Unknown option '--verbose'",
  }),
  cli('no command', [], '"x"\n', { code: 'usage', names: 'missing command' }),
  cli('an unknown command', ['embd', '--model', MODEL], '"x"\n', { code: 'usage', names: 'unknown command "embd"' }),
  cli('index: a javascript: url', INDEX, '"fine"\n{"id":"x","text":"ok","url":"javascript:alert(1)"}\n', {
    code: 'SOURCE_INVALID',
    names: '<stdin>:2: "url" is "javascript:alert(1)", not an http(s) or relative URL',
  }),
  cli('index: a line that is not JSON', INDEX, '"fine"\n{"text":\n', {
    code: 'SOURCE_INVALID',
    names: '<stdin>:2: not JSON',
  }),
  cli('index: an id used twice', INDEX, '{"id":"a","text":"one"}\n{"id":"a","text":"two"}\n', {
    code: 'SOURCE_INVALID',
    names: '<stdin>:2: id "a" is already used by <stdin>:1',
  }),
  cli('index: a blank text', INDEX, '"fine"\n"  "\n', {
    code: 'SOURCE_INVALID',
    names: '<stdin>:2: the text is empty',
  }),
  cli('index: an empty corpus', ['index', '--model', MODEL], '\n\n', {
    code: 'SOURCE_INVALID',
    names: '<stdin> holds no items',
  }),
  cli('index: a byte-order mark before a JSON array', INDEX, '\uFEFF["first text", "second text"]', {
    accepted: 'read as if it were not there: the same index',
    sameAsStdin: '["first text", "second text"]',
  }),
  cli('index: a byte-order mark before JSONL', INDEX, '\uFEFF"first text"\n"second text"\n', {
    accepted: 'read as if it were not there: the same index',
    sameAsStdin: '"first text"\n"second text"\n',
  }),
  cli('index: no --model', ['index', '--dimensions', '32'], '"x"\n', { code: 'usage', names: '--model is required' }),
  cli('index: --query, a flag of embed', [...INDEX, '--query'], '"x"\n', {
    code: 'usage',
    names: "Unknown option '--query'",
  }),
  cli('index: an empty --model-id', ['index', '--model', MODEL, '--model-id', ''], '"x"\n', {
    code: 'usage',
    names: '--model-id must not be empty',
  }),
  cli('index: --encoding without --out', [...INDEX, '--encoding', 'int8'], '"x"\n', {
    code: 'usage',
    names: '--encoding, --shard-rows and --lexical write a compact index, a head and shard files: give --out <dir>',
  }),
  cli('index: an unknown --encoding', [...INDEX, '--out', 'never-written', '--encoding', 'int4'], '"x"\n', {
    code: 'usage',
    names: '--encoding must be one of float32, int8, binary, got int4',
  }),
  cli('index: --base-url without --site', [...INDEX, '--base-url', '/docs/'], '"x"\n', {
    code: 'usage',
    names: "--base-url places a built site's pages: give --site <folder>",
  }),
  cli('index: a --site that is not a folder', [...INDEX, '--site', 'no-such-site'], '', {
    code: 'SOURCE_INVALID',
    names: '--site no-such-site: not a folder; give the folder your site was built into',
  }),
  cli('pack-model: a --max-file-size below a file read whole', [...PACK, '--max-file-size', '2MiB'], '', {
    code: 'INVALID_OPTION',
    names: 'tokenizer.json is 5363534 bytes, over --max-file-size 2097152, and is read whole (it cannot be split)',
  }),
  cli('pack-model: a --max-file-size that is not a size', [...PACK, '--max-file-size', '2 parsecs'], '', {
    code: 'INVALID_OPTION',
    names: '--max-file-size must be a size such as 25MiB or 26214400, got 2 parsecs',
  }),
  cli('pack-model: an unknown --dtype', [...PACK, '--dtype', 'q8,q5'], '', {
    code: 'INVALID_OPTION',
    names: '--dtype q5 is not one of fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4',
  }),
  cli('pack-model: a model folder without a config.json', ['pack-model', 'tests', 'test-results/never-packed'], '', {
    code: 'MODEL_FILE_MISSING',
    names: 'is not a model folder: it has no config.json',
  }),
  cli('pack-model: one folder only', ['pack-model', MODEL], '', {
    code: 'usage',
    names: 'pack-model takes two folders: the model folder and the folder to write',
  }),
];
