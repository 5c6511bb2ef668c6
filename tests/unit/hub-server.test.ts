/**
 * The fake Hub (e2e/support/hub-server.ts) against real fetch on 127.0.0.1, serving the
 * generated model fixture: bytes, Hub headers, ranges, the API routes, and every fault.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type HubServer, startHubServer } from '../../e2e/support/hub-server.ts';
import { generateFixture } from '../../scripts/fixture/generate.ts';

const DIR = 'public/models/qwen3-tiny';
const BIG = 'onnx/model_q4.onnx'; // ~39 MB: an LFS file on the Hub
const SMALL = 'config.json';

let hub: HubServer;
let big: Buffer;
let small: Buffer;
const url = (path: string, revision = 'main') => `${hub.origin}/tabembed/qwen3-tiny/resolve/${revision}/${path}`;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Reads a body to its end or its first error, keeping what arrived before the error. */
async function readAll(res: Response): Promise<{ bytes: Buffer; error: unknown }> {
  const chunks: Uint8Array[] = [];
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes: Buffer.concat(chunks), error: undefined };
      chunks.push(value);
    }
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
}

beforeAll(async () => {
  await generateFixture({ outDir: 'public/models' });
  hub = await startHubServer({ repos: { 'tabembed/qwen3-tiny': DIR } });
  big = readFileSync(`${DIR}/${BIG}`);
  small = readFileSync(`${DIR}/${SMALL}`);
});

afterAll(async () => {
  await hub.close();
});

beforeEach(() => {
  hub.clearFaults();
  hub.resetLog();
});

