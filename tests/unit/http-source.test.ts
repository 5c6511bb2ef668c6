/**
 * httpSource against a real HTTP server on 127.0.0.1 (no fetch mocks): each route below answers
 * the way the Hub, a plain static host, or a misconfigured or failing host would.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import type { ByteStream } from '../../src/model/file-source.ts';
import { httpSource } from '../../src/model/http-source.ts';

/** 300 000 bytes, value i % 251, written in 64 KiB pieces so the body arrives in several chunks. */
const BIG = Uint8Array.from({ length: 300_000 }, (_, i) => i % 251);
/** What the Hub sends for an LFS file: its sha256 in X-Linked-Etag, its size in X-Linked-Size. */
const LFS_SHA = 'a'.repeat(32) + '0123456789abcdef0123456789ABCDEF';

let server: Server;
let base: string;

function sendBig(req: IncomingMessage, res: ServerResponse, body: Uint8Array, headers: Record<string, string>): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length), ...headers });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  for (let offset = 0; offset < body.length; offset += 65_536) res.write(body.subarray(offset, offset + 65_536));
  res.end();
}

/** A static host that honours `Range: bytes=N-` with 206 and Content-Range. */
function sendRanged(req: IncomingMessage, res: ServerResponse, startShift = 0): void {
  const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (!match) {
    sendBig(req, res, BIG, {});
    return;
  }
  const start = Number(match[1]) + startShift;
  res.writeHead(206, {
    'content-type': 'application/octet-stream',
    'content-length': String(BIG.length - start),
    'content-range': `bytes ${start}-${BIG.length - 1}/${BIG.length}`,
  });
  res.end(BIG.subarray(start));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    switch (path) {
      case '/repo/onnx/model.onnx':
        sendBig(req, res, BIG, {});
        return;
      case '/repo/onnx/ranged.onnx':
        sendRanged(req, res);
        return;
      case '/repo/onnx/wrong-range.onnx':
        // Answers 206, but from 10 bytes past the byte asked for.
        sendRanged(req, res, 10);
        return;
      case '/repo/onnx/lfs.onnx':
        // The Hub's HEAD on an LFS file: the redirect's own Content-Length and ETag describe
        // nothing useful; X-Linked-Size / X-Linked-Etag describe the file.
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': '0',
          etag: '"deadbeef"',
          'x-linked-size': '123456789',
          'x-linked-etag': `"${LFS_SHA}"`,
        });
        res.end();
        return;
      case '/repo/onnx/etag-sha.onnx':
        sendBig(req, res, BIG.subarray(0, 10), { etag: `W/"${'b'.repeat(64)}"` });
        return;
      case '/repo/onnx/etag-plain.onnx':
        sendBig(req, res, BIG.subarray(0, 10), { etag: '"5f3c-1a2b"' });
        return;
      case '/repo/onnx/chunked.onnx':
        // No Content-Length: Node sends it chunked.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.write(BIG.subarray(0, 1000));
        res.end(BIG.subarray(1000, 2500));
        return;
      case '/repo/onnx/html.onnx':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><title>SPA fallback</title>');
        return;
      case '/repo/onnx/short.onnx':
        // Announces 1000 bytes, sends 400, then drops the connection.
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '1000' });
        res.write(BIG.subarray(0, 400), () => setTimeout(() => res.socket?.destroy(), 20));
        return;
      case '/repo/onnx/slow.onnx':
        // 100 bytes now, the rest never (until the server closes): the client aborts in between.
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '1000' });
        res.write(BIG.subarray(0, 100));
        return;
      case '/repo/onnx/broken.onnx':
        res.writeHead(500, 'Internal Server Error');
        res.end('boom');
        return;
      case '/repo/onnx/private.onnx':
        res.writeHead(401, 'Unauthorized', { 'content-type': 'text/plain' });
        res.end('Invalid credentials');
        return;
      case '/repo/onnx/gated.onnx':
        res.writeHead(403, 'Forbidden', { 'content-type': 'text/plain' });
        res.end('Access to this repo is restricted');
        return;
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('Entry not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/repo/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Every byte of a stream, joined. */
async function drain(stream: ByteStream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream.chunks) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

/** Byte equality without a 300 000-element deep compare (slow in the matcher); length first for a readable failure. */
function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(actual, expected)).toBe(0);
}

