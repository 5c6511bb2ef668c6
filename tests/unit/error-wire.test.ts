/**
 * A real Comlink round trip over a node:worker_threads MessageChannel (structured clone and
 * all), with installErrorWire in effect on both ends as the worker and the client install it.
 * Node's MessagePort is an EventTarget with addEventListener/start, so it is a Comlink Endpoint
 * as is; comlink's node-adapter is not needed (and its .mjs has no type declarations).
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbedError } from '../../src/core/errors.ts';
import { installErrorWire } from '../../src/protocol/error-wire.ts';

const api = {
  failWithEmbedError(): never {
    throw new EmbedError('INVALID_INPUT', 'texts[1] is an empty string: there is nothing to embed', { index: 1 });
  },
  async failWithModelError(): Promise<never> {
    throw new EmbedError('MODEL_FILE_MISSING', 'onnx/model_q4.onnx_data was not found');
  },
  failWithPlainError(): never {
    throw new RangeError('offset out of range');
  },
  failWithString(): never {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- what a careless dependency might do
    throw 'just a string';
  },
  add(a: number, b: number): number {
    return a + b;
  },
};

let port1: MessagePort;
let port2: MessagePort;
let remote: Comlink.Remote<typeof api>;

beforeAll(() => {
  installErrorWire();
  ({ port1, port2 } = new MessageChannel());
  Comlink.expose(api, port1);
  remote = Comlink.wrap<typeof api>(port2);
});

afterAll(() => {
  remote[Comlink.releaseProxy]();
  port1.close();
  port2.close();
});

describe('installErrorWire over a real Comlink channel', () => {
  it('rebuilds an EmbedError with its class, code, index and message', async () => {
    const p = remote.failWithEmbedError();
    await expect(p).rejects.toBeInstanceOf(EmbedError);
    await expect(p).rejects.toThrow(
      expect.objectContaining({
        name: 'EmbedError',
        code: 'INVALID_INPUT',
        index: 1,
        message: 'texts[1] is an empty string: there is nothing to embed',
      }),
    );
  });

  it('rebuilds an EmbedError thrown from an async method, leaving index undefined', async () => {
    const p = remote.failWithModelError();
    await expect(p).rejects.toBeInstanceOf(EmbedError);
    await expect(p).rejects.toThrow(expect.objectContaining({ code: 'MODEL_FILE_MISSING', index: undefined }));
  });

  it('carries the thrower stack across', async () => {
    await expect(remote.failWithEmbedError()).rejects.toThrow(
      expect.objectContaining({ stack: expect.stringContaining('failWithEmbedError') }),
    );
  });

  it('keeps a plain error a plain Error with its name and message', async () => {
    const p = remote.failWithPlainError();
    await expect(p).rejects.toBeInstanceOf(Error);
    await expect(p).rejects.not.toBeInstanceOf(EmbedError);
    await expect(p).rejects.toThrow(expect.objectContaining({ name: 'RangeError', message: 'offset out of range' }));
  });

  it('passes a thrown non-Error value through unchanged', async () => {
    await expect(remote.failWithString()).rejects.toBe('just a string');
  });

  it('keeps serving after errors', async () => {
    await expect(remote.failWithEmbedError()).rejects.toBeInstanceOf(EmbedError);
    await expect(remote.add(2, 3)).resolves.toBe(5);
  });
});