describe('resolve', () => {
  it('serves the bytes of the file, for any revision name', async () => {
    const res = await fetch(url(BIG, 'some-branch'));
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(big)).toBe(true);
  });

  it('answers HEAD with the size, an LFS sha256 ETag and the X-Linked headers, CORS and CORP', async () => {
    const res = await fetch(url(BIG), { method: 'HEAD', headers: { Origin: 'http://localhost:4173' } });
    const h = res.headers;
    expect(res.status).toBe(200);
    expect(h.get('content-length')).toBe(String(big.length));
    expect(h.get('etag')).toBe(`"${sha256(big)}"`);
    expect(h.get('x-linked-etag')).toBe(`"${sha256(big)}"`);
    expect(h.get('x-linked-size')).toBe(String(big.length));
    expect(h.get('accept-ranges')).toBe('bytes');
    expect(h.get('content-type')).toBe('application/octet-stream');
    expect(h.get('access-control-allow-origin')).toBe('http://localhost:4173');
    expect(h.get('access-control-expose-headers')).toContain('X-Linked-Etag');
    expect(h.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  it('gives a small file its git blob sha1 as ETag, JSON content type and no X-Linked headers', async () => {
    const res = await fetch(url(SMALL));
    const gitSha1 = createHash('sha1').update(`blob ${small.length}\0`).update(small).digest('hex');
    expect(res.headers.get('etag')).toBe(`"${gitSha1}"`);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-linked-etag')).toBeNull();
    expect(Buffer.from(await res.arrayBuffer()).equals(small)).toBe(true);
  });

  it('serves byte ranges with 206 and Content-Range, and 416 past the end', async () => {
    const res = await fetch(url(BIG), { headers: { Range: 'bytes=1000-1999' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 1000-1999/${big.length}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(big.subarray(1000, 2000))).toBe(true);

    const tail = await fetch(url(BIG), { headers: { Range: `bytes=${big.length - 10}-` } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(big.subarray(big.length - 10))).toBe(true);

    const past = await fetch(url(BIG), { headers: { Range: `bytes=${big.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${big.length}`);
  });

  it('answers 401 Repository not found for an unknown repo and 404 Entry not found for a missing file', async () => {
    const noRepo = await fetch(`${hub.origin}/someone/else/resolve/main/config.json`);
    expect(noRepo.status).toBe(401);
    expect(await noRepo.json()).toEqual({ error: 'Repository not found' });
    const noFile = await fetch(url('onnx/model_int8.onnx'));
    expect(noFile.status).toBe(404);
    expect(noFile.headers.get('x-error-code')).toBe('EntryNotFound');
    expect(await noFile.json()).toEqual({ error: 'Entry not found' });
    expect((await fetch(url('..%2Fqwen3-tiny-nopast%2Fconfig.json'))).status).toBe(404);
  });

  it('answers CORS preflights for Range', async () => {
    const res = await fetch(url(BIG), {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:4173', 'Access-Control-Request-Headers': 'range' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toContain('Range');
    expect(res.headers.get('access-control-allow-methods')).toContain('HEAD');
  });

  it('logs method, path, range, status and bytes sent', async () => {
    await (await fetch(url(BIG), { headers: { Range: 'bytes=0-99' } })).arrayBuffer();
    await fetch(url(SMALL), { method: 'HEAD' });
    expect(hub.requests()).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: `/tabembed/qwen3-tiny/resolve/main/${BIG}`,
        range: 'bytes=0-99',
        status: 206,
        bytesSent: 100,
        faults: [],
      }),
      expect.objectContaining({
        method: 'HEAD',
        path: `/tabembed/qwen3-tiny/resolve/main/${SMALL}`,
        status: 200,
        bytesSent: 0,
      }),
    ]);
    hub.resetLog();
    expect(hub.requests()).toEqual([]);
  });
});

describe('pinned revision', () => {
  it('404s other revisions with RevisionNotFound', async () => {
    const pinned = await startHubServer({ repos: { 'tabembed/qwen3-tiny': DIR }, revision: 'v1' });
    try {
      expect((await fetch(`${pinned.origin}/tabembed/qwen3-tiny/resolve/v1/${SMALL}`)).status).toBe(200);
      const other = await fetch(`${pinned.origin}/tabembed/qwen3-tiny/resolve/main/${SMALL}`);
      expect(other.status).toBe(404);
      expect(other.headers.get('x-error-code')).toBe('RevisionNotFound');
    } finally {
      await pinned.close();
    }
  });
});

describe('api', () => {
  it('lists every file as a sibling, with a 40-hex commit sha that follows the revision', async () => {
    const info = (await (await fetch(`${hub.origin}/api/models/tabembed/qwen3-tiny/revision/main`)).json()) as {
      id: string;
      sha: string;
      siblings: { rfilename: string }[];
    };
    expect(info.id).toBe('tabembed/qwen3-tiny');
    expect(info.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(info.siblings.map((s) => s.rfilename)).toEqual(
      expect.arrayContaining([SMALL, BIG, 'tokenizer.json', 'onnx/model.onnx_data']),
    );
    const other = (await (await fetch(`${hub.origin}/api/models/tabembed/qwen3-tiny/revision/v2`)).json()) as {
      sha: string;
    };
    expect(other.sha).not.toBe(info.sha);
  });

  it('lists a folder in the tree API with sizes, lfs sha256 for big files and blob sha1 for small ones', async () => {
    type Entry = { type: string; path: string; size: number; oid: string; lfs?: { oid: string; size: number } };
    const onnx = (await (await fetch(`${hub.origin}/api/models/tabembed/qwen3-tiny/tree/main/onnx`)).json()) as Entry[];
    const q4 = onnx.find((e) => e.path === BIG);
    expect(q4).toMatchObject({ type: 'file', size: big.length, lfs: { oid: sha256(big), size: big.length } });
    const graph = onnx.find((e) => e.path === 'onnx/model.onnx');
    const graphBytes = readFileSync(`${DIR}/onnx/model.onnx`);
    expect(graph).toEqual({
      type: 'file',
      path: 'onnx/model.onnx',
      size: graphBytes.length,
      oid: createHash('sha1').update(`blob ${graphBytes.length}\0`).update(graphBytes).digest('hex'),
    });

    const top = (await (await fetch(`${hub.origin}/api/models/tabembed/qwen3-tiny/tree/main`)).json()) as Entry[];
    expect(top.find((e) => e.path === 'onnx')?.type).toBe('directory');
    expect(top.find((e) => e.path === SMALL)?.size).toBe(statSync(`${DIR}/${SMALL}`).size);
  });
});

describe('faults', () => {
  it.each(['404', '401', '403', '500'] as const)('%s answers that status with a JSON error', async (fault) => {
    hub.setFaults([{ path: BIG, fault }]);
    const res = await fetch(url(BIG));
    expect(res.status).toBe(Number(fault));
    expect(await res.json()).toHaveProperty('error');
  });

  it('html200 answers 200 with an HTML page', async () => {
    hub.setFaults([{ path: '*', fault: 'html200' }]);
    const res = await fetch(url(SMALL));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toMatch(/^<!DOCTYPE html>/);
  });

  it('truncate announces the full length, sends `after` bytes and closes', async () => {
    hub.setFaults([{ path: BIG, fault: 'truncate', after: 1000 }]);
    const res = await fetch(url(BIG));
    expect(res.headers.get('content-length')).toBe(String(big.length));
    const { bytes, error } = await readAll(res);
    expect(error).toBeInstanceOf(Error);
    expect(bytes.length).toBe(1000);
    expect(hub.requests()[0]).toMatchObject({ bytesSent: 1000, faults: ['truncate'] });
  });

  it('drop resets the connection after `after` bytes', async () => {
    hub.setFaults([{ path: BIG, fault: 'drop', after: 4096 }]);
    const res = await fetch(url(BIG));
    const { bytes, error } = await readAll(res);
    expect(error).toBeInstanceOf(Error);
    expect(bytes.length).toBe(4096);
  });

  it('bitflip changes exactly one byte, at `after`', async () => {
    hub.setFaults([{ path: BIG, fault: 'bitflip', after: 12345 }]);
    const got = Buffer.from(await (await fetch(url(BIG))).arrayBuffer());
    expect(got.length).toBe(big.length);
    const differ = [];
    for (let i = 0; i < got.length; i++) if (got[i] !== big[i]) differ.push(i);
    expect(differ).toEqual([12345]);
    expect(got[12345]).toBe((big[12345] ?? 0) ^ 0xff);
  });

  it('zeros sends the full length of zero bytes', async () => {
    hub.setFaults([{ path: SMALL, fault: 'zeros' }]);
    const got = Buffer.from(await (await fetch(url(SMALL))).arrayBuffer());
    expect(got.equals(Buffer.alloc(small.length))).toBe(true);
  });

  it('noRange answers a Range request with 200 and the whole file', async () => {
    hub.setFaults([{ path: BIG, fault: 'noRange' }]);
    const res = await fetch(url(BIG), { headers: { Range: 'bytes=0-9' } });
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(big.length);
  });

  it('noCors leaves out every Access-Control header, on preflights too', async () => {
    hub.setFaults([{ path: SMALL, fault: 'noCors' }]);
    const res = await fetch(url(SMALL), { headers: { Origin: 'http://localhost:4173' } });
    expect(res.status).toBe(200);
    expect([...res.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    const pre = await fetch(url(SMALL), { method: 'OPTIONS', headers: { Origin: 'http://localhost:4173' } });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('noLength sends the body chunked, without Content-Length', async () => {
    hub.setFaults([{ path: SMALL, fault: 'noLength' }]);
    const res = await fetch(url(SMALL));
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(Buffer.from(await res.arrayBuffer()).equals(small)).toBe(true);
  });

  it('trickle paces the body out and stops when the client aborts', async () => {
    hub.setFaults([{ path: BIG, fault: 'trickle', after: 1000 }]);
    const controller = new AbortController();
    const res = await fetch(url(BIG), { signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 300));
    const [entry] = hub.requests();
    expect(entry).toMatchObject({ aborted: true, faults: ['trickle'] });
    expect(entry?.bytesSent).toBeLessThan(10_000);
  });

  it('times: 1 applies once, then the file is served normally; HEAD does not use up a body fault', async () => {
    hub.setFaults([{ path: SMALL, fault: 'zeros', times: 1 }]);
    expect((await fetch(url(SMALL), { method: 'HEAD' })).status).toBe(200);
    const first = Buffer.from(await (await fetch(url(SMALL))).arrayBuffer());
    const second = Buffer.from(await (await fetch(url(SMALL))).arrayBuffer());
    expect(first.equals(Buffer.alloc(small.length))).toBe(true);
    expect(second.equals(small)).toBe(true);
    expect(hub.requests().map((r) => r.faults)).toEqual([[], ['zeros'], []]);
  });

  it('matches paths at a / boundary and leaves other files alone', async () => {
    hub.setFaults([
      { path: 'q4.onnx', fault: '500' },
      { path: 'model.onnx', fault: '404' },
    ]);
    expect((await fetch(url(BIG), { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(url('onnx/model.onnx'), { method: 'HEAD' })).status).toBe(404);
  });

  it('truncate closes the connection cleanly (FIN) where drop resets it (RST)', async () => {
    hub.setFaults([
      { path: '*', fault: 'truncate', after: 100 },
      { path: '*', fault: 'drop', after: 100 },
    ]);
    /** How a raw socket sees the end of a GET: 'fin' or the error code. */
    const ending = (path: string) =>
      new Promise<string>((done) => {
        const socket = connect(hub.port, '127.0.0.1', () =>
          socket.write(`GET ${new URL(url(path)).pathname} HTTP/1.1\r\nHost: x\r\n\r\n`),
        );
        socket.on('data', () => {});
        socket.on('end', () => done('fin'));
        socket.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
      });
    expect(await ending(SMALL)).toBe('fin');
    hub.setFaults([{ path: '*', fault: 'drop', after: 100 }]);
    expect(await ending(SMALL)).toBe('ECONNRESET');
  });
});
