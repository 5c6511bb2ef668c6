/**
 * `tabembed serve` as a user runs it: the built CLI (dist/node, `npm run build:cli`) in a child
 * process, on the tiny fixture, stopped with SIGTERM while a request is in flight.
 *
 * The request is held in flight by its own client: headers and half of the body are sent, and
 * the server counts it (`tabembed_requests_in_flight` 1) before the signal. It cannot finish
 * until the test sends the rest, so the drain is seen with work pending, without timing.
 * Its vector is checked against createNodeEmbedder in this process (cosine ≥ 0.99999, as in
 * serve.test.ts).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine } from '../../src/core/cosine.ts';
import type { EmbedEngine } from '../../src/engine/embed-engine.ts';
import { createNodeEmbedder } from '../../src/node/node-embedder.ts';
import { MODEL, prepareCli, tabembed } from '../cli/run-cli.ts';
import { postEmbeddings, scrape, value } from './serve-client.ts';

let reference: EmbedEngine;
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  await prepareCli();
  reference = await createNodeEmbedder({ model: MODEL, dtype: 'q8' });
}, 120_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await reference.dispose();
});

/** The CLI's stderr as it arrives, with a wait for a line that matches. */
function serveProcess(args: string[]): {
  child: ChildProcessWithoutNullStreams;
  line: (pattern: RegExp) => Promise<string>;
} {
  const child = spawn(process.execPath, ['bin/tabembed.js', 'serve', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    child.emit('stderr-grew');
  });
  const line = async (pattern: RegExp): Promise<string> => {
    for (;;) {
      const found = stderr.split('\n').find((text) => pattern.test(text));
      if (found !== undefined) return found;
      if (child.exitCode !== null)
        throw new Error(`tabembed serve exited (${child.exitCode}) without ${pattern}:\n${stderr}`);
      await Promise.race([once(child, 'stderr-grew'), once(child, 'exit')]);
    }
  };
  return { child, line };
}

describe('tabembed serve (the CLI)', () => {
  it('drains on SIGTERM: 503 for new requests, the one in flight answered, then exit 0', async () => {
    const { child, line } = serveProcess(['--model', MODEL, '--port', '0', '--dtype', 'q8']);
    const url = /listening on (http:\S+),/.exec(await line(/listening on/))?.[1] ?? '';
    await line(/ready: /);

    // A request whose body is half sent: in flight until the test sends the rest.
    const body = Buffer.from(
      JSON.stringify({ model: 'qwen3-tiny', input: 'held in flight', encoding_format: 'float' }),
    );
    const held = httpRequest(`${url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
    });
    const answered = once(held, 'response') as Promise<[IncomingMessage]>;
    held.write(body.subarray(0, 10));
    while (value(await scrape(url), 'tabembed_requests_in_flight') < 1);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await line(/SIGTERM: draining/);
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'draining' });
    expect(await postEmbeddings(url, { model: 'qwen3-tiny', input: 'late' })).toMatchObject({
      status: 503,
      json: { error: { code: 'server_draining' } },
    });

    held.end(body.subarray(10));
    const [response] = await answered;
    expect(response.statusCode).toBe(200);
    let text = '';
    for await (const chunk of response) text += String(chunk);
    const json: unknown = JSON.parse(text);
    const vector = (json as { data: { embedding: number[] }[] }).data[0]?.embedding ?? [];
    const want = await reference.embed(['held in flight']);
    expect(vector).toHaveLength(64);
    expect(cosine(vector, want.vectors)).toBeGreaterThanOrEqual(0.99999);

    expect(await exited).toEqual([0, null]);
    await line(/drained; exiting/);
  });

  it('exits 1 with the load error when the model cannot load', async () => {
    const { child, line } = serveProcess(['--model', 'no/such-folder-here/x', '--port', '0']);
    const exited = once(child, 'exit');
    expect(await line(/MODEL_FILE_MISSING/)).toContain('no folder');
    expect(await exited).toEqual([1, null]);
  });

  it('refuses bad flags with the usage and exit code 2', async () => {
    const run = await tabembed(['serve', '--model', MODEL, '--port', '70000'], '');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--port must be 0 to 65535');
    expect(run.stderr).toContain('tabembed serve --model');
  });
});
