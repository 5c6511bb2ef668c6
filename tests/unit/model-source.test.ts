import { describe, expect, it } from 'vitest';
import { resolveSource } from '../../src/model/model-source.ts';

describe('resolveSource', () => {
  it('turns a Hub id into the Hub file URL layout on main', () => {
    expect(resolveSource('onnx-community/Qwen3-Embedding-0.6B-ONNX', undefined)).toEqual({
      id: 'onnx-community/Qwen3-Embedding-0.6B-ONNX',
      revision: 'main',
      baseUrl: 'https://huggingface.co/onnx-community/Qwen3-Embedding-0.6B-ONNX/resolve/main/',
    });
  });

  it('defaults to the 0.6B model when no source is given', () => {
    expect(resolveSource(undefined, undefined).baseUrl).toBe('https://huggingface.co/onnx-community/Qwen3-Embedding-0.6B-ONNX/resolve/main/');
  });

  it('pins a revision, URL-encoding its special characters', () => {
    expect(resolveSource({ hub: 'org/model', revision: 'refs/pr/3' }, undefined)).toEqual({
      id: 'org/model',
      revision: 'refs/pr/3',
      baseUrl: 'https://huggingface.co/org/model/resolve/refs%2Fpr%2F3/',
    });
    expect(resolveSource({ hub: 'org/model', revision: 'a b#c' }, undefined).baseUrl).toBe('https://huggingface.co/org/model/resolve/a%20b%23c/');
  });

  it('uses a custom mirror host, with or without a trailing slash', () => {
    expect(resolveSource({ hub: 'org/model', host: 'https://hf-mirror.example' }, undefined).baseUrl).toBe(
      'https://hf-mirror.example/org/model/resolve/main/',
    );
    expect(resolveSource({ hub: 'org/model', revision: 'v1', host: 'https://hf-mirror.example/' }, undefined).baseUrl).toBe(
      'https://hf-mirror.example/org/model/resolve/v1/',
    );
  });

  it('resolves a relative URL against the origin and adds the trailing slash', () => {
    expect(resolveSource({ url: '/models/x' }, 'http://localhost:5173/app/index.html')).toEqual({
      id: '/models/x',
      revision: undefined,
      baseUrl: 'http://localhost:5173/models/x/',
    });
  });

  it('keeps an absolute URL and an existing trailing slash', () => {
    expect(resolveSource({ url: 'https://cdn.example/m/' }, 'http://localhost:5173/').baseUrl).toBe('https://cdn.example/m/');
  });

  it('throws on a relative URL without an origin', () => {
    expect(() => resolveSource({ url: '/models/x' }, undefined)).toThrow(TypeError);
  });
});