async function readAll(
  url: string,
  path: string,
  options: { offset?: number; signal?: AbortSignal } = {},
): Promise<Uint8Array> {
  return drain(await httpSource(url).open(path, options));
}

describe('httpSource over a real local server: open()', () => {
  it('locates a path under the base URL', () => {
    expect(httpSource(base).locate('onnx/model_q4.onnx')).toBe(`${base}onnx/model_q4.onnx`);
  });

  it('streams the exact bytes from 0 with the size from Content-Length', async () => {
    const stream = await httpSource(base).open('onnx/model.onnx');
    expect(stream.start).toBe(0);
    expect(stream.size).toBe(300_000);
    expectBytes(await drain(stream), BIG);
  });

  it('streams a chunked body without Content-Length, reporting an unknown size', async () => {
    const stream = await httpSource(base).open('onnx/chunked.onnx');
    expect(stream.size).toBeUndefined();
    expect(await drain(stream)).toEqual(BIG.subarray(0, 2500));
  });

  it('asks for a range and starts at the offset when the server answers 206, with the size from Content-Range', async () => {
    const stream = await httpSource(base).open('onnx/ranged.onnx', { offset: 123_456 });
    expect(stream.start).toBe(123_456);
    expect(stream.size).toBe(300_000);
    expectBytes(await drain(stream), BIG.subarray(123_456));
  });

  it('reports start 0 and the whole file when the server ignores the range (200)', async () => {
    const stream = await httpSource(base).open('onnx/model.onnx', { offset: 123_456 });
    expect(stream.start).toBe(0);
    expect(stream.size).toBe(300_000);
    expectBytes(await drain(stream), BIG);
  });

  it('refuses a 206 whose Content-Range starts elsewhere than the byte asked for', async () => {
    await expect(httpSource(base).open('onnx/wrong-range.onnx', { offset: 1000 })).rejects.toThrow(
      expect.objectContaining({
        code: 'MODEL_FETCH_FAILED',
        message: `${base}onnx/wrong-range.onnx answered a range request for byte 1000 with bytes from 1010`,
      }),
    );
  });

  it('maps a 404 to MODEL_FILE_MISSING naming the file and its URL, with the external-data hint for .onnx_data', async () => {
    const p = httpSource(base).open('onnx/model_q4.onnx_data');
    await expect(p).rejects.toThrow(EmbedError);
    await expect(p).rejects.toThrow(
      expect.objectContaining({
        code: 'MODEL_FILE_MISSING',
        message: `onnx/model_q4.onnx_data was not found at ${base}onnx/model_q4.onnx_data (HTTP 404): check the model id or URL; the export needs its external data file next to the .onnx graph`,
      }),
    );
  });

  it('gives a 404 on a non-data file no external-data hint', async () => {
    await expect(httpSource(base).open('tokenizer.json')).rejects.toThrow(
      expect.objectContaining({
        code: 'MODEL_FILE_MISSING',
        message: `tokenizer.json was not found at ${base}tokenizer.json (HTTP 404): check the model id or URL`,
      }),
    );
  });

  it.each([
    ['onnx/private.onnx', 401],
    ['onnx/gated.onnx', 403],
  ])('maps %s (HTTP %i) to MODEL_ACCESS_DENIED naming the URL and status', async (path, status) => {
    await expect(httpSource(base).open(path)).rejects.toThrow(
      expect.objectContaining({
        code: 'MODEL_ACCESS_DENIED',
        message: expect.stringContaining(
          `${base}${path} answered HTTP ${status}: the repo is private, gated, or does not exist`,
        ),
      }),
    );
  });

  it('maps a 500 to MODEL_FETCH_FAILED with the status', async () => {
    await expect(httpSource(base).open('onnx/broken.onnx')).rejects.toThrow(
      expect.objectContaining({
        code: 'MODEL_FETCH_FAILED',
        message: expect.stringContaining('HTTP 500 Internal Server Error'),
      }),
    );
  });

  it('refuses an HTML page served with 200 in place of a binary file', async () => {
    await expect(httpSource(base).open('onnx/html.onnx')).rejects.toThrow(
      expect.objectContaining({
        code: 'MODEL_FETCH_FAILED',
        message: `${base}onnx/html.onnx answered with an HTML page instead of onnx/html.onnx: the server is not serving the model file there`,
      }),
    );
  });

  it('maps a body cut short (connection dropped) to MODEL_FETCH_FAILED while streaming', async () => {
    const stream = await httpSource(base).open('onnx/short.onnx');
    expect(stream.size).toBe(1000);
    await expect(drain(stream)).rejects.toThrow(
      expect.objectContaining({ code: 'MODEL_FETCH_FAILED', message: expect.stringContaining('dropped connection') }),
    );
  });

  it('maps an unreachable host to MODEL_FETCH_FAILED', async () => {
    // Port 1 on loopback: connection refused.
    await expect(readAll('http://127.0.0.1:1/repo/', 'onnx/model.onnx')).rejects.toThrow(
      expect.objectContaining({ code: 'MODEL_FETCH_FAILED', message: expect.stringContaining('network error') }),
    );
  });

  it('maps a fetch aborted before the response to ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(readAll(base, 'onnx/model.onnx', { signal: controller.signal })).rejects.toThrow(
      expect.objectContaining({ code: 'ABORTED', message: 'loading onnx/model.onnx was aborted' }),
    );
  });

  it('maps an abort while the body streams to ABORTED', async () => {
    const controller = new AbortController();
    const stream = await httpSource(base).open('onnx/slow.onnx', { signal: controller.signal });
    const seen: number[] = [];
    const p = (async () => {
      for await (const chunk of stream.chunks) {
        seen.push(chunk.length);
        controller.abort();
      }
    })();
    await expect(p).rejects.toThrow(expect.objectContaining({ code: 'ABORTED' }));
    expect(seen).toEqual([100]);
  });
});

