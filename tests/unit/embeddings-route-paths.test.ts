/** Which paths the route service worker takes: its three, and nothing else under /v1. */
import { describe, expect, it } from 'vitest';
import { endpointOf } from '../../src/protocol/openai/route-paths.ts';

describe('endpointOf', () => {
  it('takes /v1/embeddings, /v1/models and /v1/models/{id}, ids with slashes and escapes included', () => {
    expect(endpointOf('/v1/embeddings', '/v1')).toEqual({ kind: 'embeddings' });
    expect(endpointOf('/v1/models', '/v1')).toEqual({ kind: 'models' });
    expect(endpointOf('/v1/models/qwen3-tiny', '/v1')).toEqual({ kind: 'model', id: 'qwen3-tiny' });
    expect(endpointOf('/v1/models/onnx-community/Qwen3-Embedding-0.6B-ONNX', '/v1')).toEqual({
      kind: 'model',
      id: 'onnx-community/Qwen3-Embedding-0.6B-ONNX',
    });
    expect(endpointOf('/v1/models/a%20b', '/v1')).toEqual({ kind: 'model', id: 'a b' });
    expect(endpointOf('/v1/models/bad%E0', '/v1')).toEqual({ kind: 'model', id: 'bad%E0' });
  });

  it('leaves other paths to the network: another /v1 API may live on the same origin', () => {
    for (const path of [
      '/v1/chat/completions',
      '/v1/embeddings/',
      '/v1/models/',
      '/v2/embeddings',
      '/embeddings',
      '/v1',
    ])
      expect(endpointOf(path, '/v1')).toBeUndefined();
  });

  it('follows another base path', () => {
    expect(endpointOf('/api/v1/embeddings', '/api/v1')).toEqual({ kind: 'embeddings' });
    expect(endpointOf('/v1/embeddings', '/api/v1')).toBeUndefined();
  });
});
