import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubServer, type HubServer } from '../../e2e/support/hub-server.ts';
import { generateFixture } from '../../scripts/fixture/generate.ts';
import { httpSource } from '../../src/model/http-source.ts';
import { resolveSource } from '../../src/model/model-source.ts';

const DIR = 'public/models/qwen3-tiny';
let server: HubServer;

beforeAll(async () => {
  await generateFixture({ outDir: 'public/models' });
  server = await startHubServer({ repos: { 'tabembed/qwen3-tiny': DIR } });
}, 120_000);
afterAll(() => server.close());

describe('a Hub source', () => {
  it('takes sizes and LFS sha256s from one tree listing instead of a HEAD per file', async () => {
    const source = resolveSource({ hub: 'tabembed/qwen3-tiny', revision: 'main', host: server.origin }, undefined);
    if (source.kind !== 'http' || !source.treeUrl) throw new Error('expected a Hub source with a tree URL');
    const files = httpSource(source.baseUrl, { treeUrl: source.treeUrl });
    const graph = await files.stat('onnx/model_q4.onnx');
    const bytes = readFileSync(`${DIR}/onnx/model_q4.onnx`);
    expect(graph).toEqual({ size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(await files.stat('config.json')).toEqual({ size: statSync(`${DIR}/config.json`).size, sha256: undefined });
    expect(await files.stat('onnx/model_q4f16.onnx')).toBeUndefined();
    const requests = server.requests();
    expect(requests.filter((r) => r.path.includes('/api/models/'))).toHaveLength(1);
    expect(requests.filter((r) => r.method === 'HEAD')).toEqual([]);
  });

  it('falls back to HEAD where the host has no listing API', async () => {
    server.resetLog();
    const files = httpSource(`${server.origin}/tabembed/qwen3-tiny/resolve/main/`, {
      treeUrl: `${server.origin}/no/such/api`,
    });
    expect((await files.stat('config.json'))?.size).toBe(statSync(`${DIR}/config.json`).size);
    expect(server.requests().filter((r) => r.method === 'HEAD')).toHaveLength(1);
  });
});