describe('httpSource over a real local server: stat()', () => {
  it('reads the size from Content-Length of a HEAD', async () => {
    await expect(httpSource(base).stat('onnx/model.onnx')).resolves.toEqual({ size: 300_000, sha256: undefined });
  });

  it('reads the Hub LFS headers: X-Linked-Size over Content-Length, X-Linked-Etag (lower-cased) as sha256', async () => {
    await expect(httpSource(base).stat('onnx/lfs.onnx')).resolves.toEqual({
      size: 123_456_789,
      sha256: LFS_SHA.toLowerCase(),
    });
  });

  it('takes a 64-hex ETag (weak or strong) as sha256, and no sha256 from any other ETag', async () => {
    await expect(httpSource(base).stat('onnx/etag-sha.onnx')).resolves.toEqual({ size: 10, sha256: 'b'.repeat(64) });
    await expect(httpSource(base).stat('onnx/etag-plain.onnx')).resolves.toEqual({ size: 10, sha256: undefined });
  });

  it('says undefined for a file that is absent (404)', async () => {
    await expect(httpSource(base).stat('onnx/model_q4f16.onnx')).resolves.toBeUndefined();
  });

  // A refused connection or a server error must not pass for "this dtype is not in the repo".
  it('reports a failed stat as MODEL_FETCH_FAILED instead of "absent"', async () => {
    await expect(httpSource(base).stat('onnx/broken.onnx')).rejects.toThrow(
      expect.objectContaining({ code: 'MODEL_FETCH_FAILED' }),
    );
    await expect(httpSource('http://127.0.0.1:1/').stat('config.json')).rejects.toThrow(
      expect.objectContaining({ code: 'MODEL_FETCH_FAILED' }),
    );
  });

  it('reports a private repo as MODEL_ACCESS_DENIED instead of "absent"', async () => {
    await expect(httpSource(base).stat('onnx/gated.onnx')).rejects.toThrow(
      expect.objectContaining({ code: 'MODEL_ACCESS_DENIED' }),
    );
  });

  // An abort during loadModel's dtype probing must surface as ABORTED, not DTYPE_UNAVAILABLE.
  it('rejects an aborted stat() with ABORTED instead of reporting the file absent', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(httpSource(base).stat('onnx/model.onnx', controller.signal)).rejects.toThrow(
      expect.objectContaining({ code: 'ABORTED' }),
    );
  });
});
