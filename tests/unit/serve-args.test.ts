import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/node/cli-args.ts';
import { parseServeCommand } from '../../src/node/serve/serve-args.ts';

describe('tabembed serve flags', () => {
  it('default to 127.0.0.1:8080, a queue of 1024 texts, batching on, native, dtype auto', () => {
    expect(parseServeCommand(['serve', '--model', 'public/models/qwen3-tiny'])).toEqual({
      model: 'public/models/qwen3-tiny',
      modelId: undefined,
      dtype: 'auto',
      backend: 'native',
      maxTokens: undefined,
      idleTimeoutMs: undefined,
      host: '127.0.0.1',
      port: 8080,
      maxQueue: 1024,
      batching: true,
    });
  });

  it('read every flag', () => {
    expect(
      parseServeCommand([
        'serve',
        '--model',
        'onnx-community/Qwen3-Embedding-0.6B-ONNX',
        '--model-id',
        'qwen3',
        '--dtype',
        'q4',
        '--backend',
        'wasm',
        '--max-tokens',
        '512',
        '--idle-timeout',
        '2.5',
        '--host',
        '0.0.0.0',
        '--port',
        '0',
        '--max-queue',
        '1',
        '--no-batching',
      ]),
    ).toEqual({
      model: 'onnx-community/Qwen3-Embedding-0.6B-ONNX',
      modelId: 'qwen3',
      dtype: 'q4',
      backend: 'wasm',
      maxTokens: 512,
      idleTimeoutMs: 2500,
      host: '0.0.0.0',
      port: 0,
      maxQueue: 1,
      batching: false,
    });
  });

  it.each([
    [['serve'], '--model is required'],
    [['serve', '--model', 'm', '--port', '65536'], '--port must be 0 to 65535'],
    [['serve', '--model', 'm', '--port', 'http'], '--port must be a whole number'],
    [['serve', '--model', 'm', '--max-queue', '0'], '--max-queue must be at least 1'],
    [['serve', '--model', 'm', '--backend', 'gpu'], '--backend must be native or wasm'],
    [['serve', '--model', 'm', '--dtype', 'int3'], '--dtype must be one of'],
    [['serve', '--model', 'm', '--model-id', ''], '--model-id must not be empty'],
    [['serve', '--model', 'm', '--batching', 'off'], "Unknown option '--batching'"],
  ])('refuse %j: %s', (argv, words) => {
    expect(() => parseServeCommand(argv)).toThrow(words);
  });

  it('throw UsageError, so the CLI prints the usage and exits 2', () => {
    expect(() => parseServeCommand(['serve', '--model', 'm', '--port', '70000'])).toThrow(UsageError);
  });
});
