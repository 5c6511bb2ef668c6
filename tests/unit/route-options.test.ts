import { describe, expect, it } from 'vitest';
import { routeOptionsFrom } from '../../src/offline/route-options.ts';

describe("the embeddings route's options, read from its service worker's URL", () => {
  it('gives no options for a bare URL, so every default holds', () => {
    expect(routeOptionsFrom('')).toEqual({});
  });

  it('reads each duration and the base path it names, and nothing else', () => {
    expect(
      routeOptionsFrom('?basePath=/api/v1&ackTimeoutMs=500&requestTimeoutMs=60000&probeTimeoutMs=250&other=1'),
    ).toEqual({ basePath: '/api/v1', ackTimeoutMs: 500, requestTimeoutMs: 60_000, probeTimeoutMs: 250 });
  });

  it.each([
    ['requestTimeoutMs=0', /requestTimeoutMs must be a whole number of milliseconds ≥ 1, got "0"/],
    ['requestTimeoutMs=', /requestTimeoutMs must be .* got ""/],
    ['ackTimeoutMs=1.5', /ackTimeoutMs must be .* got "1.5"/],
    ['probeTimeoutMs=soon', /probeTimeoutMs must be .* got "soon"/],
    ['basePath=v1', /basePath must be a path such as \/v1, got "v1"/],
    ['basePath=/a/../b', /basePath must be a path/],
  ])('refuses %s, naming the parameter and the rule', (query, message) => {
    expect(() => routeOptionsFrom(`?${query}`)).toThrow(message);
  });
});
