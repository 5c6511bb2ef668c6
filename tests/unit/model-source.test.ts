import { Blob } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MODEL_ID,
  DEFAULT_MODEL_REVISION,
  isHubId,
  resolveSource,
  type ResolvedSource,
} from '../../src/model/model-source.ts';

const PINNED = 'c25a394dd583836952667c12f008335071b3f43d';

/** The HTTP branch of a resolved source; fails the test when it resolved to local files. */
function http(resolved: ResolvedSource): Extract<ResolvedSource, { kind: 'http' }> {
  if (resolved.kind !== 'http') throw new Error(`expected an http source, got ${resolved.kind}`);
  return resolved;
}

describe('resolveSource', () => {
  it('pins the default model to its commit when no source is given', () => {
    expect(DEFAULT_MODEL_REVISION).toBe(PINNED);
    expect(resolveSource(undefined, undefined)).toEqual({
      kind: 'http',
      id: 'onnx-community/Qwen3-Embedding-0.6B-ONNX',
      revision: PINNED,
      baseUrl: `https://huggingface.co/onnx-community/Qwen3-Embedding-0.6B-ONNX/resolve/${PINNED}/`,
      cacheKey: `https://huggingface.co/onnx-community/Qwen3-Embedding-0.6B-ONNX/resolve/${PINNED}/`,
      treeUrl: `https://huggingface.co/api/models/onnx-community/Qwen3-Embedding-0.6B-ONNX/tree/${PINNED}?recursive=true`,
    });
  });

  it('pins the default model to the same commit when it is named by its id', () => {
    expect(DEFAULT_MODEL_ID).toBe('onnx-community/Qwen3-Embedding-0.6B-ONNX');
    expect(resolveSource('onnx-community/Qwen3-Embedding-0.6B-ONNX', undefined)).toEqual(
      resolveSource(undefined, undefined),
    );
    expect(http(resolveSource({ hub: 'onnx-community/Qwen3-Embedding-0.6B-ONNX' }, undefined)).revision).toBe(PINNED);
  });

  it('turns any other Hub id into the Hub file URL layout on main', () => {
    expect(resolveSource('onnx-community/Qwen3-Embedding-4B-ONNX', undefined)).toEqual({
      kind: 'http',
      id: 'onnx-community/Qwen3-Embedding-4B-ONNX',
      revision: 'main',
      baseUrl: 'https://huggingface.co/onnx-community/Qwen3-Embedding-4B-ONNX/resolve/main/',
      cacheKey: 'https://huggingface.co/onnx-community/Qwen3-Embedding-4B-ONNX/resolve/main/',
      treeUrl: 'https://huggingface.co/api/models/onnx-community/Qwen3-Embedding-4B-ONNX/tree/main?recursive=true',
    });
    expect(http(resolveSource({ hub: 'org/model' }, undefined)).revision).toBe('main');
  });

  it('refuses a text that is no Hub id (a path, a URL without scheme, spaces) with INVALID_OPTION, before any URL is made', () => {
    for (const id of [
      '/a/folder/that/does/not/exist',
      './model',
      'a/b/c',
      'huggingface.co/owner/name x',
      '',
      'owner/../name',
      'owner//name',
    ]) {
      expect(() => resolveSource(id, undefined)).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining('is not a Hub model id') }),
      );
      expect(() => resolveSource({ hub: id }, undefined)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    }
    for (const id of ['onnx-community/Qwen3-Embedding-0.6B-ONNX', 'bert-base-uncased', 'my_org/model.v2'])
      expect(isHubId(id)).toBe(true);
  });

  it('lets an explicit revision override the default model’s pin', () => {
    expect(
      http(resolveSource({ hub: 'onnx-community/Qwen3-Embedding-0.6B-ONNX', revision: 'main' }, undefined)).baseUrl,
    ).toBe('https://huggingface.co/onnx-community/Qwen3-Embedding-0.6B-ONNX/resolve/main/');
  });

  it('pins a revision, URL-encoding its special characters', () => {
    expect(resolveSource({ hub: 'org/model', revision: 'refs/pr/3' }, undefined)).toMatchObject({
      kind: 'http',
      id: 'org/model',
      revision: 'refs/pr/3',
      baseUrl: 'https://huggingface.co/org/model/resolve/refs%2Fpr%2F3/',
    });
    expect(http(resolveSource({ hub: 'org/model', revision: 'a b#c' }, undefined)).baseUrl).toBe(
      'https://huggingface.co/org/model/resolve/a%20b%23c/',
    );
  });

  it('uses a custom mirror host, with or without a trailing slash', () => {
    expect(http(resolveSource({ hub: 'org/model', host: 'https://hf-mirror.example' }, undefined)).baseUrl).toBe(
      'https://hf-mirror.example/org/model/resolve/main/',
    );
    expect(
      http(resolveSource({ hub: 'org/model', revision: 'v1', host: 'https://hf-mirror.example/' }, undefined)).baseUrl,
    ).toBe('https://hf-mirror.example/org/model/resolve/v1/');
  });

  it('fills a host template with {model} and {revision} (ModelScope layout)', () => {
    expect(
      resolveSource(
        { hub: 'org/model', revision: 'v1', host: 'https://www.modelscope.cn/models/{model}/resolve/{revision}/' },
        undefined,
      ),
    ).toEqual({
      kind: 'http',
      id: 'org/model',
      revision: 'v1',
      baseUrl: 'https://www.modelscope.cn/models/org/model/resolve/v1/',
      cacheKey: 'https://www.modelscope.cn/models/org/model/resolve/v1/',
    });
    expect(
      http(
        resolveSource(
          { hub: 'org/model', host: 'https://www.modelscope.cn/models/{model}/resolve/{revision}' },
          undefined,
        ),
      ).baseUrl,
    ).toBe('https://www.modelscope.cn/models/org/model/resolve/main/');
  });

  it('resolves a relative URL against the origin and adds the trailing slash, with no revision', () => {
    expect(resolveSource({ url: '/models/x' }, 'http://localhost:5173/app/index.html')).toEqual({
      kind: 'http',
      id: '/models/x',
      revision: undefined,
      baseUrl: 'http://localhost:5173/models/x/',
      cacheKey: 'http://localhost:5173/models/x/',
    });
  });

  it('keeps an absolute URL and an existing trailing slash', () => {
    expect(http(resolveSource({ url: 'https://cdn.example/m/' }, 'http://localhost:5173/')).baseUrl).toBe(
      'https://cdn.example/m/',
    );
  });

  it('throws on a relative URL without an origin', () => {
    expect(() => resolveSource({ url: '/models/x' }, undefined)).toThrow(TypeError);
  });

  it('resolves picked files to a local source holding those files', () => {
    const files = [{ path: 'm/config.json', file: new Blob(['{}']) }];
    const resolved = resolveSource({ files }, 'http://localhost:5173/');
    expect(resolved.kind).toBe('local');
    if (resolved.kind !== 'local') return;
    expect(resolved).toEqual({ kind: 'local', id: 'local files', revision: undefined, files });
    expect(resolved.files[0]?.file).toBe(files[0]?.file);
  });
});
