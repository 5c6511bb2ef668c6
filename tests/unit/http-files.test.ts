/**
 * httpFiles against a real HTTP server on 127.0.0.1 (no fetch mocks): each route below answers
 * the way a misconfigured or failing host would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import type { FileProgress } from '../../src/model/file-reader.ts';
import { httpFiles } from '../../src/model/http-files.ts';

/** 300 000 bytes, value i % 251, written in 64 KiB pieces so progress fires several times. */
const BIG = Uint8Array.from({ length: 300_000 }, (_, i) => i % 251);

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    switch (path) {
      case '/repo/config.json':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"model_type":"qwen3","hidden_size":64}');
        return;
      case '/repo/not-json.json':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('<!doctype html><html>nope</html>');
        return;
      case '/repo/onnx/model.onnx': {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(BIG.length) });
        if (req.method === 'HEAD') {
          res.end();
          return;
        }
        for (let offset = 0; offset < BIG.length; offset += 65_536) res.write(BIG.subarray(offset, offset + 65_536));
        res.end();
        return;
      }
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

describe('httpFiles over a real local server', () => {
  it('locates a path under the base URL', () => {
    expect(httpFiles(base).locate('onnx/model_q4.onnx')).toBe(`${base}onnx/model_q4.onnx`);
  });

  it('reads JSON', async () => {
    await expect(httpFiles(base).json('config.json')).resolves.toEqual({ model_type: 'qwen3', hidden_size: 64 });
  });

  it('rejects a body that is not JSON, quoting its start', async () => {
    const p = httpFiles(base).json('not-json.json');
    await expect(p).rejects.toThrow(EmbedError);
    await expect(p).rejects.toThrow(`not-json.json from ${base}not-json.json is not JSON (starts with "<!doctype html><html>nope</htm")`);
  });

  it('maps a 404 to MODEL_FILE_MISSING naming the file and its URL', async () => {
    const p = httpFiles(base).bytes('onnx/model_q4.onnx_data');
    await expect(p).rejects.toThrow(EmbedError);
    await expect(p).rejects.toThrow(
      expect.objectContaining({
        code: 'MODEL_FILE_MISSING',
        message: expect.stringContaining(`onnx/model_q4.onnx_data was not found at ${base}onnx/model_q4.onnx_data (HTTP 404)`),
      }),
    );
  });

  it('maps a 404 on JSON to MODEL_FILE_MISSING too', async () => {
    await expect(httpFiles(base).json('tokenizer.json')).rejects.toThrow(expect.objectContaining({ code: 'MODEL_FILE_MISSING' }));
  });

  it('maps a 500 to MODEL_FETCH_FAILED with the status', async () => {
    await expect(httpFiles(base).bytes('onnx/broken.onnx')).rejects.toThrow(
      expect.objectContaining({ code: 'MODEL_FETCH_FAILED', message: expect.stringContaining('HTTP 500 Internal Server Error') }),
    );
  });

  it('refuses an HTML page served with 200 in place of a binary file', async () => {
    await expect(httpFiles(base).bytes('onnx/html.onnx')).rejects.toThrow(
      expect.objectContaining({ code: 'MODEL_FETCH_FAILED', message: expect.stringContaining('HTML') }),
    );
  });

  it('rejects a body shorter than its Content-Length', async () => {
    await expect(httpFiles(base).bytes('onnx/short.onnx')).rejects.toThrow();
  });

  it('maps a body cut short to a coded EmbedError (MODEL_FETCH_FAILED)', async () => {
    await expect(httpFiles(base).bytes('onnx/short.onnx')).rejects.toThrow(expect.objectContaining({ code: 'MODEL_FETCH_FAILED' }));
  });

  it('maps an unreachable host to MODEL_FETCH_FAILED', async () => {
    // Port 1 on loopback: connection refused.
    await expect(httpFiles('http://127.0.0.1:1/repo/').bytes('onnx/model.onnx')).rejects.toThrow(
      expect.objectContaining({ code: 'MODEL_FETCH_FAILED', message: expect.stringContaining('network error') }),
    );
  });

  it('maps a fetch aborted before the response to ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(httpFiles(base).bytes('onnx/model.onnx', { signal: controller.signal })).rejects.toThrow(expect.objectContaining({ code: 'ABORTED' }));
  });

  it('maps an abort while the body streams to ABORTED', async () => {
    const controller = new AbortController();
    const p = httpFiles(base).bytes('onnx/slow.onnx', { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(p).rejects.toThrow(expect.objectContaining({ code: 'ABORTED' }));
  });

  it('downloads the exact bytes with monotone progress ending at the total', async () => {
    const events: FileProgress[] = [];
    const bytes = await httpFiles(base).bytes('onnx/model.onnx', { onProgress: (e) => events.push({ ...e }) });
    expect(bytes).toEqual(BIG);
    expect(events.length).toBeGreaterThan(1);
    const loaded = events.map((e) => e.loaded);
    const increases = loaded.slice(1).map((value, i) => value - (loaded[i] ?? Number.POSITIVE_INFINITY));
    expect(increases.every((step) => step > 0)).toBe(true);
    expect(events.every((e) => e.file === 'onnx/model.onnx' && e.total === 300_000)).toBe(true);
    expect(events.at(-1)?.loaded).toBe(300_000);
  });

  it('joins a chunked body without Content-Length, reporting an unknown total', async () => {
    const events: FileProgress[] = [];
    const bytes = await httpFiles(base).bytes('onnx/chunked.onnx', { onProgress: (e) => events.push({ ...e }) });
    expect(bytes).toEqual(BIG.subarray(0, 2500));
    expect(events.at(-1)).toEqual({ file: 'onnx/chunked.onnx', loaded: 2500, total: undefined });
  });

  it('says whether a file exists: true on 200, false only on 404', async () => {
    const files = httpFiles(base);
    await expect(files.exists('onnx/model.onnx')).resolves.toBe(true);
    await expect(files.exists('onnx/model_q4f16.onnx')).resolves.toBe(false);
  });

  // A refused connection or a server error must not pass for "this dtype is not in the repo".
  it('reports a failed existence check as MODEL_FETCH_FAILED instead of "absent"', async () => {
    await expect(httpFiles(base).exists('onnx/broken.onnx')).rejects.toThrow(expect.objectContaining({ code: 'MODEL_FETCH_FAILED' }));
    await expect(httpFiles('http://127.0.0.1:1/').exists('config.json')).rejects.toThrow(expect.objectContaining({ code: 'MODEL_FETCH_FAILED' }));
  });

  // An abort during loadModel's dtype probing must surface as ABORTED, not DTYPE_UNAVAILABLE.
  it('rejects an aborted exists() with ABORTED instead of reporting the file absent', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(httpFiles(base).exists('onnx/model.onnx', controller.signal)).rejects.toThrow(expect.objectContaining({ code: 'ABORTED' }));
  });
});
